package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.GraphEngine;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of GETs against a slow store queues, a bounded number per connection with that
 * connection's reading paused, and every GET is answered: none fails because the store is busy.
 */
class MeshReadQueueTest {
  private static final int MAX_READS = 4;
  private static final int MAX_PARKED = 20;

  /** Reads that complete only when the test says so; counts the most under way at once. */
  private static final class SlowEngine implements GraphEngine {
    final MemoryGraphEngine memory = new MemoryGraphEngine(StateClock.system(), 1000);
    final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    final AtomicInteger underWay = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    @Override
    public Merge merge(Graph incoming) {
      return memory.merge(incoming);
    }

    @Override
    public @Nullable Field field(String soul, String key) {
      return memory.field(soul, key);
    }

    @Override
    public @Nullable Graph read(String soul, @Nullable Lex key, @Nullable Double limit) {
      return memory.read(soul, key, limit);
    }

    @Override
    public @Nullable Graph readSouls(Lex soul, @Nullable Double limit) {
      return memory.readSouls(soul, limit);
    }

    @Override
    public CompletableFuture<@Nullable Graph> readAsync(String soul, @Nullable Lex key, @Nullable Double limit) {
      CompletableFuture<@Nullable Graph> f = new CompletableFuture<>();
      most.accumulateAndGet(underWay.incrementAndGet(), Math::max);
      waiting.add(() -> {
        underWay.decrementAndGet();
        f.complete(memory.read(soul, key, limit));
      });
      return f;
    }

    @Override
    public long nextDeferralMillis() {
      return memory.nextDeferralMillis();
    }

    @Override
    public Graph drainDeferred() {
      return memory.drainDeferred();
    }

    /** Completes every read under way; returns how many. */
    int completeAll() {
      int n = 0;
      for (Runnable r; (r = waiting.poll()) != null; n++) {
        r.run();
      }
      return n;
    }
  }

  private final SlowEngine engine = new SlowEngine();
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt =
        MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).maxReadsInFlight(MAX_READS).maxParkedGetsPerPeer(MAX_PARKED).build();
    mesh = new Mesh(opt, Executors.newSingleThreadScheduledExecutor(), noDial, engine, Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static long answers(FakeWire w, String prefix) {
    return w.sent.stream().mapToLong(f -> f.split("\"@\":\"" + prefix, -1).length - 1).sum();
  }

  @Test
  void aBurstOfGetsQueuesWithBackpressureAndEveryOneIsAnswered() {
    FakeWire a = FakeWire.connect("a", mesh);
    FakeWire b = FakeWire.connect("b", mesh);
    int perPeer = 100;
    for (int i = 0; i < perPeer; i++) {
      mesh.received(a, "{\"get\":{\"#\":\"doc/" + i + "\"},\"#\":\"ga" + i + "x\"}");
      mesh.received(b, "{\"get\":{\"#\":\"doc/" + i + "\"},\"#\":\"gb" + i + "x\"}");
    }
    await().until(() -> mesh.stats().getsQueued.sum() == 2L * perPeer - MAX_READS);
    assertThat(a.readingPaused).as("a's reading paused").isTrue();
    assertThat(b.readingPaused).as("b's reading paused").isTrue();
    await().until(() -> {
      engine.completeAll();
      return answers(a, "ga") == perPeer && answers(b, "gb") == perPeer;
    });
    assertThat(engine.most.get()).isLessThanOrEqualTo(MAX_READS);
    assertThat(a.sent).noneMatch(f -> f.contains("\"err\""));
    assertThat(a.readingPaused).isFalse();
    assertThat(b.readingPaused).isFalse();
  }
}
