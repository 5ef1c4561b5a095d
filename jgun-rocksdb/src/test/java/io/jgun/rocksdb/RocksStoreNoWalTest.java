package io.jgun.rocksdb;

import io.jgun.store.Durability;

/** The contract again with {@link Durability#NONE}: a clean close must still keep everything. */
class RocksStoreNoWalTest extends RocksStoreTest {
  @Override
  Durability durability() {
    return Durability.NONE;
  }
}
