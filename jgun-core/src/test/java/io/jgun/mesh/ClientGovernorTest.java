package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-client limits: connections per IP, and a client over its rate slowed, then told, then disconnected. */
class ClientGovernorTest {
  private long now = 1_000_000_000L;
  private final MeshStats stats = new MeshStats();
  private final List<Long> resumesAfterMillis = new ArrayList<>();
  private final LoopScheduler later =
      new LoopScheduler() {
        @Override
        public void schedule(Runnable task, long millis) {
          resumesAfterMillis.add(millis);
          task.run();
        }

        @Override
        public boolean inLoop() {
          return true;
        }
      };

  private ClientGovernor governor(ClientLimits limits) {
    return new ClientGovernor(limits, stats, () -> now, later, () -> "id");
  }

  private static FakeWire wire(String remote) {
    return new FakeWire(remote, null, false, null);
  }

  @Test
  void connectionsPerIpAreCappedButLoopbackAndOtherIpsAreNot() {
    ClientGovernor g = governor(ClientLimits.NONE.perIp(0, 0, 2));
    ClientGovernor.Throttle a = g.opened(wire("10.0.0.1:1000"));
    assertThat(a).isNotNull();
    assertThat(g.opened(wire("10.0.0.1:1001"))).isNotNull();
    assertThat(g.opened(wire("10.0.0.1:1002"))).as("third from one IP").isNull();
    assertThat(g.opened(wire("10.0.0.2:1000"))).as("another IP").isNotNull();
    for (int i = 0; i < 5; i++) {
      assertThat(g.opened(wire("127.0.0.1:" + (2000 + i)))).as("loopback").isNotNull();
    }
    g.closed(a);
    assertThat(g.opened(wire("10.0.0.1:1003"))).as("room again after a close").isNotNull();
    assertThat(stats.connectionsRefused.sum()).isEqualTo(1);
  }

  @Test
  void aFlooderIsSlowedThenToldThenDisconnectedWhileAnotherClientIsUnaffected() {
    ClientLimits limits = ClientLimits.NONE.perConnection(10, 0).steps(Duration.ofSeconds(10), Duration.ofSeconds(60));
    ClientGovernor g = governor(limits);
    FakeWire flooderWire = wire("10.0.0.1:1000");
    FakeWire calmWire = wire("10.0.0.2:1000");
    Peer flooder = new Peer(flooderWire, Ids.secure());
    Peer calm = new Peer(calmWire, Ids.secure());
    ClientGovernor.Throttle ft = g.opened(flooderWire);
    ClientGovernor.Throttle ct = g.opened(calmWire);

    // a burst of one second's worth passes untouched
    for (int i = 0; i < 10; i++) {
      assertThat(g.admit(flooder, ft, 1, 10)).isTrue();
    }
    assertThat(flooderWire.pauses.get()).isZero();
    // then 50 messages a second against a rate of 10: slowed at once, told after 10 s, dropped after 60 s
    long toldAt = -1;
    long droppedAt = -1;
    for (int step = 0; step < 700 && droppedAt < 0; step++) {
      now += 100_000_000L;
      if (!g.admit(flooder, ft, 5, 10)) {
        droppedAt = step;
      }
      if (toldAt < 0 && flooderWire.sent.stream().anyMatch(f -> f.contains(ClientGovernor.SLOW_DOWN))) {
        toldAt = step;
      }
      assertThat(g.admit(calm, ct, 1, 10)).isTrue(); // 10 a second: exactly its rate
    }
    assertThat(flooderWire.pauses.get()).as("slowed").isPositive();
    assertThat(toldAt).as("told after about 10 s").isBetween(99L, 101L);
    assertThat(droppedAt).as("disconnected after about 60 s").isBetween(599L, 601L);
    assertThat(flooderWire.sent.stream().filter(f -> f.contains(ClientGovernor.SLOW_DOWN))).as("told once").hasSize(1);
    assertThat(calmWire.pauses.get()).as("the other client is never slowed").isZero();
    assertThat(stats.clientsTold.sum()).isEqualTo(1);
    assertThat(stats.clientsDisconnected.sum()).isEqualTo(1);
    assertThat(resumesAfterMillis).isNotEmpty().allMatch(ms -> ms >= 1);
  }

