package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.interop.GunJsClient.Subscription;
import io.jgun.postgres.PostgresCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three jgun relays ({@code bin/jgun relay --postgres}) on one PostgreSQL schema, with real Gun.js
 * peers: through nginx, each peer on a different relay, data and live updates reach every peer; a
 * relay SIGKILLed while a peer configured with two relays writes; PostgreSQL stopped with {@code
 * pg_ctl stop -m immediate} in the middle of a load. In each fault no acknowledged write is lost and
 * every relay serves again afterwards.
 */
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class PostgresRelaysInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern CONNECTIONS = Pattern.compile("(?m)^jgun_connections(?:\\{[^}]*\\})? ([0-9.]+)");
  private static PostgresCluster pg;

  @BeforeAll
  static void cluster() {
    Assumptions.assumeTrue(JgunRelay.launcherPresent(), "bin/jgun not found");
    Assumptions.assumeTrue(InteropEnvironment.selectedRelays().contains("jgun"), "the jgun relay is not selected");
    pg = PostgresCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (pg != null) {
      pg.close();
    }
  }

  private static List<PostgresJgunRelay> relays(String schema, int n) {
    List<PostgresJgunRelay> relays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      relays.add(PostgresJgunRelay.start(FreePorts.pick(), pg.url(), schema));
    }
    return relays;
  }

  private static void closeAll(List<? extends AutoCloseable> all) {
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  /** The open connections of a relay, from its /metrics. */
  private static int connections(Relay relay) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = CONNECTIONS.matcher(r.body());
    assertThat(m.find()).as("jgun_connections in /metrics of %s", relay).isTrue();
    return (int) Double.parseDouble(m.group(1));
  }

  @Test
  void throughNginxPeersOnEveryRelaySeeEachOthersWritesLive() throws Exception {
    List<AutoCloseable> open = new ArrayList<>();
    List<PostgresJgunRelay> relays = relays(PostgresCluster.freshSchema(), 3);
    open.addAll(relays);
    try (Nginx nginx = Nginx.start(relays.stream().map(Relay::port).toList())) {
      List<GunJsClient> peers = new ArrayList<>();
      for (String name : List.of("alice", "bob", "carol")) {
        GunJsClient c = GunJsClient.start(name, nginx.url(), 0);
        open.add(c);
        c.awaitConnected(WAIT);
        peers.add(c);
      }
      // least_conn: each peer connected while the others' connections were open, so each got its own relay
      for (PostgresJgunRelay r : relays) {
        assertThat(connections(r)).as("connections of %s", r).isEqualTo(1);
      }
      GunJsClient alice = peers.get(0);
      GunJsClient bob = peers.get(1);
      GunJsClient carol = peers.get(2);
      List<String> fromAlice = List.of("pg-nginx", "from-alice");
      List<String> fromCarol = List.of("pg-nginx", "from-carol");
      Subscription bobSees = bob.on(fromAlice);
      Subscription carolSees = carol.on(fromAlice);
      Subscription aliceSees = alice.on(fromCarol);
      for (int n = 1; n <= 5; n++) {
        int expected = n;
        assertThat(alice.put(fromAlice, obj("n", n, "by", "alice")).isOk()).isTrue();
        bobSees.await("alice's n=" + n + " on bob's relay", e -> e.has("n", expected), WAIT);
        carolSees.await("alice's n=" + n + " on carol's relay", e -> e.has("n", expected), WAIT);
        assertThat(carol.put(fromCarol, obj("n", n, "by", "carol")).isOk()).isTrue();
        aliceSees.await("carol's n=" + n + " on alice's relay", e -> e.has("n", expected), WAIT);
      }
      // every update, not only the latest: alice writes one field 30 times without waiting for acks
      // (many land in one of her relay's transactions); bob, on another relay, sees each value in order
      List<String> fast = List.of("pg-nginx", "fast");
      Subscription bobSeesFast = bob.on(fast);
      // first a value bob is seen to get: the node exists (Gun.js peers writing a path whose node is
      // new create it once per put in flight) and bob's subscription has reached his relay
      assertThat(alice.put(fast, obj("i", 0)).isOk()).isTrue();
      bobSeesFast.await("alice's i=0 on bob's relay", e -> e.has("i", 0), WAIT);
      List<GunJsClient.Write> updates = new ArrayList<>();
      for (int i = 1; i <= 30; i++) {
        updates.add(new GunJsClient.Write(fast, obj("i", i)));
      }
      assertThat(alice.putMany(updates, WAIT)).as("ack errors").isEmpty();
      bobSeesFast.await("alice's i=30 on bob's relay", e -> e.has("i", 30), WAIT);
      List<Integer> seen = new ArrayList<>();
      for (GunEvent e : bobSeesFast.history()) {
        int i = e.field("i").asInt();
        if (i > 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != i)) {
          seen.add(i);
        }
      }
      assertThat(seen).as("values of i bob's on() was called with").isEqualTo(
          IntStream.rangeClosed(1, 30).boxed().toList());
      // and read, not only pushed: a peer that never subscribed reads alice's node through its relay
      try (GunJsClient dave = GunJsClient.start("dave", nginx.url(), 0)) {
        dave.awaitConnected(WAIT);
        assertThat(dave.once(List.of("pg-nginx", "from-alice", "n")).data().asInt()).isEqualTo(5);
      }
    } finally {
      closeAll(open);
    }
  }

  @Test
  void aRelayKilledWhileAPeerWritesLosesNoAckedWriteAndThePeerCarriesOnThroughTheOther() throws Exception {
    String schema = PostgresCluster.freshSchema();
    List<AutoCloseable> open = new ArrayList<>();
    List<PostgresJgunRelay> relays = relays(schema, 3);
    open.addAll(relays);
    try {
      PostgresJgunRelay doomed = relays.get(0);
      GunJsClient writer = GunJsClient.start("writer", doomed.url() + "," + relays.get(1).url(), 0);
      open.add(writer);
      writer.awaitConnected(WAIT);
      GunJsClient watcher = GunJsClient.connect("watcher", relays.get(2));
      open.add(watcher);
      Subscription last = watcher.on(List.of("pg-kill", "last"));
      Map<String, Integer> acked = new LinkedHashMap<>();
      for (int i = 0; i < 60; i++) {
        if (i == 20) {
          doomed.kill();
        }
        Ack ack = writer.put(List.of("pg-kill", "k" + i), i);
        assertThat(ack.isOk()).as("put %s: %s", i, ack).isTrue();
        acked.put("k" + i, i);
        assertThat(writer.put(List.of("pg-kill", "last"), i).isOk()).isTrue();
      }
      last.await("the last write, pushed to the third relay's peer", e -> e.data() != null && e.data().asInt() == 59, WAIT);
      // the killed relay comes back on its port and serves everything acked meanwhile
      relays.set(0, PostgresJgunRelay.start(doomed.port(), pg.url(), schema));
      open.add(relays.get(0));
      for (PostgresJgunRelay r : relays) {
        try (GunJsClient reader = GunJsClient.connect("reader-" + r.port(), r)) {
          for (Map.Entry<String, Integer> e : acked.entrySet()) {
            assertThat(reader.once(List.of("pg-kill", e.getKey())).data().asInt()).as("%s on %s", e.getKey(), r).isEqualTo(e.getValue());
          }
        }
      }
    } finally {
      closeAll(open);
    }
  }

  @Test
  void postgresStoppedMidLoadErrAcksThenServesAgainWithNoAckedWriteLost() throws Exception {
    String schema = PostgresCluster.freshSchema();
    List<AutoCloseable> open = new ArrayList<>();
    List<PostgresJgunRelay> relays = relays(schema, 3);
    open.addAll(relays);
    try {
      GunJsClient writer = GunJsClient.connect("writer", relays.get(0));
      open.add(writer);
      Map<String, Integer> acked = new LinkedHashMap<>();
      int errs = 0;
      int i = 0;
      for (; i < 20; i++) {
        assertThat(writer.put(List.of("pg-stop", "k" + i), i).isOk()).isTrue();
        acked.put("k" + i, i);
      }
      pg.stopImmediately();
      try {
        // every put is answered, with an err ack, within the store's connection timeout (5 s)
        for (int n = 0; n < 3; n++, i++) {
          Ack ack = writer.put(List.of("pg-stop", "k" + i), i, WAIT);
          if (ack.isOk()) {
            acked.put("k" + i, i);
          } else {
            errs++;
          }
        }
        // a GET another relay cannot serve is answered with an err too
        try (RawSocket raw = RawSocket.connect(relays.get(1))) {
          String id = RawSocket.freshId("get");
          raw.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"pg-stop\",\".\":\"k0\"}}");
          assertThat(raw.awaitReply(id, WAIT).path("err").asText("")).isNotEmpty();
        }
      } finally {
        pg.startServer();
      }
      assertThat(errs).as("puts refused while PostgreSQL was down").isPositive();
      // the relays serve again: a put through each is acked once their pools reconnect
      for (PostgresJgunRelay r : relays) {
        try (GunJsClient c = GunJsClient.connect("after-" + r.port(), r)) {
          String key = "after-" + r.port();
          await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> c.put(List.of("pg-stop", key), 1).isOk());
          acked.put(key, 1);
        }
      }
      for (PostgresJgunRelay r : relays) {
        try (GunJsClient reader = GunJsClient.connect("reader-" + r.port(), r)) {
          for (Map.Entry<String, Integer> e : acked.entrySet()) {
            assertThat(reader.once(List.of("pg-stop", e.getKey())).data().asInt()).as("%s on %s", e.getKey(), r).isEqualTo(e.getValue());
          }
        }
      }
    } finally {
      closeAll(open);
    }
  }
}
