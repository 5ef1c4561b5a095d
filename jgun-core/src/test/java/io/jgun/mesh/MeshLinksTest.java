package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.dam.ReconnectPolicy;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.testing.ManualLoop;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh's connections, on a loop and clock run by hand: the handshake's self-dial and twin
 * resolution, the backoff between dials of a lost peer, the cap on frames waiting per peer, and
 * the life cycle.
 */
class MeshLinksTest {
  private final ManualLoop loop = new ManualLoop();
  /** Every dial, by URL, with the loop's clock (ms) when it started. */
  private final List<String> dials = new ArrayList<>();
  private final List<FakeWire> dialed = new ArrayList<>();
  /** Whether dials reach their peer; if not, they fail. */
  private boolean reachable = true;
  private @Nullable Mesh mesh;

  private Mesh mesh(String pid, MeshOptions.Builder opt) {
    Dialer dialer =
        (url, listener) -> {
          dials.add(url + "@" + loop.millis());
          if (!reachable) {
            return CompletableFuture.failedFuture(new IllegalStateException("unreachable in this test"));
          }
          FakeWire w = new FakeWire("out:" + url, listener, true, url);
          dialed.add(w);
          listener.opened(w);
          return CompletableFuture.completedFuture(w);
        };
    MeshOptions o = opt.pid(pid).heartbeat(Duration.ZERO).clock(loop.wallClock()).ticker(loop::nanoTime).build();
    Mesh m = new Mesh(o, loop, false, dialer, new MemoryGraphEngine(new StateClock(loop.wallClock()), 1000), Ids.secure());
    mesh = m;
    return m;
  }

  @AfterEach
  void tearDown() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static List<String> framesWith(FakeWire w, String needle) {
    return w.sent.stream().filter(f -> f.contains(needle)).collect(Collectors.toList());
  }

  private FakeWire accept(Mesh m, String name) {
    FakeWire w = new FakeWire(name, m);
    m.opened(w);
    loop.runDue();
    return w;
  }

  @Test
  void aConnectionThatLeadsBackToThisRelayIsClosedAndNeverDialedAgain() {
    Mesh m = mesh("relaypid1", MeshOptions.builder().peer("ws://self.invalid/gun"));
    m.start();
    loop.runDue();
    assertThat(dials).hasSize(1);
    FakeWire out = dialed.get(0);
    // the accepting side (this very relay) speaks first, with our own pid
    m.received(out, "{\"#\":\"selfhi001\",\"dam\":\"?\",\"pid\":\"relaypid1\"}");
    loop.runDue();
    assertThat(out.isOpen()).isFalse();
    assertThat(framesWith(out, "selfhi001")).as("not answered").isEmpty();
    loop.advance(120_000);
    assertThat(dials).as("a dormant self-dial is not retried").hasSize(1);
  }

  @Test
  void twoRelaysThatDialedEachOtherKeepTheConnectionDialedByTheLowerPid() {
    // we are the lower pid: the connection we dialed stays, theirs to us is closed
    Mesh m = mesh("relaypidA", MeshOptions.builder().peer("ws://b.invalid/gun"));
    m.start();
    loop.runDue();
    FakeWire ours = dialed.get(0);
    m.received(ours, "{\"#\":\"bhi000001\",\"dam\":\"?\",\"pid\":\"relaypidB\"}");
    FakeWire theirs = accept(m, "in:b");
    m.received(theirs, "{\"#\":\"bans00001\",\"@\":\"x\",\"dam\":\"?\",\"pid\":\"relaypidB\"}");
    loop.runDue();
    assertThat(theirs.isOpen()).isFalse();
    assertThat(ours.isOpen()).isTrue();
    assertThat(m.connections()).isOne();
  }

  @Test
  void theHigherPidDropsItsOwnDialAndDialsAgainOnlyWhenTheOtherConnectionCloses() {
    Mesh m = mesh("relaypidZ", MeshOptions.builder().peer("ws://b.invalid/gun"));
    m.start();
    loop.runDue();
    FakeWire ours = dialed.get(0);
    m.received(ours, "{\"#\":\"bhi000001\",\"dam\":\"?\",\"pid\":\"relaypidB\"}");
    FakeWire theirs = accept(m, "in:b");
    m.received(theirs, "{\"#\":\"bans00001\",\"@\":\"x\",\"dam\":\"?\",\"pid\":\"relaypidB\"}");
    loop.runDue();
    assertThat(ours.isOpen()).as("the connection dialed by the higher pid goes").isFalse();
    assertThat(theirs.isOpen()).isTrue();
    loop.advance(120_000);
    assertThat(dials).as("dormant while the other connection is open").hasSize(1);

    theirs.close();
    loop.runDue();
    assertThat(dials).as("re-dialed at once when the connection it deferred to closes").hasSize(2);
  }

