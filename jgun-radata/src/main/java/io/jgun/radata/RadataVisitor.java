package io.jgun.radata;

import java.io.IOException;

/**
 * Receives what {@link RadataReader#read} finds, on the reading thread, one call at a time.
 *
 * <p>Atoms arrive in RAD key order ({@code soul + ESC + field}, UTF-16 code units), each key once
 * (the HAM winner among its copies), so all fields of a soul arrive together. Damage is reported as
 * the files are read, before the atoms of the same file are delivered. An exception thrown by the
 * visitor stops the read and propagates to the caller.
 */
@FunctionalInterface
public interface RadataVisitor {

  /** One atom. */
  void atom(Atom atom) throws IOException;

  /** Something damaged (the same records end up in the summary, up to its cap). */
  default void damage(Damage damage) throws IOException {}

  /** Called after each file of each pass: for progress bars. */
  default void progress(Progress progress) throws IOException {}

  /**
   * Where the read stands.
   *
   * @param phase {@link Phase#SCAN} (first pass, finding atoms stored outside their file's range)
   *     or {@link Phase#READ} (delivering atoms)
   * @param file the file just read
   * @param filesDone files done in this phase
   * @param files files to read in this phase
   * @param bytesDone bytes done in this phase
   * @param bytes bytes to read in this phase
   * @param atoms atoms delivered so far
   * @param done the fraction of the whole read done, 0 to 1 (both passes counted)
   */
  record Progress(
      Phase phase,
      String file,
      int filesDone,
      int files,
      long bytesDone,
      long bytes,
      long atoms,
      double done) {}

  /** The pass a {@link Progress} belongs to. */
  enum Phase {
    /** First pass: only for folders with several files. */
    SCAN,
    /** Second (or only) pass: atoms are delivered. */
    READ
  }
}
