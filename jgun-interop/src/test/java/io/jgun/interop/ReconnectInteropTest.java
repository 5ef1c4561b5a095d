package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.interop.GunJsClient.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gun.js clients reconnecting after the relay restarts. A browser-like Gun.js client retries exactly
 * once, about 2 s (1998 ms) after losing its relay, and gives up for good if that attempt fails
 * (docs/protocol.md §4.4), so the relay is restarted on the same port at once; the clients then
 * dial it again, re-send GETs for their live chains, and a live subscription receives data written
 * after the restart.
 */
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectInteropTest {

  private static final Logger LOG = LoggerFactory.getLogger(ReconnectInteropTest.class);

  /** The client's one retry comes ~2 s after the close; it must find the relay listening by then. */
  private static final Duration CLIENT_RETRY = Duration.ofMillis(1998);
  private static final Duration WAIT = Duration.ofSeconds(10);

  @BeforeAll
  static void buildJgunFirst() {
    JgunRelay.warmUp();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RelayKind.class)
  void liveSubscriptionGetsNewDataAfterTheRelayRestarts(RelayKind kind, @TempDir Path data) {
    kind.assumeAvailable();
    String prefix = Fixtures.uniquePrefix("reconnect");
    String live = prefix + "live";
    String kept = prefix + "kept";
    RelayOptions options = RelayOptions.onFreePort().withData(data);
    Relay first = kind.start(options);
    Relay second = null;
    GunJsClient alice = null;
    GunJsClient bob = null;
    try {
      alice = GunJsClient.connect("alice", first);
      bob = GunJsClient.connect("bob", first);
      Subscription sub = bob.on(List.of(live));
      assertThat(alice.put(List.of(live), obj("n", 1)).isOk()).isTrue();
      sub.await("n=1 before the restart", e -> e.has("n", 1), WAIT);
      assertThat(alice.put(List.of(kept), obj("survives", "restart")).isOk()).isTrue();
      alice.clearPeerEvents();
      bob.clearPeerEvents();

      // The clients' retry clock starts when their connection drops, i.e. during stop().
      long stopping = System.nanoTime();
      assertThat(first.stop(Duration.ofSeconds(10)))
          .as("the relay exits on SIGTERM alone (no SIGKILL needed)\n%s", first.diagnostics()).isTrue();
      Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
      second = kind.start(options);
      Duration down = Duration.ofNanos(System.nanoTime() - stopping);
      LOG.info("{}: stopping took {} ms, back listening {} ms after the stop began", kind, stopTook.toMillis(),
          down.toMillis());
      bob.awaitPeerEvent("bye", WAIT);

      String late = down.compareTo(CLIENT_RETRY) >= 0
          ? " — the relay took " + down.toMillis() + " ms to come back, longer than the Gun.js client's"
              + " single retry after ~" + CLIENT_RETRY.toMillis() + " ms, so the client has given up"
          : "";
      try {
        bob.awaitPeerEvent("hi", WAIT);
        alice.awaitPeerEvent("hi", WAIT);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + late, e);
      }

      assertThat(alice.put(List.of(live), obj("n", 2)).isOk()).isTrue();
      sub.await("n=2 written after the restart", e -> e.has("n", 2), WAIT);

      // What was acknowledged before the restart is still there (same --data folder).
      try (GunJsClient carol = GunJsClient.connect("carol", second)) {
        GunEvent node = carol.once(List.of(kept));
        assertThat(node.found()).as("node acknowledged before the restart").isTrue();
        assertThat(node.has("survives", "restart")).as("%s", node).isTrue();
      }
    } finally {
      Fixtures.closeAll(bob, alice, second, first);
    }
  }
}
