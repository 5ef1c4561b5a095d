package io.jgun.radata;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The files of a radata folder, grouped by the key range each one owns (docs/protocol.md §11.2).
 *
 * <p>A data file is named after the first key it holds ({@code !} holds the keys below the first
 * split); ordering the decoded names gives each file the range from its name to the next file's.
 * Ranges come from the folder listing, never from the {@code %1C} index (which can be stale), and
 * only serve to keep memory bounded: an atom found outside its file's range is a "stray" the reader
 * holds until it delivers that range.
 */
final class Folder {

  /** A file to read: a data file of the folder, or an rfs temp file beside it. */
  record Source(Path path, String name, boolean temp) {}

  /**
   * The files owning the keys from {@code start} (inclusive) to the next unit's start (exclusive).
   * Several sources share a unit when their names decode to the same key (a temp file and its
   * target).
   */
  record Unit(String start, List<Source> sources) {}

  final Path dir;
  final List<Unit> units;
  final @Nullable Path index;
  final List<String> dataFiles; // names on disk, not temp files
  final List<String> tempFiles; // temp files included
  final List<String> ignored;

  private Folder(
      Path dir,
      List<Unit> units,
      @Nullable Path index,
      List<String> dataFiles,
      List<String> tempFiles,
      List<String> ignored) {
    this.dir = dir;
    this.units = units;
    this.index = index;
    this.dataFiles = dataFiles;
    this.tempFiles = tempFiles;
    this.ignored = ignored;
  }

  static Folder list(Path dir, boolean withTempFiles) throws IOException {
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no such radata folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    TreeMap<String, List<Source>> byStart = new TreeMap<>();
    List<String> data = new ArrayList<>();
    List<String> temps = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Path index = null;
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(entries::add);
    }
    entries.sort(null);
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (!Files.isRegularFile(p)) {
        ignored.add(name + " (not a regular file)");
      } else if (name.equals(RadKeys.INDEX_FILE)) {
        index = p;
      } else {
        data.add(name);
        byStart
            .computeIfAbsent(start(name), k -> new ArrayList<>())
            .add(new Source(p, name, false));
      }
    }
    Path absolute = dir.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Path base = absolute.getFileName();
    if (parent != null && base != null) {
      String prefix = base + "-";
      List<Path> siblings = new ArrayList<>();
      DirectoryStream.Filter<Path> rfsTemp =
          p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
          };
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, rfsTemp)) {
        ds.forEach(siblings::add);
      } catch (IOException e) {
        ignored.add("temp files beside the folder could not be listed: " + e);
      }
      siblings.sort(null);
      for (Path p : siblings) {
        String name = p.getFileName().toString();
        String middle = name.substring(prefix.length(), name.length() - ".tmp".length());
        int dash = middle.lastIndexOf('-');
        if (dash <= 0 || !Files.isRegularFile(p)) {
          continue; // not rfs's <folder>-<file>-<random>.tmp
        }
        String target = middle.substring(0, dash);
        if (target.equals(RadKeys.INDEX_FILE)) {
          ignored.add(name + " (temp file of the %1C index)");
        } else if (!withTempFiles) {
          ignored.add(name + " (rfs temp file of " + target + "; not read: temp files are off)");
        } else {
          temps.add(name);
          byStart
              .computeIfAbsent(start(target), k -> new ArrayList<>())
              .add(new Source(p, name, true));
        }
      }
    }
    List<Unit> units = new ArrayList<>();
    for (Map.Entry<String, List<Source>> e : byStart.entrySet()) {
      units.add(new Unit(e.getKey(), List.copyOf(e.getValue())));
    }
    return new Folder(
        dir, List.copyOf(units), index, List.copyOf(data), List.copyOf(temps), ignored);
  }

  /**
   * The first key a file named {@code name} holds: its decoded name, the empty key for {@code !}.
   */
  static String start(String name) {
    if (name.equals(RadKeys.FIRST_FILE)) {
      return "";
    }
    String d = RadKeys.decodeFileName(name);
    return d == null ? name : d;
  }

  /** Index of the unit owning {@code key}: the last one whose start is at or below it. */
  int owner(String key) {
    int lo = 0;
    int hi = units.size() - 1;
    int best = 0; // keys below every start belong to the first file, as with radisk's '!'
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (units.get(mid).start().compareTo(key) <= 0) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  long bytes() {
    long n = 0;
    for (Unit u : units) {
      for (Source s : u.sources()) {
        try {
          n += Files.size(s.path());
        } catch (IOException e) {
          // counted as unreadable when read
        }
      }
    }
    return n;
  }

  int sourceCount() {
    int n = 0;
    for (Unit u : units) {
      n += u.sources().size();
    }
    return n;
  }
}
