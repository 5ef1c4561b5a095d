package io.jgun.postgres;

import io.jgun.store.BatchHook;
import io.jgun.store.Store;
import io.jgun.store.StoreContract;

/** {@link PostgresStore} against the {@link StoreContract}, each store on a schema of its own. */
class PostgresStoreTest extends StoreContract {
  private String last = "";

  @Override
  protected Store open(BatchHook hook) {
    last = PostgresCluster.freshSchema();
    return PostgresCluster.shared().store(last).hook(hook::beforeWrite).open();
  }

  @Override
  protected boolean persistent() {
    return true;
  }

  @Override
  protected Store reopen() {
    return PostgresCluster.shared().store(last).open();
  }
}
