package io.jgun.client;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Gun} keeps the writes no peer has acknowledged yet: in a journal file, so that
 * they are still sent after a restart or a crash, or in memory only. Chosen on the builder ({@link
 * Gun.Builder#outbox(DurableOutbox)}); a client with a {@link Gun.Builder#store store} and peers
 * must choose, as the client cannot tell by itself whether its store outlives the process.
 *
 * <pre>{@code
 * RocksStore store = RocksStore.builder(dir).open();
 * Gun gun = Gun.builder().store(store).outbox(DurableOutbox.in(store.directory())).peers(url).build();
 * }</pre>
 */
public final class DurableOutbox {
  /** The journal's name in a directory given to {@link #in} (RocksDB ignores files it does not name). */
  public static final String FILE_NAME = "jgun-outbox.jsonl";

  private static final DurableOutbox IN_MEMORY = new DurableOutbox(null);

  private final @Nullable Path file;

  private DurableOutbox(@Nullable Path file) {
    this.file = file;
  }

  /**
   * The journal {@code file} (created if missing). Each write is recorded and forced to disk
   * before it is sent and before its {@link AckPolicy#LOCAL} acknowledgement; a lock file {@code
   * file + ".lock"} keeps a second instance out.
   */
  public static DurableOutbox file(Path file) {
    return new DurableOutbox(Objects.requireNonNull(file, "file"));
  }

  /**
   * The journal {@value #FILE_NAME} inside {@code directory}: a durable store's own directory (a
   * RocksStore's {@code directory()}) keeps the graph and its unsent writes together.
   */
  public static DurableOutbox in(Path directory) {
    return file(Objects.requireNonNull(directory, "directory").resolve(FILE_NAME));
  }

  /** No journal: the unacknowledged writes are kept in memory only and lost on restart. */
  public static DurableOutbox inMemory() {
    return IN_MEMORY;
  }

  /** The journal file, or null when in memory. */
  @Nullable Path journalFile() {
    return file;
  }

  @Override
  public String toString() {
    return file == null ? "outbox in memory" : "outbox journal " + file;
  }
}
