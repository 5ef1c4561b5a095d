package io.jgun.postgres;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: measures the cost of a put on this machine, for docs/postgres.md. Run with {@code
 * -Djgun.pg.measure=true -Dtest=PutCostMeasurement}. For each number of puts kept in flight it runs
 * 10 s of one-field puts and prints puts/s, the mean put→ack time, the puts per transaction, and
 * the CPU time per put of this JVM and of the PostgreSQL server processes (from /proc). Nothing is
 * asserted: figures depend on the machine.
 */
@EnabledIfSystemProperty(named = "jgun.pg.measure", matches = "true")
class PutCostMeasurement {
  private static final double T = 1_795_520_969_763.0;

  @Test
  void measure() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      for (int inFlight : new int[] {1, 16, 256}) {
        String schema = PostgresCluster.freshSchema();
        try (PostgresStore store = pg.store(schema).open()) {
          run(store, pg, inFlight, 2); // warm-up
          run(store, pg, inFlight, 10);
        }
      }
      fanOut(pg, 10);
    }
  }

  /**
   * One store writes one field at a time; another store's change feed receives them. Prints the
   * time from the put to the feed's delivery (mean, 99th percentile) beside the put's own ack time.
   */
  private static void fanOut(PostgresCluster pg, int seconds) throws Exception {
    String schema = PostgresCluster.freshSchema();
    java.util.Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
    long ackNanos = 0;
    java.util.List<Long> delays = java.util.Collections.synchronizedList(new ArrayList<>());
    try (PostgresStore writer = pg.store(schema).open();
        PostgresStore reader = pg.store(schema).open();
        ChangeFeed feed = reader.changes(g -> {
          long now = System.nanoTime();
          g.nodes().values().forEach(n -> n.fields().keySet().forEach(k -> {
            Long t = sentAt.get(k);
            if (t != null) {
              delays.add(now - t);
            }
          }));
        })) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      for (long i = 0; System.nanoTime() < end; i++) {
        String key = "k" + i;
        long t0 = System.nanoTime();
        sentAt.put(key, t0); // before the put: the feed may deliver before this thread sees the ack
        writer.put(Graph.of(Node.builder("fan").put(key, Value.number(i), T).build())).get();
        ackNanos += System.nanoTime() - t0;
      }
      long n = sentAt.size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (delays.size() < n && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      List<Long> sorted = new ArrayList<>(delays);
      java.util.Collections.sort(sorted);
      double mean = sorted.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e6;
      double p99 = sorted.isEmpty() ? Double.NaN : sorted.get((int) (sorted.size() * 0.99)) / 1e6;
      System.out.printf("fan-out: %d of %d writes delivered to the other store's feed; put->delivery mean %.2f ms,"
          + " p99 %.2f ms; put->ack mean %.2f ms (delivered %d)%n", sorted.size(), n, mean, p99,
          ackNanos / 1e6 / n, feed.delivered());
    }
  }

  private static void run(PostgresStore store, PostgresCluster pg, int inFlight, int seconds) throws Exception {
    Semaphore window = new Semaphore(inFlight);
    AtomicLong done = new AtomicLong();
    AtomicLong latencyNanos = new AtomicLong();
    long batches0 = store.batchesWritten();
    long jvmCpu0 = jvmCpu();
    long pgCpu0 = pgCpuTicks(pg);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long i = 0;
    List<CompletableFuture<Graph>> last = new ArrayList<>();
    while (System.nanoTime() < end) {
      window.acquire();
      long t0 = System.nanoTime();
      Graph g = Graph.of(Node.builder("load/" + (i % 1000)).put("k" + (i / 1000), Value.number(i), T).build());
      i++;
      CompletableFuture<Graph> f = store.put(g);
      f.whenComplete((r, e) -> {
        latencyNanos.addAndGet(System.nanoTime() - t0);
        done.incrementAndGet();
        window.release();
      });
      if (last.size() < inFlight) {
        last.add(f);
      } else {
        last.set((int) (i % inFlight), f);
      }
    }
    window.acquire(inFlight);
    double wall = (System.nanoTime() - start) / 1e9;
    long n = done.get();
    long batches = store.batchesWritten() - batches0;
    double jvmMs = (jvmCpu() - jvmCpu0) / 1e6;
    double pgMs = (pgCpuTicks(pg) - pgCpu0) * 10.0; // 100 ticks a second
    System.out.printf("in flight %4d: %7.0f puts/s, put->ack %7.2f ms, %6.1f puts/transaction,"
            + " CPU per put: JVM %.3f ms, PostgreSQL %.3f ms (%d puts in %.1f s)%n",
        inFlight, n / wall, latencyNanos.get() / 1e6 / n, (double) n / batches, jvmMs / n, pgMs / n, n, wall);
  }

  private static long jvmCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** User + system clock ticks of the postmaster and all its children. */
  private static long pgCpuTicks(PostgresCluster pg) throws IOException {
    long pid = pg.postmasterPid();
    long sum = ticks(pid);
    for (ProcessHandle h : ProcessHandle.of(pid).orElseThrow().descendants().toList()) {
      sum += ticks(h.pid());
    }
    return sum;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    } catch (IOException e) {
      return 0; // a backend that just exited
    }
  }
}
