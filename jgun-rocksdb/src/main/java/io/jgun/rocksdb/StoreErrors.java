package io.jgun.rocksdb;

import io.jgun.graph.Field;
import io.jgun.store.StoreException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** The store's error texts, each naming the store's directory; shared by its readers and its writer. */
final class StoreErrors {
  private StoreErrors() {}

  /** The stored field {@code v} of record {@code k}, or a {@link StoreException} saying the record is corrupt. */
  static Field field(Path dir, byte[] k, byte[] v) {
    try {
      return FieldCodec.decode(v);
    } catch (IllegalArgumentException e) {
      throw corrupt(dir, k, e.getMessage());
    }
  }

  static StoreException corrupt(Path dir, byte[] k, @Nullable String why) {
    return new StoreException("store at " + dir + " is corrupt: record " + hex(k) + ": " + why);
  }

  static StoreException failure(Path dir, String what, RocksDBException e) {
    return new StoreException("store at " + dir + ": " + what + " failed: " + describe(e), e);
  }

  static String describe(RocksDBException e) {
    Status s = e.getStatus();
    String msg = e.getMessage();
    return s == null ? String.valueOf(msg) : s.getCode() + (msg == null ? "" : ": " + msg);
  }

  private static String hex(byte[] k) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(k.length, 64); i++) {
      s.append(String.format("%02x", k[i] & 0xFF));
    }
    return k.length > 64 ? s + "…" : s.toString();
  }
}
