package io.jgun.client;

import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The child process of {@link DurableOutboxKillTest}: an offline client on a RocksStore that writes
 * {@code note/<i>} for i = 0, 1, … (up to {@code args[1]}), printing {@code ACK i} once each write
 * is locally acknowledged, then waits to be killed.
 */
public final class OfflineWriterMain {
  private OfflineWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    RocksStore store = RocksStore.builder(dir).durability(Durability.SYNC).open();
    Gun gun = Gun.builder().store(store).outbox(DurableOutbox.in(store.directory())).peers("ws://127.0.0.1:9/gun").acks(AckPolicy.LOCAL).build();
    for (int i = 0; i < count; i++) {
      gun.get("note/" + i).put(Map.of("i", i)).join();
      System.out.println("ACK " + i);
      System.out.flush();
    }
    System.out.println("DONE");
    System.out.flush();
    new CountDownLatch(1).await(); // never closed: the parent kills this process
  }
}
