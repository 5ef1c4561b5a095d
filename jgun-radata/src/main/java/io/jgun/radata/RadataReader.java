package io.jgun.radata;

import io.jgun.graph.Ham;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Gun.js {@code radata} folder (npm gun 0.2020.1241's RAD storage, and the v0.2019 text
 * format) and streams every atom it holds, for migration into jgun (docs/protocol.md §11.7).
 *
 * <pre>{@code
 * RadataSummary summary = RadataReader.builder(Path.of("radata")).build()
 *     .read(atom -> store.put(atom.soul(), atom.key(), atom.field()));
 * System.out.print(summary.describe(20));
 * }</pre>
 *
 * <p>Every regular file of the folder is read, whatever the {@code %1C} index says; keys are
 * delivered once each in key order, merged by HAM across files; damage is reported, never thrown
 * and never silent. See the package documentation for the formats and guarantees, and {@link
 * Builder} for the limits.
 *
 * <p>Instances are immutable and thread-safe; {@link #read} may be called any number of times.
 */
public final class RadataReader {
  private static final Logger LOG = LoggerFactory.getLogger(RadataReader.class);

  private final Path folder;
  private final boolean salvage;
  private final boolean tempFiles;
  private final long maxFileBytes;
  private final int maxStrayAtoms;
  private final int maxReportedDamages;

  private RadataReader(Builder b) {
    this.folder = b.folder;
    this.salvage = b.salvage;
    this.tempFiles = b.tempFiles;
    this.maxFileBytes = b.maxFileBytes;
    this.maxStrayAtoms = b.maxStrayAtoms;
    this.maxReportedDamages = b.maxReportedDamages;
  }

  /** A builder for a reader of the radata folder {@code folder}. */
  public static Builder builder(Path folder) {
    return new Builder(folder);
  }

  /** A reader of {@code folder} with the default options. */
  public static RadataReader of(Path folder) {
    return builder(folder).build();
  }

  /** The folder this reader reads. */
  public Path folder() {
    return folder;
  }

  /**
   * Reads the folder, calling {@code visitor} for every atom, every damage and after every file.
   *
   * @return what was read
   * @throws java.nio.file.NoSuchFileException when the folder does not exist
   * @throws java.nio.file.NotDirectoryException when it is not a folder
   * @throws RadataException when a file changes during the read, or more atoms lie outside their
   *     file's key range than {@link Builder#maxStrayAtoms} allows
   * @throws IOException when the folder cannot be listed, or the visitor throws
   */
  public RadataSummary read(RadataVisitor visitor) throws IOException {
    Objects.requireNonNull(visitor, "visitor");
    Folder f = Folder.list(folder, tempFiles);
    RadataSummary.IndexReport index = IndexCheck.check(f);
    for (String w : index.warnings()) {
      LOG.debug("{}: {}", folder, w);
    }
    return new Run(f, visitor).run(index);
  }

  /** One read: the passes over the folder and the counts. */
  private final class Run {
    final Folder f;
    final RadataVisitor visitor;
    final AtomDecoder decoder = new AtomDecoder(salvage);
    final TreeMap<String, Atom> strays = new TreeMap<>();
    final Map<Path, Stamp> stamps = new HashMap<>();
    final List<Damage> damages = new ArrayList<>();
    final long totalBytes;
    final int totalFiles;
    final boolean twoPass;
    long bytesRead;
    int filesRead;
    int damagedFiles;
    long atoms;
    long souls;
    long duplicates;
    long conflicts;
    long skipped;
    long imported;
    boolean truncated;
    @Nullable String lastSoul;

    Run(Folder f, RadataVisitor visitor) {
      this.f = f;
      this.visitor = visitor;
      this.totalBytes = f.bytes();
      this.totalFiles = f.sourceCount();
      // With one unit every atom is in range: nothing to find first.
      this.twoPass = f.units.size() > 1;
    }

    RadataSummary run(RadataSummary.IndexReport index) throws IOException {
      if (twoPass) {
        scan();
      }
      deliver();
      return new RadataSummary(
          folder,
          filesRead,
          damagedFiles,
          bytesRead,
          atoms,
          souls,
          duplicates,
          conflicts,
          skipped,
          imported,
          damages,
          truncated,
          index,
          f.tempFiles,
          f.ignored);
    }

    /** First pass: collect the atoms stored outside their file's range. */
    private void scan() throws IOException {
      long bytes = 0;
      int files = 0;
      for (int u = 0; u < f.units.size(); u++) {
        for (Folder.Source s : f.units.get(u).sources()) {
          stamps.put(s.path(), Stamp.of(s.path()));
          RadFile.Content c = RadFile.read(s.path(), s.name(), maxFileBytes, decoder);
          for (Atom a : c.atoms) {
            if (f.owner(a.radKey()) != u) {
              merge(strays, a);
              if (strays.size() > maxStrayAtoms) {
                throw new RadataException(
                    "more than "
                        + maxStrayAtoms
                        + " atoms lie outside their file's key range (the folder's files overlap);"
                        + " raise maxStrayAtoms to read it (each takes memory until its range is"
                        + " read)");
              }
            }
          }
          bytes += c.bytes;
          files++;
          visitor.progress(
              new RadataVisitor.Progress(
                  RadataVisitor.Phase.SCAN,
                  s.name(),
                  files,
                  totalFiles,
                  bytes,
                  totalBytes,
                  0,
                  fraction(bytes, true)));
        }
      }
      if (!strays.isEmpty()) {
        LOG.debug("{}: {} atoms found outside their file's key range", folder, strays.size());
      }
    }

    /** Second (or only) pass: per unit, merge its files and its strays, deliver in key order. */
    private void deliver() throws IOException {
      long bytes = 0;
      int files = 0;
      for (int u = 0; u < f.units.size(); u++) {
        Folder.Unit unit = f.units.get(u);
        TreeMap<String, Atom> here = new TreeMap<>();
        for (Folder.Source s : unit.sources()) {
          if (twoPass) {
            Stamp before = stamps.get(s.path());
            if (before != null && !before.equals(Stamp.of(s.path()))) {
              throw new RadataException(
                  "file "
                      + s.name()
                      + " changed while the folder was read: stop the Gun.js process using "
                      + folder
                      + " and read again");
            }
          }
          RadFile.Content c = RadFile.read(s.path(), s.name(), maxFileBytes, decoder);
          filesRead++;
          bytesRead += c.bytes;
          if (!c.damages.isEmpty()) {
            damagedFiles++;
          }
          for (Damage d : c.damages) {
            report(d);
          }
          for (Atom a : c.atoms) {
            if (!twoPass || f.owner(a.radKey()) == u) {
              merge(here, a);
            }
          }
          bytes += c.bytes;
          files++;
          LOG.debug("{}: read {} ({} bytes, {} atoms)", folder, s.name(), c.bytes, c.atoms.size());
        }
        NavigableMap<String, Atom> mine = strays;
        if (u > 0) {
          mine = mine.tailMap(unit.start(), true);
        }
        if (u + 1 < f.units.size()) {
          mine = mine.headMap(f.units.get(u + 1).start(), false);
        }
        for (Atom a : mine.values()) {
          merge(here, a);
        }
        mine.clear();
        for (Atom a : here.values()) {
          if (!a.soul().equals(lastSoul)) {
            souls++;
            lastSoul = a.soul();
          }
          atoms++;
          visitor.atom(a);
        }
        String last = unit.sources().get(unit.sources().size() - 1).name();
        visitor.progress(
            new RadataVisitor.Progress(
                RadataVisitor.Phase.READ,
                last,
                files,
                totalFiles,
                bytes,
                totalBytes,
                atoms,
                fraction(bytes, false)));
      }
    }

    private double fraction(long bytes, boolean scanning) {
      if (totalBytes == 0) {
        return scanning ? 0.5 : 1;
      }
      double part = (double) bytes / totalBytes;
      if (!twoPass) {
        return part;
      }
      return scanning ? part / 2 : 0.5 + part / 2;
    }

    /** Keeps the HAM winner between {@code a} and the copy of its key already held, if any. */
    private void merge(Map<String, Atom> into, Atom a) {
      String k = a.radKey();
      Atom held = into.get(k);
      if (held == null) {
        into.put(k, a);
        return;
      }
      duplicates++;
      if (!held.field().equals(a.field())) {
        conflicts++;
      }
      // now = +Infinity: states ahead of the clock are data like any other here; the store that
      // receives them decides about deferral.
      if (Ham.decide(a.field(), held.field(), Double.POSITIVE_INFINITY) == Ham.Decision.ACCEPT) {
        into.put(k, a);
      }
    }

    private void report(Damage d) throws IOException {
      if (d.skipped()) {
        skipped++;
      } else {
        imported++;
      }
      if (damages.size() < maxReportedDamages) {
        damages.add(d);
      } else {
        truncated = true;
      }
      LOG.debug("{}: {}", folder, d);
      visitor.damage(d);
    }
  }

  /** Size and modification time: enough to notice a file rewritten between the two passes. */
  private record Stamp(long size, @Nullable FileTime modified) {
    static Stamp of(Path p) {
      try {
        return new Stamp(Files.size(p), Files.getLastModifiedTime(p));
      } catch (IOException e) {
        return new Stamp(-1, null);
      }
    }
  }

  /**
   * Options of a {@link RadataReader}. Defaults: no salvage, no temp files, files up to 256 MiB, up
   * to 1,000,000 strays, up to 10,000 damage records in the summary.
   */
  public static final class Builder {
    private final Path folder;
    private boolean salvage;
    private boolean tempFiles;
    private long maxFileBytes = 256L << 20;
    private int maxStrayAtoms = 1_000_000;
    private int maxReportedDamages = 10_000;

    private Builder(Path folder) {
      this.folder = Objects.requireNonNull(folder, "folder");
    }

    /**
     * Imports damaged entries from which a whole atom can be read: a leaf whose {@code ":"} or
     * {@code ">"} label became {@code "undefined"} (certain), a leaf without its {@code ""} wrapper
     * at a key that splits into soul and field (docs/protocol.md §11.7 step 1), data under an edge
     * labelled {@code "undefined"} at such a key (right if the key really contains "undefined",
     * wrong if Gun.js's parser replaced the label), and the atoms of a truncated JSON file before
     * the point where it breaks. They are still reported, as {@link Damage.Outcome#IMPORTED}. Off
     * by default: Gun.js itself does not read any of them.
     */
    public Builder salvage(boolean salvage) {
      this.salvage = salvage;
      return this;
    }

    /**
     * Also reads rfs temp files beside the folder ({@code <folder>-<file>-<rnd>.tmp} in its
     * parent): writes whose rename never happened, merged by HAM with the file they were meant to
     * replace. Off by default: another folder whose name starts with this one's plus {@code -}
     * could own such files.
     */
    public Builder tempFiles(boolean tempFiles) {
      this.tempFiles = tempFiles;
      return this;
    }

    /**
     * The largest file read (default 256 MiB; radisk itself refuses 90 MB and splits at 1 MiB).
     * Larger files are reported as {@link Damage.Kind#TOO_BIG}. A file is held in memory while it
     * is read, about three times its size.
     */
    public Builder maxFileBytes(long maxFileBytes) {
      if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "maxFileBytes must be in 1.." + (Integer.MAX_VALUE - 16));
      }
      this.maxFileBytes = maxFileBytes;
      return this;
    }

    /**
     * The most atoms held because they were found outside their file's key range (default
     * 1,000,000). A folder that needs more fails with a {@link RadataException} rather than running
     * out of memory.
     */
    public Builder maxStrayAtoms(int maxStrayAtoms) {
      if (maxStrayAtoms < 0) {
        throw new IllegalArgumentException("maxStrayAtoms must be >= 0");
      }
      this.maxStrayAtoms = maxStrayAtoms;
      return this;
    }

    /**
     * The most damage records kept in the summary (default 10,000); all of them are counted and
     * passed to the visitor.
     */
    public Builder maxReportedDamages(int maxReportedDamages) {
      if (maxReportedDamages < 0) {
        throw new IllegalArgumentException("maxReportedDamages must be >= 0");
      }
      this.maxReportedDamages = maxReportedDamages;
      return this;
    }

    public RadataReader build() {
      return new RadataReader(this);
    }
  }
}
