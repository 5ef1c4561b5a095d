package io.jgun.bench;

import io.jgun.graph.StateClock;
import io.jgun.engine.GraphEngine;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.store.MemoryStore;
import io.jgun.engine.StoreGraphEngine;
import io.jgun.testing.ManualLoop;
import io.jgun.wire.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The mesh routing one put: a writer peer puts a new value of one field of a soul that {@code
 * subscribers} other peers are GET-subscribed to; the mesh parses the frame, merges it (HAM),
 * acks the writer and pushes the change to every subscriber. One op is one put with its ack and
 * all its pushes; in-memory wires ({@link CountingWire}) and a hand-run loop ({@link ManualLoop}),
 * so this is the mesh's CPU cost alone, without sockets or threads. The aux counter
 * {@code deliveries} is pushes per second (ops × subscribers when nothing is lost).
 *
 * <p>{@code engine}: {@code memory} (MemoryGraphEngine) or {@code store} (StoreGraphEngine over an
 * in-memory Store, the relay's code path minus RocksDB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBench {
  private static final String SOUL = "fan";

  @Param({"1", "100", "1000"})
  public int subscribers;

  @Param({"memory", "store"})
  public String engine;

  private ManualLoop loop;
  private Mesh mesh;
  private CountingWire writer;
  private List<CountingWire> subs;
  private final long[] pushed = new long[1];
  private final long[] toWriter = new long[1];
  private long state;
  private long seq;
  private String value;

  /** Pushes delivered to subscribers, reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Deliveries {
    public long deliveries;

    @Setup(Level.Iteration)
    public void reset() {
      deliveries = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    loop = new ManualLoop();
    GraphEngine graph =
        "store".equals(engine)
            ? new StoreGraphEngine(new MemoryStore(), StateClock.system(), 1_000)
            : new MemoryGraphEngine(StateClock.system(), 1_000);
    MeshOptions opt = MeshOptions.builder().heartbeat(java.time.Duration.ZERO).build();
    mesh = new Mesh(opt, loop, (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no dialing")), graph, Ids.secure());
    state = System.currentTimeMillis() - 86_400_000L;
    value = "x".repeat(64);
    writer = new CountingWire("writer", toWriter);
    mesh.opened(writer);
    loop.drain();
    put(); // the soul exists before anyone subscribes, so the GETs are answered, not forwarded
    loop.drain();
    subs = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      CountingWire w = new CountingWire("sub" + i, pushed);
      subs.add(w);
      mesh.opened(w);
      loop.drain();
      mesh.received(w, "{\"#\":\"g" + i + "\",\"get\":{\"#\":\"" + SOUL + "\"}}");
      loop.drain();
    }
    long before = pushed[0];
    long acks = toWriter[0];
    put();
    loop.drain();
    if (pushed[0] - before != subscribers || toWriter[0] - acks != 1) {
      throw new IllegalStateException(
          "expected " + subscribers + " pushes and one ack, got " + (pushed[0] - before) + " and " + (toWriter[0] - acks));
    }
  }

  private void put() {
    long s = ++state;
    String id = "p" + (seq++);
    mesh.received(
        writer,
        "{\"#\":\"" + id + "\",\"put\":{\"" + SOUL + "\":{\"_\":{\"#\":\"" + SOUL + "\",\">\":{\"v\":" + s + "}},\"v\":\"" + value + "\"}}}");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    mesh.close();
  }

  /** One put routed: parsed, merged, acked, pushed to every subscriber. */
  @Benchmark
  public long routePut(Deliveries d) {
    long before = pushed[0];
    put();
    int tasks = loop.drain();
    d.deliveries += pushed[0] - before;
    return tasks + toWriter[0];
  }
}