  @Test
  void aLostPeerIsDialedAgainWithTheBackoffOfTheReconnectPolicy() {
    long seed = 99;
    Mesh m =
        mesh(
            "relaypid1",
            MeshOptions.builder()
                .peer("ws://gone.invalid/gun")
                .reconnect(Duration.ofMillis(500), Duration.ofSeconds(4))
                .random(new SplittableRandom(seed)));
    reachable = false;
    m.start();
    loop.runDue();
    long start = loop.millis();
    loop.advance(60_000);

    ReconnectPolicy.Backoff expected =
        ReconnectPolicy.exponential(Duration.ofMillis(500), Duration.ofSeconds(4), new SplittableRandom(seed)).backoff();
    List<String> want = new ArrayList<>();
    long t = start;
    want.add("ws://gone.invalid/gun@" + t);
    while (true) {
      t += expected.nextDelayMillis();
      if (t > start + 60_000) {
        break;
      }
      want.add("ws://gone.invalid/gun@" + t);
    }
    assertThat(dials).isEqualTo(want);
    assertThat(dials.size()).as("capped at 4 s (with jitter up to 6 s): many dials a minute").isGreaterThan(10);
  }

  @Test
  void aConnectionStartsTheBackoffAgain() {
    Mesh m =
        mesh(
            "relaypid1",
            MeshOptions.builder()
                .peer("ws://flaky.invalid/gun")
                .reconnect(Duration.ofMillis(1000), Duration.ofSeconds(30))
                .random(() -> Long.MIN_VALUE)); // no jitter: a factor of exactly 1
    reachable = false;
    m.start();
    loop.runDue();
    loop.advance(1000 + 2000 + 4000); // dials at 0, 1 s, 3 s, 7 s
    assertThat(dials).hasSize(4);
    reachable = true;
    loop.advance(8000); // the next, at 15 s, connects
    assertThat(dials).hasSize(5);
    dialed.get(0).close(); // lost again: the wait is the minimum, not 16 s
    loop.runDue();
    loop.advance(999);
    assertThat(dials).hasSize(5);
    loop.advance(1);
    assertThat(dials).hasSize(6);
  }

  @Test
  void aPeerWithTooManyFramesWaitingForTheLoopIsDisconnected() throws Exception {
    Mesh m = mesh("relaypid1", MeshOptions.builder().maxPendingFramesPerPeer(3));
    m.start();
    FakeWire a = accept(m, "a");
    // frames from the transport's thread while the loop is busy elsewhere (it does not run here)
    CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 4; i++) {
                m.received(a, "{\"#\":\"frame000" + i + "\",\"get\":{\"#\":\"s" + i + "\"}}");
              }
            })
        .get();
    assertThat(a.isOpen()).isFalse();
    assertThat(m.stats().peersDropped.sum()).isOne();
    loop.runDue(); // the three frames taken in find the peer gone: nothing is answered
    assertThat(framesWith(a, "\"@\":\"frame000")).isEmpty();
  }

  @Test
  void framesUpToTheCapAreServed() throws Exception {
    Mesh m = mesh("relaypid1", MeshOptions.builder().maxPendingFramesPerPeer(3));
    m.start();
    FakeWire a = accept(m, "a");
    CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 3; i++) {
                m.received(a, "{\"#\":\"frame000" + i + "\",\"get\":{\"#\":\"s" + i + "\"}}");
              }
            })
        .get();
    loop.runDue();
    assertThat(a.isOpen()).isTrue();
    assertThat(m.stats().peersDropped.sum()).isZero();
    String all = String.join("\n", a.sent);
    for (int i = 0; i < 3; i++) {
      assertThat(all).contains("\"@\":\"frame000" + i + "\"");
    }
  }

  @Test
  void theLifeCycleMovesForwardOnlyAndAClosedMeshRefusesConnections() {
    Mesh m = mesh("relaypid1", MeshOptions.builder());
    assertThat(m.state()).isEqualTo(Mesh.State.NEW);
    m.start();
    loop.runDue();
    assertThat(m.state()).isEqualTo(Mesh.State.RUNNING);
    m.start();
    loop.runDue();
    assertThat(m.state()).isEqualTo(Mesh.State.RUNNING);
    m.close();
    assertThat(m.state()).isEqualTo(Mesh.State.STOPPED);
    FakeWire late = new FakeWire("late", m);
    m.opened(late);
    assertThat(late.isOpen()).isFalse();
    m.close(); // idempotent
    assertThat(m.state()).isEqualTo(Mesh.State.STOPPED);
  }
}
