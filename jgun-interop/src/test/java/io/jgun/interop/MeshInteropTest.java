package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jgun.interop.GunJsClient.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two relays meshed with {@code --peers}: Gun.js client alice on relay X, Gun.js client bob on relay Y,
 * Y dials X. Data written on either side is read and pushed live on the other.
 *
 * <p>Topologies for the relay kind K under test: K dials K (for jgun: Gun.js client → jgun relay ↔
 * jgun relay → Gun.js client), K dials a Gun.js relay, and a Gun.js relay dials K — so the jgun relay
 * meshes with Gun.js in both directions. For K = Gun.js the three are the same, so it runs once.
 */
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MeshInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LINK_TIMEOUT = Duration.ofSeconds(20);

  /** Who dials whom: {@code dialed} is X (alice's relay), {@code dialing} is Y (bob's, --peers X). */
  enum Topology {
    SAME_KIND, UNDER_TEST_DIALS_GUN_JS, GUN_JS_DIALS_UNDER_TEST;

    RelayKind dialed(RelayKind underTest) {
      return this == UNDER_TEST_DIALS_GUN_JS ? RelayKind.GUN_JS : underTest;
    }

    RelayKind dialing(RelayKind underTest) {
      return this == GUN_JS_DIALS_UNDER_TEST ? RelayKind.GUN_JS : underTest;
    }
  }

  static Stream<Arguments> topologies() {
    List<Arguments> all = new ArrayList<>();
    all.add(arguments(RelayKind.GUN_JS, Topology.SAME_KIND));
    for (Topology t : Topology.values()) {
      all.add(arguments(RelayKind.JGUN, t));
    }
    return all.stream();
  }

  @BeforeAll
  static void buildJgunFirst() {
    JgunRelay.warmUp();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("topologies")
  void dataAndLiveUpdatesCrossTheMeshBothWays(RelayKind kind, Topology topology) {
    kind.assumeAvailable();
    String prefix = Fixtures.uniquePrefix("mesh");
    Relay x = null;
    Relay y = null;
    GunJsClient alice = null;
    GunJsClient bob = null;
    try {
      x = topology.dialed(kind).start(RelayOptions.onFreePort());
      y = topology.dialing(kind).start(RelayOptions.onFreePort().withPeers(x));
      alice = GunJsClient.connect("alice@X", x);
      bob = GunJsClient.connect("bob@Y", y);
      awaitLinked(alice, bob, prefix, x, y);

      // A node written on X is read through Y, and one written on Y through X.
      String fromAlice = prefix + "from/alice";
      assertThat(alice.put(List.of(fromAlice), obj("by", "alice", "n", 1)).isOk()).isTrue();
      bob.on(List.of(fromAlice)).await("alice's node, through Y", e -> e.has("by", "alice"), WAIT);
      String fromBob = prefix + "from/bob";
      assertThat(bob.put(List.of(fromBob), obj("by", "bob", "nested", obj("deep", true))).isOk()).isTrue();
      alice.on(List.of(fromBob)).await("bob's node, through X", e -> e.has("by", "bob"), WAIT);
      assertThat(alice.once(List.of(fromBob, "nested", "deep")).data().asBoolean()).isTrue();

      // Live: a subscriber on one relay sees every later write made on the other.
      String counter = prefix + "live/counter";
      Subscription bobSees = bob.on(List.of(counter));
      Subscription aliceSees = alice.on(List.of(counter));
      for (int n = 1; n <= 3; n++) {
        GunJsClient writer = n % 2 == 1 ? alice : bob;
        assertThat(writer.put(List.of(counter), obj("n", n, "by", writer.name())).isOk()).isTrue();
        int expected = n;
        bobSees.await("n=" + n, e -> e.has("n", expected), WAIT);
        aliceSees.await("n=" + n, e -> e.has("n", expected), WAIT);
      }

      // Not found on either relay: still answered, not left to the client's 9 s timeout.
      long start = System.nanoTime();
      assertThat(bob.once(List.of(prefix + "nowhere")).found()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } catch (AssertionError e) {
      // What the two relays printed (a dropped link between them, a refused frame) goes with it.
      throw new AssertionError(e.getMessage() + "\n" + diagnostics(x) + diagnostics(y), e);
    } finally {
      Fixtures.closeAll(bob, alice, y, x);
    }
  }

  private static String diagnostics(@Nullable Relay relay) {
    return relay == null ? "" : relay.diagnostics();
  }

  /**
   * Y dials X on its own schedule (and a stock Gun.js relay only once it has something to send), so
   * wait for the link the way a user would see it: write a fresh node on X until a read through Y finds
   * it. Every step is an acknowledged write or an answered read; nothing sleeps.
   */
  private static void awaitLinked(GunJsClient onX, GunJsClient onY, String prefix, Relay x, Relay y) {
    long deadline = System.nanoTime() + LINK_TIMEOUT.toNanos();
    for (int attempt = 0; ; attempt++) {
      String probe = prefix + "link/" + attempt;
      assertThat(onX.put(List.of(probe), obj("attempt", attempt)).isOk()).isTrue();
      if (onY.once(List.of(probe)).found()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("relay Y never served data written on relay X within "
            + LINK_TIMEOUT.toSeconds() + " s (" + (attempt + 1) + " attempts)\n" + x.diagnostics() + y.diagnostics());
      }
    }
  }
}
