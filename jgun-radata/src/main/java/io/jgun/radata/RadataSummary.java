package io.jgun.radata;

import io.jgun.json.JsonText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RadataReader#read} read.
 *
 * @param folder the radata folder
 * @param files data files read (temp files included), whether damaged or not
 * @param damagedFiles files with at least one {@link Damage}
 * @param bytes bytes of the files read (counted once, although folders with several files are read
 *     twice)
 * @param atoms atoms delivered (one per key)
 * @param souls distinct souls among the atoms delivered
 * @param duplicates extra copies of keys stored in several files (mislocated after a split, temp
 *     files), merged away by HAM
 * @param conflicts how many of those copies differed from the one kept (older versions)
 * @param skippedEntries damage records whose data was left out
 * @param importedDamaged damage records whose data was imported anyway (salvaged, or U+FFFD)
 * @param damages the damage records, in the order found, at most {@code maxReportedDamages}
 * @param damagesTruncated true when more damage was found than {@code damages} holds
 * @param index what the {@code %1C} index says, compared with the folder
 * @param tempFiles rfs temp files read from beside the folder (names in the parent folder)
 * @param ignored entries of the folder that were not read, with the reason
 */
public record RadataSummary(
    Path folder,
    int files,
    int damagedFiles,
    long bytes,
    long atoms,
    long souls,
    long duplicates,
    long conflicts,
    long skippedEntries,
    long importedDamaged,
    List<Damage> damages,
    boolean damagesTruncated,
    IndexReport index,
    List<String> tempFiles,
    List<String> ignored) {

  public RadataSummary {
    Objects.requireNonNull(folder, "folder");
    damages = List.copyOf(damages);
    Objects.requireNonNull(index, "index");
    tempFiles = List.copyOf(tempFiles);
    ignored = List.copyOf(ignored);
  }

  /** True when nothing was damaged. */
  public boolean clean() {
    return skippedEntries == 0 && importedDamaged == 0;
  }

  /** A few lines for people: counts, the index check and the first damage records. */
  public String describe(int maxDamageLines) {
    StringBuilder s = new StringBuilder();
    s.append("read ").append(files).append(files == 1 ? " file, " : " files, ");
    s.append(bytes).append(" bytes: ").append(atoms).append(" atoms of ").append(souls);
    s.append(souls == 1 ? " soul" : " souls");
    if (duplicates > 0) {
      s.append(", ").append(duplicates).append(" extra copies in other files merged by HAM (");
      s.append(conflicts).append(" older versions)");
    }
    s.append('\n');
    if (!clean()) {
      s.append("damage in ")
          .append(damagedFiles)
          .append(damagedFiles == 1 ? " file: " : " files: ");
      s.append(skippedEntries).append(" skipped, ").append(importedDamaged).append(" imported\n");
      int n = 0;
      for (Damage d : damages) {
        if (n++ == maxDamageLines) {
          s.append("  ... (").append(damages.size() - maxDamageLines).append(" more)\n");
          break;
        }
        s.append("  ").append(d.kind()).append(' ').append(d.message()).append('\n');
      }
      if (damagesTruncated) {
        s.append("  (more damage than the report holds)\n");
      }
    }
    if (!index.warnings().isEmpty()) {
      for (String w : index.warnings()) {
        s.append("index: ").append(w).append('\n');
      }
    }
    if (!tempFiles.isEmpty()) {
      s.append("temp files merged: ").append(tempFiles).append('\n');
    }
    for (String i : ignored) {
      s.append("ignored: ").append(i).append('\n');
    }
    return s.toString();
  }

  /**
   * The {@code %1C} index (the file list Gun.js uses to find data) compared with the folder. The
   * reader never relies on it; a stale index means Gun.js itself cannot see some data
   * (docs/protocol.md §11.5).
   *
   * @param present whether the folder has a {@code %1C} file
   * @param error why the index could not be read, or null
   * @param entries the file names (raw keys) the index lists as live
   * @param filesNotIndexed data files (decoded names) that Gun.js will not read: not listed, or
   *     listed as dropped ({@code 0}); {@code !} needs no entry
   * @param entriesWithoutFile live entries with no file on disk
   */
  public record IndexReport(
      boolean present,
      @Nullable String error,
      List<String> entries,
      List<String> filesNotIndexed,
      List<String> entriesWithoutFile) {

    public IndexReport {
      entries = List.copyOf(entries);
      filesNotIndexed = List.copyOf(filesNotIndexed);
      entriesWithoutFile = List.copyOf(entriesWithoutFile);
    }

    /** Human-readable findings; empty when the index matches the folder. */
    public List<String> warnings() {
      List<String> w = new ArrayList<>();
      if (!present) {
        w.add("no %1C file: Gun.js rebuilds it from the folder listing");
      }
      if (error != null) {
        w.add("%1C could not be read: " + error);
      }
      for (String f : filesNotIndexed) {
        w.add(
            "file for "
                + JsonText.quote(f)
                + " is missing from %1C: Gun.js cannot see its data (read anyway)");
      }
      for (String e : entriesWithoutFile) {
        w.add("%1C lists " + JsonText.quote(e) + " but there is no such file");
      }
      return w;
    }
  }
}
