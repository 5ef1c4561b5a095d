package io.jgun.client;

import io.jgun.store.Store;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the outbox journal goes by default: inside a RocksStore's directory. jgun-rocksdb is an
 * optional dependency, so its class is only touched when it is on the class path.
 */
final class DurableOutbox {
  /** The journal's name inside a RocksStore's directory (RocksDB ignores files it does not name). */
  static final String FILE_NAME = "jgun-outbox.jsonl";

  private static final boolean ROCKS = present("io.jgun.rocksdb.RocksStore");

  private DurableOutbox() {}

  /** The default journal for {@code store}: inside its directory for a RocksStore, else none. */
  static @Nullable Path defaultFile(Store store) {
    return ROCKS ? Rocks.file(store) : null;
  }

  private static boolean present(String name) {
    try {
      Class.forName(name, false, DurableOutbox.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when jgun-rocksdb is present. */
  private static final class Rocks {
    static @Nullable Path file(Store store) {
      return store instanceof io.jgun.rocksdb.RocksStore r ? r.directory().resolve(FILE_NAME) : null;
    }
  }
}
