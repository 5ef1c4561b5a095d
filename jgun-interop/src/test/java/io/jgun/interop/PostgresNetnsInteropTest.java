package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.interop.GunJsClient.Subscription;
import io.jgun.postgres.PgUrl;
import io.jgun.postgres.PostgresCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three jgun relays on one PostgreSQL, each in its own network namespace joined to the host by a
 * veth pair, so their traffic (to PostgreSQL, to the Gun.js peers) crosses real interfaces as
 * between hosts. One relay's link is cut (its host-side veth down) while a peer on another relay
 * writes, then restored: its peer then gets what was written meanwhile, and it serves reads and
 * writes again. The cut lasts seconds, so the relay's connections survive it (TCP retransmits);
 * a cut long enough to lose the feed's connection, and its catch-up from the last change sequence,
 * is ChangeFeedTest's in jgun-postgres. Needs root and {@code ip netns}; without them the test is
 * skipped with a message saying so.
 */
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PostgresNetnsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NET = "10.231";
  private static final String TAG = "jgp" + (ProcessHandle.current().pid() % 100000);
  private static PostgresCluster pg;
  private static final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  static void namespaces() throws IOException {
    Assumptions.assumeTrue(JgunRelay.launcherPresent(), "bin/jgun not found");
    Assumptions.assumeTrue(InteropEnvironment.selectedRelays().contains("jgun"), "the jgun relay is not selected");
    String probe = TAG + "probe";
    Assumptions.assumeTrue(ip("netns", "add", probe) == 0,
        "network namespaces unavailable here (ip netns add needs root and a kernel that allows it): test skipped");
    ip("netns", "del", probe);
    pg = PostgresCluster.start();
    StringBuilder addresses = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      String ns = TAG + "n" + i;
      String host = "vh" + TAG + i;
      String inner = "vn" + TAG + i;
      must("netns", "add", ns);
      namespaces.add(ns);
      must("link", "add", host, "type", "veth", "peer", "name", inner, "netns", ns);
      must("addr", "add", NET + "." + i + ".1/24", "dev", host);
      must("link", "set", host, "up");
      must("netns", "exec", ns, "ip", "addr", "add", NET + "." + i + ".2/24", "dev", inner);
      must("netns", "exec", ns, "ip", "link", "set", inner, "up");
      must("netns", "exec", ns, "ip", "link", "set", "lo", "up");
      must("netns", "exec", ns, "ip", "route", "add", "default", "via", NET + "." + i + ".1");
      addresses.append(i > 1 ? "," : "").append(NET).append('.').append(i).append(".1");
    }
    pg.listenAlsoOn(addresses.toString(), NET + ".0.0/16");
  }

  @AfterAll
  static void cleanUp() {
    for (String ns : namespaces) {
      ip("netns", "del", ns); // takes its end of the veth pair, and so the pair, with it
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static int ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      if (code != 0) {
        System.err.println(cmd + " exited " + code + ": " + out);
      }
      return code;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void must(String... args) {
    assertThat(ip(args)).as("ip %s", String.join(" ", args)).isZero();
  }

  /** Whether a TCP connection to the address opens within a second. */
  private static boolean reachable(String host, int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aRelayCutOffAndRestoredCatchesUpAndServesAgain() {
    String schema = PostgresCluster.freshSchema();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      List<String> urls = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        int port = FreePorts.pick();
        PgUrl url = new PgUrl(NET + "." + i + ".1", pg.port(), "postgres", "postgres", null);
        open.add(PostgresJgunRelay.start(List.of("ip", "netns", "exec", TAG + "n" + i), port, url, schema));
        urls.add("ws://" + NET + "." + i + ".2:" + port + "/gun");
        ports.add(port);
      }
      GunJsClient alice = GunJsClient.start("alice", urls.get(0), 0);
      open.add(alice);
      GunJsClient bob = GunJsClient.start("bob", urls.get(1), 0);
      open.add(bob);
      GunJsClient carol = GunJsClient.start("carol", urls.get(2), 0);
      open.add(carol);
      for (GunJsClient c : List.of(alice, bob, carol)) {
        c.awaitConnected(WAIT);
      }
      List<String> field = List.of("pg-netns", "counter");
      Subscription bobSees = bob.on(field);
      Subscription carolSees = carol.on(field);
      assertThat(alice.put(field, obj("n", 1)).isOk()).isTrue();
      bobSees.await("n=1 on bob's relay", e -> e.has("n", 1), WAIT);
      carolSees.await("n=1 on carol's relay", e -> e.has("n", 1), WAIT);

      must("link", "set", "vh" + TAG + "3", "down"); // carol's relay loses PostgreSQL and carol
      try {
        assertThat(reachable(NET + ".3.2", ports.get(2))).as("relay 3 while its link is down").isFalse();
        for (int n = 2; n <= 5; n++) {
          assertThat(alice.put(field, obj("n", n)).isOk()).as("put n=%s while relay 3 is cut off", n).isTrue();
        }
        bobSees.await("n=5 on bob's relay while relay 3 is cut off", e -> e.has("n", 5), WAIT);
      } finally {
        must("link", "set", "vh" + TAG + "3", "up");
      }
      // the link takes a moment to carry traffic again (carrier, the connected route, ARP)
      org.awaitility.Awaitility.await("relay 3 reachable after its link came back").atMost(WAIT)
          .until(() -> reachable(NET + ".3.2", ports.get(2)));
      // restored: what was written meanwhile reaches carol (the feed catches up from its last seq)
      carolSees.await("n=5 on carol's relay after the link came back", e -> e.has("n", 5), Duration.ofSeconds(60));
      // and relay 3 takes writes again, seen on the others
      Subscription aliceSees = alice.on(List.of("pg-netns", "from-carol"));
      assertThat(carol.put(List.of("pg-netns", "from-carol"), obj("n", 6)).isOk()).isTrue();
      aliceSees.await("carol's write on alice's relay", e -> e.has("n", 6), WAIT);
    } finally {
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          // close the rest
        }
      }
    }
  }
}
