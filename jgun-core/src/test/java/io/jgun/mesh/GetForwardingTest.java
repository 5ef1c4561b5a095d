package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.testing.ManualLoop;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET forwarding in AXE turns, on a loop and clock run by hand: who is asked, when, how many. */
class GetForwardingTest {
  private static final String GET = "{\"#\":\"getturn01\",\"get\":{\"#\":\"nobody/has\"}}";
  private final ManualLoop loop = new ManualLoop();
  private Mesh mesh;

  private void start(MeshOptions.Builder opt) {
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions o = opt.pid("relaypid1").heartbeat(Duration.ZERO).clock(loop.wallClock()).ticker(loop::nanoTime).build();
    mesh = new Mesh(o, loop, false, noDial, new MemoryGraphEngine(new StateClock(loop.wallClock()), 1000), Ids.secure());
    mesh.start();
    loop.runDue();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private List<FakeWire> peers(int n) {
    List<FakeWire> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeWire w = new FakeWire("p" + i, mesh);
      mesh.opened(w);
      out.add(w);
    }
    loop.runDue();
    return out;
  }

  private static int asked(List<FakeWire> wires) {
    int n = 0;
    for (FakeWire w : wires) {
      if (w.sent.stream().anyMatch(f -> f.contains("getturn01") && f.contains("\"get\""))) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aGetNobodyAnswersAsksThreePeersATurnOneTurnEachInterval() {
    start(MeshOptions.builder().getWaveInterval(Duration.ofMillis(25)));
    List<FakeWire> ps = peers(8);
    FakeWire asker = ps.get(0);
    List<FakeWire> others = ps.subList(1, 8);
    mesh.received(asker, GET);
    loop.runDue();
    assertThat(asked(others)).isEqualTo(3);
    loop.advance(24);
    assertThat(asked(others)).as("the next turn waits its interval").isEqualTo(3);
    loop.advance(1);
    assertThat(asked(others)).isEqualTo(6);
    loop.advance(25);
    assertThat(asked(others)).isEqualTo(7);
    loop.advance(1000);
    assertThat(asked(others)).isEqualTo(7);
    assertThat(asked(List.of(asker))).as("never the asker").isZero();
    assertThat(mesh.stats().getsForwarded.sum()).isEqualTo(7);
  }

  @Test
  void theForwardBudgetCapsHowManyPeersOneGetReaches() {
    start(MeshOptions.builder().getForwardMax(4));
    List<FakeWire> ps = peers(10);
    mesh.received(ps.get(0), GET);
    loop.advance(1000);
    assertThat(asked(ps)).isEqualTo(4);
  }

  @Test
  void aPeerNamedInTheRouteIsNotAsked() {
    start(MeshOptions.builder());
    List<FakeWire> ps = peers(3);
    String routed = "{\"#\":\"getturn01\",\"get\":{\"#\":\"nobody/has\"},\"><\":\"p1xx,p2\"}";
    // p2 is known by the pid it gave in its handshake
    mesh.received(ps.get(2), "{\"#\":\"p2hi00001\",\"@\":\"x\",\"dam\":\"?\",\"pid\":\"p2\"}");
    mesh.received(ps.get(0), routed);
    loop.advance(1000);
    assertThat(asked(List.of(ps.get(1)))).isOne();
    assertThat(asked(List.of(ps.get(2)))).isZero();
  }

  @Test
  void subscribersOfTheSoulAreAskedBeforeEveryoneElse() {
    start(MeshOptions.builder().getWaveSize(1));
    List<FakeWire> ps = peers(4);
    // p3 subscribes to the soul by asking for it first
    mesh.received(ps.get(3), "{\"#\":\"subscr001\",\"get\":{\"#\":\"nobody/has\"}}");
    loop.advance(1000);
    ps.forEach(w -> w.sent.clear());
    mesh.received(ps.get(0), GET);
    loop.runDue();
    assertThat(asked(List.of(ps.get(3)))).as("the subscriber, in the first turn").isOne();
    assertThat(asked(List.of(ps.get(1), ps.get(2)))).isZero();
  }

  @Test
  void turnsStopOnceAPeerAnswersWithData() {
    start(MeshOptions.builder().getWaveSize(1));
    List<FakeWire> ps = peers(5);
    mesh.received(ps.get(0), GET);
    loop.runDue();
    FakeWire first = ps.stream().skip(1).filter(w -> asked(List.of(w)) == 1).findFirst().orElseThrow();
    mesh.received(first, "{\"#\":\"answer001\",\"@\":\"getturn01\",\"put\":{\"nobody/has\":{\"_\":{\"#\":\"nobody/has\",\">\":{\"x\":1}},\"x\":\"y\"}}}");
    loop.advance(1000);
    assertThat(asked(ps)).isOne();
  }

  /** Gun.js keeps a GET's route alive while its answer streams in (a browser's 100,000 items). */
  @Test
  void aLongStreamedAnswerIsRoutedPastTheDedupWindow() {
    Duration window = Duration.ofMillis(300);
    start(MeshOptions.builder().dedupAge(window));
    FakeWire holder = peers(1).get(0);
    FakeWire asker = new FakeWire("asker", mesh);
    mesh.opened(asker);
    loop.runDue();
    mesh.received(asker, "{\"get\":{\"#\":\"big\"},\"#\":\"askB0001\"}");
    loop.runDue();
    assertThat(holder.sent).anyMatch(f -> f.contains("askB0001"));
    for (int i = 0; i < 10; i++) {
      String id = "chunk" + i;
      mesh.received(holder, "{\"#\":\"" + id + "\",\"@\":\"askB0001\",\"put\":{\"big\":{\"_\":{\"#\":\"big\",\">\":{\"k"
          + i + "\":1}},\"k" + i + "\":" + i + "}}}");
      loop.runDue();
      assertThat(asker.sent).as("chunk %d, %d ms after the GET", i, i * 100).anyMatch(f -> f.contains(id));
      loop.advance(window.toMillis() / 3); // the stream goes on: time passes between chunks
    }
  }
}
