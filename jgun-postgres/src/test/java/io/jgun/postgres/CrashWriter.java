package io.jgun.postgres;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link CrashTest}: writes unique fields from several threads into a {@link
 * PostgresStore} and prints {@code ACK soul key state} for each put whose future completed, until it
 * is killed (or, bounded, after 200,000 puts or 2 minutes). Arguments: port, schema, threads, round.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String schema = args[1];
    int threads = Integer.parseInt(args[2]);
    String round = args[3];
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    PostgresStore store = PostgresStore.builder(new PgUrl("127.0.0.1", port, "postgres", "postgres", null))
        .schema(schema).open();
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
          String soul = "r" + round + "w" + id;
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
