package io.jgun.radata;

import io.jgun.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code %1C} directory index (a radix tree of file names whose leaves are {@code 1} for
 * live and {@code 0} for dropped, docs/protocol.md §11.2) and compares it with the folder, to tell
 * which files Gun.js itself would not read.
 */
final class IndexCheck {
  private IndexCheck() {}

  /** The index is read whole; it lists file names only, so this is generous. */
  static final long MAX_INDEX_BYTES = 64L << 20;

  static RadataSummary.IndexReport check(Folder folder) {
    if (folder.index == null) {
      return report(false, null, List.of(), folder);
    }
    String text;
    try {
      long size = Files.size(folder.index);
      if (size > MAX_INDEX_BYTES) {
        return report(
            true, size + " bytes, over the limit of " + MAX_INDEX_BYTES, List.of(), folder);
      }
      text = new String(Files.readAllBytes(folder.index), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return report(true, String.valueOf(e), List.of(), folder);
    }
    Names names = new Names();
    String error = null;
    try {
      JsonTree.walk(text, names);
    } catch (JsonCursor.SyntaxError | JsonTree.NotATree e) {
      names = new Names();
      try {
        LegacyTree.walk(text, names);
      } catch (LegacyTree.NotRad n) {
        error = "not a radix tree: " + e.getMessage();
      }
    }
    if (error == null && names.broken != null) {
      error = names.broken;
    }
    return report(true, error, new ArrayList<>(names.live), folder);
  }

  private static RadataSummary.IndexReport report(
      boolean present, @Nullable String error, List<String> live, Folder folder) {
    List<String> notIndexed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (present && error == null) {
      Set<String> liveSet = new HashSet<>(live);
      for (String f : folder.dataFiles) {
        String key = Folder.start(f);
        if (!f.equals(RadKeys.FIRST_FILE) && !liveSet.contains(key)) {
          notIndexed.add(key);
        }
      }
      Set<String> onDisk = new HashSet<>(folder.dataFiles);
      for (String e : live) {
        String name = RadKeys.fileName(e);
        if (name == null || !onDisk.contains(name)) {
          missing.add(e);
        }
      }
    }
    return new RadataSummary.IndexReport(present, error, live, notIndexed, missing);
  }

  /** Collects the index's live entries. */
  private static final class Names implements TreeSink {
    final Set<String> live = new LinkedHashSet<>();
    @Nullable String broken;

    @Override
    public void leaf(
        String key,
        Json value,
        boolean unwrapped,
        boolean undefinedEdge,
        TreeSink.@Nullable Problem problem) {
      // radisk's r.find skips falsy entries (0 = dropped as bad)
      boolean on =
          !(value == Json.NULL
              || Json.FALSE.equals(value)
              || (value instanceof Json.Num && ((Json.Num) value).value() == 0)
              || (value instanceof Json.Str && ((Json.Str) value).value().isEmpty()));
      if (on && !undefinedEdge && problem == null) {
        live.add(key);
      } else {
        live.remove(key);
      }
    }

    @Override
    public void stray(String key, Json value, boolean undefinedEdge) {}

    @Override
    public void brokenRecord(String key, String detail) {
      broken = detail;
    }
  }
}
