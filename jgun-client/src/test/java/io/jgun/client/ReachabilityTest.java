package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Reads issued before any peer is connected: they wait for one, and say so when none comes. */
class ReachabilityTest {
  @AutoClose private final Resources open = new Resources();

  private <T extends AutoCloseable> T keep(T c) {
    return open.keep(c);
  }

  /** A URL nothing listens on: a port that was free a moment ago. */
  private static String deadUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "ws://127.0.0.1:" + s.getLocalPort() + "/gun";
    }
  }

  private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) {
    try {
      join(f);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("completed: " + f.join());
  }

  @Test
  void onceRightAfterBuildWaitsForThePeerAndGetsTheData() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun writer = keep(Gun.builder().peers(relay.url()).build());
    join(writer.get("org/acme").put(Map.of("name", "ACME")));

    Gun reader = keep(Gun.builder().peers(relay.url()).readTimeout(Duration.ofSeconds(8)).build());
    assertThat(reader.connectedPeers()).isZero(); // the dial has barely started
    assertThat(join(reader.get("org/acme").get("name").once())).contains("ACME");

    Gun mapper = keep(Gun.builder().peers(relay.url()).readTimeout(Duration.ofSeconds(8)).build());
    assertThat(join(mapper.get("org/acme").once())).contains(Map.of("name", "ACME"));
  }

  @Test
  void anUnreachablePeerFailsTheReadAfterTheReadTimeoutAndIsWarnedAboutOnce() throws Exception {
    String url = deadUrl();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Throwable e;
    long elapsed;
    try {
      Gun gun = keep(Gun.builder().peers(url).readTimeout(Duration.ofMillis(1500)).reconnectDelay(Duration.ofMillis(100)).build());
      long t0 = System.nanoTime();
      e = failure(gun.get("org/acme").get("name").once());
      elapsed = System.nanoTime() - t0;
      gun.close();
    } finally {
      System.setErr(before);
    }
    assertThat(e).isInstanceOf(GunException.Unreachable.class).hasMessageContaining(url).hasMessageContaining("no peer reachable");
    assertThat(((GunException.Unreachable) e).reasons()).containsOnlyKeys(url);
    assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    // about 15 attempts failed in those 1.5 s: one WARN
    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("cannot reach peer " + url))).hasSize(1);
  }

  @Test
  void aPeerStillConnectingIsNotConnectedRatherThanUnreachable() throws Exception {
    // a socket that accepts TCP connections (in its backlog) and never answers the WebSocket handshake
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      String url = "ws://127.0.0.1:" + silent.getLocalPort() + "/gun";
      Gun gun = keep(Gun.builder().peers(url).readTimeout(Duration.ofMillis(500)).build());
      Throwable e = failure(gun.get("x").once());
      assertThat(e).isExactlyInstanceOf(GunException.NotConnected.class).hasMessageContaining(url + ": connecting");
      assertThat(((GunException.NotConnected) e).peers()).containsExactly(url);
    }
  }

  @Test
  void duringAnOutageLocalDataIsAnsweredAtOnce() throws Exception {
    Gun gun = keep(Gun.builder().peers(deadUrl()).readTimeout(Duration.ofSeconds(20)).reconnectDelay(Duration.ofMillis(100)).build());
    gun.get("notes/1").put(Map.of("text", "offline"));
    long t0 = System.nanoTime();
    assertThat(join(gun.get("notes/1").get("text").once())).contains("offline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void notFoundFromAConnectedPeerIsStillAnEmptyOptional() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun gun = keep(Gun.builder().peers(relay.url()).build());
    assertThat(join(gun.get("nothing/here").once())).isEmpty();
  }

  @Test
  void warningsAreRateLimitedPerOutage() {
    AtomicLong now = new AtomicLong();
    PeerReachability r = new PeerReachability(now::get, Duration.ofSeconds(60));
    assertThat(r.failed("ws://a", "refused")).isTrue();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(r.failed("ws://a", "refused")).isFalse();
    assertThat(r.failed("ws://b", "no route")).isTrue();
    assertThat(r.attempts("ws://a")).isEqualTo(2);
    now.addAndGet(Duration.ofSeconds(60).toNanos());
    assertThat(r.failed("ws://a", "timed out")).isTrue();
    assertThat(r.failure("ws://a")).isEqualTo("timed out");
    assertThat(r.reached("ws://a")).isEqualTo(3);
    assertThat(r.failure("ws://a")).isNull();
    assertThat(r.failed("ws://a", "refused")).isTrue(); // a new outage
  }

  @Test
  void redialsWaitWithJitterFromTheInjectedRandomness() throws Exception {
    AtomicInteger draws = new AtomicInteger();
    Gun gun = keep(Gun.builder().peers(deadUrl()).reconnectDelay(Duration.ofMillis(10)).reconnectMaxDelay(Duration.ofMillis(20)).random(() -> {
      draws.incrementAndGet();
      return 0L;
    }).build());
    // one draw per failed dial: the redials keep coming, each pause drawn from the generator given
    await().until(() -> draws.get() >= 3);
    assertThat(gun.connectedPeers()).isZero();
  }

  @Test
  void theLongestReconnectPauseIsNotBelowTheFirst() {
    assertThatThrownBy(() -> Gun.builder().peers("ws://127.0.0.1:1/gun").reconnectDelay(Duration.ofSeconds(2)).reconnectMaxDelay(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconnectMaxDelay");
  }
}
