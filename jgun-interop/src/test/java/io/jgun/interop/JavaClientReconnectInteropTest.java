package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.client.Ack;
import io.jgun.client.Gun;
import io.jgun.graph.StateClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java client across a relay restart: a write made while the relay is down is sent and
 * acknowledged when it is back, and a live {@code on()} gets a Gun.js client's writes made after the
 * restart (the Java client re-asks its live reads on reconnect, docs/protocol.md §4.3).
 */
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaClientReconnectInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest(name = "{0}")
  @EnumSource(RelayKind.class)
  void offlineWriteAndLiveReadSurviveARelayRestart(RelayKind kind, @TempDir Path data) throws Exception {
    kind.assumeAvailable();
    String prefix = Fixtures.uniquePrefix("jreconnect");
    RelayOptions options = RelayOptions.onFreePort().withData(data);
    Relay first = kind.start(options);
    Relay second = null;
    GunJsClient js = null;
    try (Gun java = Gun.builder().peers(first.url()).reconnectDelay(Duration.ofMillis(200)).ackTimeout(WAIT.multipliedBy(2))
        .clock(new StateClock(() -> System.currentTimeMillis() + kind.clientClockDriftMs())).build()) {
      java.whenConnected().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      List<Object> seen = new CopyOnWriteArrayList<>();
      java.get(prefix + "live").get("n").on((d, k) -> seen.add(d));
      assertThat(java.get(prefix + "live").put(Map.of("n", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS).peer()).isEqualTo(first.url());
      await().atMost(WAIT).until(() -> seen.contains(1L));

      assertThat(first.stop(Duration.ofSeconds(10))).isTrue();
      await().atMost(WAIT).until(() -> java.connectedPeers() == 0);
      CompletableFuture<Ack> offline = java.get(prefix + "offline").put(Map.of("written", "while down"));
      second = kind.start(options);

      Ack ack = offline.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(ack.peer()).isEqualTo(second.url());
      js = GunJsClient.connect("js", second);
      assertThat(js.once(List.of(prefix + "offline")).has("written", "while down")).isTrue();

      assertThat(js.put(List.of(prefix + "live"), obj("n", 2)).isOk()).isTrue();
      await().atMost(WAIT).until(() -> seen.contains(2L));
      assertThat(seen).containsExactly(1L, 2L);
    } finally {
      Fixtures.closeAll(js, second, first);
    }
  }
}
