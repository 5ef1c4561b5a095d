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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RocksStore} reads as the store grows, for two block-cache sizes: the read HAM makes for
 * every new field of a put (a field that is not stored, whose key falls inside the stored key range,
 * so RocksDB has to consult the SST files' filters) and a read of a stored field.
 *
 * <p>The load tool showed a relay's put rate falling by half or more once about 600,000 fields were
 * stored; this isolates the store's share. The store is filled with one field per soul (souls
 * {@code lb/0 … lb/N-1}, 64-byte values, durability NONE), closed and reopened so everything is in
 * SST files, then read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StoreGrowthBench {
  static final double T = 1_795_520_969_763.0;

  @Param({"100000", "1000000"})
  public int fields;

  @Param({"32", "256"})
  public int cacheMiB;

  private Path dir;
  private RocksStore store;

  @Setup(Level.Trial)
  public void fill() throws IOException {
    dir = Files.createTempDirectory("jgun-store-growth-bench");
    String value = "v".repeat(64);
    try (RocksStore s = open()) {
      List<CompletableFuture<Graph>> fs = new ArrayList<>();
      for (int i = 0; i < fields; i++) {
        fs.add(s.put(Graph.of(Node.builder("lb/" + i).put("v", Value.text(value), T + i).build())));
        if (fs.size() == 10_000) {
          fs.forEach(CompletableFuture::join);
          fs.clear();
        }
      }
      fs.forEach(CompletableFuture::join);
    }
    store = open();
  }

  private RocksStore open() {
    return RocksStore.builder(dir).durability(Durability.NONE).blockCacheBytes((long) cacheMiB << 20).open();
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

  /** What HAM reads for a new field: {@code lb/<n>x} is not stored but sorts among stored keys. */
  @Benchmark
  public Field readMissingFieldInRange() {
    return store.fieldNow("lb/" + ThreadLocalRandom.current().nextInt(fields) + "x", "v");
  }

  /** A stored field, at random. */
  @Benchmark
  public Field readStoredField() {
    return store.fieldNow("lb/" + ThreadLocalRandom.current().nextInt(fields), "v");
  }
}
