package io.jgun.store;

/**
 * When a write's future completes, i.e. what an ack promises (docs/storage.md). Gun.js acks after a
 * rename that was never fsync'd, which is weaker than {@link #WAL}.
 */
public enum Durability {
  /** After the write is on stable storage (write-ahead log fsync'd): survives power loss. */
  SYNC,
  /** After the write is in the write-ahead log, not fsync'd: survives a process crash, not power loss. */
  WAL,
  /** After the write is in memory only (no log): for tests and benchmarks. */
  NONE
}
