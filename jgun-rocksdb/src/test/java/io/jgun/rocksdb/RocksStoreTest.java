package io.jgun.rocksdb;

import io.jgun.store.BatchHook;
import io.jgun.store.Durability;
import io.jgun.store.Store;
import io.jgun.store.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link RocksStore} against the {@link StoreContract}, with fsync'd writes. */
class RocksStoreTest extends StoreContract {
  @TempDir Path tmp;
  private int n;
  private Path last;

  Durability durability() {
    return Durability.SYNC;
  }

  @Override
  protected Store open(BatchHook hook) {
    last = tmp.resolve("db" + n++);
    return RocksStore.builder(last).durability(durability()).hook(hook::beforeWrite).open();
  }

  @Override
  protected boolean persistent() {
    return true;
  }

  @Override
  protected Store reopen() {
    return RocksStore.builder(last).durability(durability()).open();
  }
}