  @Test
  void aClientBackUnderItsRateStartsAfresh() {
    ClientGovernor g = governor(ClientLimits.NONE.perConnection(0, 100).steps(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    FakeWire w = wire("10.0.0.1:1000");
    Peer p = new Peer(w, Ids.secure());
    ClientGovernor.Throttle t = g.opened(w);
    assertThat(g.admit(p, t, 1, 150)).isTrue(); // 50 bytes in debt: slowed
    assertThat(w.pauses.get()).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      now += 1_500_000_000L; // calm: 150 bytes of credit each time, 100 spent
      assertThat(g.admit(p, t, 1, 100)).isTrue();
    }
    assertThat(w.pauses.get()).as("never over again").isEqualTo(1);
    assertThat(stats.clientsTold.sum() + stats.clientsDisconnected.sum()).isZero();
  }

  @Test
  void bytesAreChargedAsTheyAreReadSoALargeFrameIsPausedWhileItArrives() {
    ClientGovernor g = governor(ClientLimits.NONE.perConnection(0, 1_000).perIp(0, 2_000, 0));
    FakeWire w = wire("10.0.0.1:1000");
    FakeWire sameIp = wire("10.0.0.1:1001");
    Peer p = new Peer(w, Ids.secure());
    Peer q = new Peer(sameIp, Ids.secure());
    ClientGovernor.Throttle t = g.opened(w);
    ClientGovernor.Throttle u = g.opened(sameIp);
    assertThat(g.read(p, t, 1_000)).isTrue(); // one second's worth: no pause
    assertThat(w.pauses.get()).isZero();
    // the next read of the same (still incomplete) frame is over the rate: paused for 0.5 s, before
    // any frame was decoded or parsed
    assertThat(g.read(p, t, 500)).isTrue();
    assertThat(w.pauses.get()).isEqualTo(1);
    assertThat(resumesAfterMillis).containsExactly(500L);
    // the IP's rate is shared: another connection of that IP, under its own rate, runs into it
    assertThat(g.read(q, u, 600)).isTrue();
    assertThat(sameIp.pauses.get()).as("1,500 + 600 bytes of the IP's 2,000").isEqualTo(1);
    // the frame those bytes made is charged its messages only: its bytes were paid as they arrived
    now += 2_000_000_000L;
    assertThat(g.admit(p, t, 1, 1_500)).isTrue();
    assertThat(w.pauses.get()).isEqualTo(1);
  }

  @Test
  void aConnectionOverItsByteRateByItsReadsIsToldAndDisconnectedEvenIfItsFramesAreFew() {
    ClientGovernor g = governor(ClientLimits.NONE.perConnection(1_000, 1_000).steps(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    FakeWire w = wire("10.0.0.1:1000");
    Peer p = new Peer(w, Ids.secure());
    ClientGovernor.Throttle t = g.opened(w);
    long droppedAt = -1;
    for (int step = 0; step < 700 && droppedAt < 0; step++) {
      now += 100_000_000L;
      // 2,000 bytes a second against 1,000, and a frame now and then that is under the message rate
      if (!g.read(p, t, 200) || !g.admit(p, t, 1, 200)) {
        droppedAt = step;
      }
    }
    assertThat(droppedAt).as("disconnected after about 60 s over its byte rate").isBetween(609L, 611L);
    assertThat(stats.clientsTold.sum()).isEqualTo(1);
  }

  @Test
  void relaysWeDialedAreNotLimited() {
    ClientGovernor g = governor(ClientLimits.NONE.perConnection(1, 1));
    FakeWire w = new FakeWire("10.0.0.9:8765", null, true, "ws://10.0.0.9:8765/gun");
    ClientGovernor.Throttle t = g.opened(w);
    for (int i = 0; i < 100; i++) {
      assertThat(g.admit(new Peer(w, Ids.secure()), t, 100, 10_000)).isTrue();
    }
    assertThat(w.pauses.get()).isZero();
  }

  @Test
  void hostsOfRemoteAddresses() {
    assertThat(ClientGovernor.host("10.1.2.3:5000")).isEqualTo("10.1.2.3");
    assertThat(ClientGovernor.host("/10.1.2.3:5000")).isEqualTo("10.1.2.3");
    assertThat(ClientGovernor.host("0:0:0:0:0:0:0:1:5000")).isEqualTo("0:0:0:0:0:0:0:1");
  }
}
