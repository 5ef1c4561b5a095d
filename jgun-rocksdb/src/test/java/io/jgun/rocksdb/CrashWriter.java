package io.jgun.rocksdb;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.store.Durability;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link CrashTest}: writes unique fields from several threads into a store and
 * prints {@code ACK soul key state} for each put whose future completed, until it is killed (or,
 * bounded, after 200,000 puts or 2 minutes). Arguments: directory, durability, threads and,
 * optionally, the memtable size in bytes.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    int threads = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    RocksStore.Builder builder = RocksStore.builder(dir).durability(durability);
    if (args.length > 3) {
      builder.writeBufferBytes(Long.parseLong(args[3])); // small memtables: many log files, reused
    }
    RocksStore store = builder.open();
    out.println("OPEN");
    out.flush();
    long end = System.nanoTime() + 120_000_000_000L;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] = new Thread(() -> {
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; i < 200_000 / threads && System.nanoTime() < end; i++) {
          inFlight.acquireUninterruptibly();
          String soul = "w" + id;
          String key = "k" + i;
          double state = 1_795_520_969_763.0 + i;
          store.put(Graph.of(Node.builder(soul).put(key, Value.number(i), state).build()))
              .whenComplete((g, e) -> {
                inFlight.release();
                if (e == null && !g.isEmpty()) {
                  synchronized (out) {
                    out.println("ACK " + soul + " " + key + " " + state);
                    out.flush();
                  }
                }
              });
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    store.close();
    out.println("DONE");
    out.flush();
  }
}
