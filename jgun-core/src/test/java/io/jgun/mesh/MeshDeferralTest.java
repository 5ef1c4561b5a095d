package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.testing.ManualLoop;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes from the future, on a loop and clock run by hand: held until due, then pushed and acked. */
class MeshDeferralTest {
  private final ManualLoop loop = new ManualLoop();
  private Mesh mesh;
  /** Tasks pending with nothing deferred: the dedup sweep. */
  private int idle;

  @BeforeEach
  void setUp() {
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions o = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).clock(loop.wallClock()).ticker(loop::nanoTime).build();
    mesh = new Mesh(o, loop, false, noDial, new MemoryGraphEngine(new StateClock(loop.wallClock()), 1000), Ids.secure());
    mesh.start();
    loop.runDue();
    idle = loop.pending();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static String put(String id, long state) {
    return "{\"#\":\"" + id + "\",\"put\":{\"s/fut\":{\"_\":{\"#\":\"s/fut\",\">\":{\"x\":" + state + "}},\"x\":\"later\"}}}";
  }

  private FakeWire accept(String name) {
    FakeWire w = new FakeWire(name, mesh);
    mesh.opened(w);
    loop.runDue();
    return w;
  }

  private static boolean saw(FakeWire w, String needle) {
    return w.sent.stream().anyMatch(f -> f.contains(needle));
  }

  @Test
  void aPutOfOnlyFutureFieldsIsAckedAndPushedWhenItComesDue() {
    FakeWire writer = accept("writer");
    FakeWire reader = accept("reader");
    mesh.received(reader, "{\"#\":\"subscr001\",\"get\":{\"#\":\"s/fut\"}}");
    loop.runDue();
    mesh.received(writer, put("future001", loop.millis() + 5000));
    loop.runDue();
    assertThat(saw(writer, "\"@\":\"future001\"")).isFalse();
    assertThat(saw(reader, "later")).isFalse();

    loop.advance(4999);
    assertThat(saw(writer, "\"@\":\"future001\"")).isFalse();
    loop.advance(2);
    assertThat(saw(writer, "\"@\":\"future001\",\"ok\":true") || saw(writer, "\"ok\":true,\"@\":\"future001\"")).isTrue();
    assertThat(saw(reader, "later")).isTrue();
    assertThat(loop.pending()).as("no wake-up left once nothing is deferred").isEqualTo(idle);
  }

  @Test
  void manyDeferredPutsKeepOneWakeUpPending() {
    FakeWire writer = accept("writer");
    for (int i = 0; i < 50; i++) {
      mesh.received(writer, put("future" + (100 + i), loop.millis() + 10_000 + i));
    }
    loop.runDue();
    assertThat(loop.pending()).isEqualTo(idle + 1);
    loop.advance(10_100);
    for (int i = 0; i < 50; i++) {
      assertThat(saw(writer, "future" + (100 + i))).isTrue();
    }
  }
}
