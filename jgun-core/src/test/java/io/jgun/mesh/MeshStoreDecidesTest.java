package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.engine.StoreGraphEngine;
import io.jgun.engine.StoreWrapper;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import io.jgun.graph.Value;
import io.jgun.store.MemoryStore;
import io.jgun.store.StoreException;
import io.jgun.testing.FakeWire;
import io.jgun.testing.ManualLoop;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mesh over a store that decides HAM as it writes (relays sharing PostgreSQL): a put is acked and
 * pushed once the store has decided and written it, with what the store accepted; one the store
 * refuses is neither acked nor pushed; one it fails to write gets an {@code err} ack.
 */
class MeshStoreDecidesTest {
  private static final long T = 1_699_999_000_000L; // before the manual loop's clock: nothing is deferred
  private final ManualLoop loop = new ManualLoop();
  private final Deque<Runnable> writes = new ArrayDeque<>();
  private final MemoryStore stored = new MemoryStore();
  private Mesh mesh;

  /** The store: each put waits in {@link #writes} until the test writes it (or fails it). */
  private final StoreWrapper store = new StoreWrapper(stored) {
    @Override
    public CompletableFuture<Graph> put(Graph fields) {
      CompletableFuture<Graph> f = new CompletableFuture<>();
      writes.add(() -> {
        if (fields.nodes().containsKey("broken")) {
          f.completeExceptionally(new StoreException("disk on fire"));
        } else {
          f.complete(stored.put(fields).join());
        }
      });
      return f;
    }
  };

  @BeforeEach
  void setUp() {
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions o = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).clock(loop.wallClock())
        .ticker(loop::nanoTime).build();
    StoreGraphEngine engine = StoreGraphEngine.storeDecides(store, new StateClock(loop.wallClock()), 1000);
    mesh = new Mesh(o, loop, false, noDial, engine, Ids.secure());
    mesh.start();
    loop.runDue();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static String put(String id, String soul, String key, String json, long state) {
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"" + key + "\":" + state
        + "}},\"" + key + "\":" + json + "}}}";
  }

  private FakeWire open(String name) {
    FakeWire w = new FakeWire(name, mesh);
    mesh.opened(w);
    loop.runDue();
    return w;
  }

  private void writeAll() {
    while (!writes.isEmpty()) {
      writes.removeFirst().run();
    }
    loop.runDue();
  }

  private static long count(FakeWire w, String text) {
    return w.sent.stream().filter(f -> f.contains(text)).count();
  }

  @Test
  void aPutIsAckedAndPushedWithWhatTheStoreAccepted() {
    FakeWire writer = open("writer");
    FakeWire sub = open("sub");
    mesh.received(sub, "{\"#\":\"sub00001\",\"get\":{\"#\":\"s\"}}");
    loop.runDue();
    writeAll();

    mesh.received(writer, put("put00001", "s", "x", "1", T));
    loop.runDue();
    assertThat(count(writer, "\"@\":\"put00001\"")).as("no ack before the store decided").isZero();
    assertThat(count(sub, "\"x\":1")).as("no push before the store decided").isZero();
    writeAll();
    assertThat(count(writer, "\"@\":\"put00001\"")).isEqualTo(1);
    assertThat(writer.sent).anyMatch(f -> f.contains("\"@\":\"put00001\"") && f.contains("\"ok\":"));
    assertThat(count(sub, "\"x\":1")).isEqualTo(1);

    // another writer (another relay) stored a newer value meanwhile: the store refuses this one
    stored.put(Graph.of(Node.builder("s").put("x", Value.number(3), T + 5).build())).join();
    mesh.received(writer, put("put00002", "s", "x", "2", T + 1));
    writeAll();
    assertThat(count(writer, "\"@\":\"put00002\"")).as("a put the store refused is not acked").isZero();
    assertThat(count(sub, "\"x\":2")).as("nor pushed").isZero();

    mesh.received(writer, put("put00003", "broken", "x", "1", T));
    writeAll();
    assertThat(writer.sent).anyMatch(f -> f.contains("\"@\":\"put00003\"") && f.contains("\"err\""));
  }
}
