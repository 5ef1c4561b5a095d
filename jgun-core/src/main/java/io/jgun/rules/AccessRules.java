package io.jgun.rules;

import org.jspecify.annotations.Nullable;

/**
 * Decides who may write and read what on a relay: the SPI behind {@code --rules} ({@link
 * RuleSet} is the file-based implementation). Both checks run on the mesh loop and must be quick
 * and thread-safe (a GET by soul lex is filtered on the thread its read completes on); the reads
 * a write check makes through its {@link WriteRequest} are the graph's own.
 */
public interface AccessRules {

  /** Why the field may not be written (sent back as the ack's {@code err}), or null. */
  @Nullable String checkWrite(WriteRequest write);

  /**
   * Why {@code key} of {@code soul} (the whole node when null) may not be read (sent back as the
   * answer's {@code err}), or null.
   */
  @Nullable String checkRead(String soul, @Nullable String key);
}
