package io.jgun.bench;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RocksStore}: acked puts per second for each durability with 1 and 16 writers waiting for
 * their acks (16 writers share fsyncs: group commit), and point reads of a field among 100,000.
 * Each put writes one new field (a node of one field, as a client's {@code put} of one key).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class StoreBench {
  static final double T = 1_795_520_969_763.0;
  static final int PRELOADED = 100_000;

  @Param({"SYNC", "WAL", "NONE"})
  public String durability;

  private Path dir;
  private RocksStore store;
  private final AtomicLong seq = new AtomicLong();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("jgun-store-bench");
    store = RocksStore.builder(dir).durability(Durability.valueOf(durability)).open();
    List<CompletableFuture<Graph>> fs = new ArrayList<>();
    for (int i = 0; i < PRELOADED; i++) {
      fs.add(store.put(Graph.of(Node.builder("r" + i).put("t", Value.text("value-" + i), T).build())));
      if (fs.size() == 10_000) {
        fs.forEach(CompletableFuture::join);
        fs.clear();
      }
    }
    fs.forEach(CompletableFuture::join);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private Graph next() {
    long i = seq.incrementAndGet();
    return Graph.of(Node.builder("w" + (i & 1023)).put("k" + i, Value.text("value-" + i), T + i).build());
  }

  /** One writer: each put waits for its ack before the next. */
  @Benchmark
  @Threads(1)
  public Graph putOneWriter() {
    return store.put(next()).join();
  }

  /** Sixteen writers, each waiting for its own ack. */
  @Benchmark
  @Threads(16)
  public Graph putSixteenWriters() {
    return store.put(next()).join();
  }

  /** A point read of a stored field (block cache warm). */
  @Benchmark
  @Threads(1)
  public Field readField() {
    return store.fieldNow("r" + ThreadLocalRandom.current().nextInt(PRELOADED), "t");
  }
}
