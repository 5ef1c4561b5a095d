package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.netty.HttpRoute;
import io.jgun.postgres.PostgresCluster;
import io.jgun.store.Durability;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three relays in this JVM serving one PostgreSQL schema ({@code --postgres}): a write acked by one
 * is read by a GET on the others at once, and pushed to the subscribers of every relay.
 */
class PostgresRelaysTest {
  private static PostgresCluster pg;

  @BeforeAll
  static void cluster() {
    pg = PostgresCluster.start();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  private static RelayConfig config(String schema) {
    return new RelayConfig("127.0.0.1", 0, null, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null)
        .withPostgres(new RelayConfig.Postgres(pg.url(), schema));
  }

  private static String put(String id, String soul, String key, String json, long state) {
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"" + key + "\":" + state
        + "}},\"" + key + "\":" + json + "}}}";
  }

  @Test
  void aWriteAckedByOneRelayIsReadAndPushedOnEveryOther() throws Exception {
    String schema = PostgresCluster.freshSchema();
    List<Relay> relays = new ArrayList<>();
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        relays.add(Relay.start(config(schema)));
        clients.add(new RawClient(relays.get(i).port()));
      }
      // subscribers on relays 1 and 2 (a GET subscribes; the soul is empty yet)
      for (int i = 1; i < 3; i++) {
        clients.get(i).send("{\"#\":\"sub00000" + i + "\",\"get\":{\"#\":\"pg/a\"}}");
        clients.get(i).awaitFrame("\"@\":\"sub00000" + i + "\"");
      }
      long t0 = System.currentTimeMillis();
      for (int n = 0; n < 20; n++) {
        RawClient writer = clients.get(0);
        writer.send(put("put0000" + (100 + n), "pg/a", "x", "\"v" + n + "\"", t0 + n));
        assertThat(writer.awaitFrame("\"@\":\"put0000" + (100 + n) + "\"")).contains("\"ok\":");
        assertThat(writer.with("\"@\":\"put0000" + (100 + n) + "\"").get(0)).doesNotContain("\"err\"");
        // at once, no waiting for the change feed: a GET on the other relays returns it
        for (int i = 1; i < 3; i++) {
          String id = "get" + i + "0" + (100 + n);
          clients.get(i).send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"pg/a\",\".\":\"x\"}}");
          assertThat(clients.get(i).awaitFrame("\"@\":\"" + id + "\"")).contains("\"x\":\"v" + n + "\"");
        }
      }
      // and every write was pushed to the subscribers of relays 1 and 2 through the change feed
      for (int i = 1; i < 3; i++) {
        RawClient c = clients.get(i);
        int at = i;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
            () -> assertThat(c.frames.stream().filter(f -> f.contains("\"put\"") && !f.contains("\"@\":\"") && f.contains("\"x\":\"v19\"")))
                .as("frames of client %s: %s", at, c.frames).isNotEmpty());
      }
      // a write on relay 2 reaches the subscriber of relay 1 too; relay 0's client subscribes now
      clients.get(0).send("{\"#\":\"sub000000\",\"get\":{\"#\":\"pg/b\"}}");
      clients.get(0).awaitFrame("\"@\":\"sub000000\"");
      clients.get(2).send(put("put0000900", "pg/b", "y", "42", t0));
      assertThat(clients.get(2).awaitFrame("\"@\":\"put0000900\"")).contains("\"ok\":");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(
          () -> assertThat(clients.get(0).frames.stream().filter(f -> f.contains("\"put\"") && f.contains("\"y\":42"))).isNotEmpty());
      // the feeds' figures: relay 1's carried relay 0's 20 writes and relay 2's one
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(new String(relays.get(1).metricsRoute()
          .handle(new HttpRoute.Request("GET", "/metrics", "/metrics", "", Map.of(), "test")).body(), StandardCharsets.UTF_8))
          .contains("jgun_postgres_reachable 1.0").contains("jgun_postgres_feed_delivered_total 21.0")
          .contains("jgun_postgres_feed_fell_behind_total 0.0"));
    } finally {
      for (RawClient c : clients) {
        c.close();
      }
      for (Relay r : relays) {
        r.close();
      }
    }
  }

  @Test
  void whilePostgresIsDownPutsAndGetsGetErrAcksAndAfterwardsEveryRelayServesAgain() throws Exception {
    try (PostgresCluster own = PostgresCluster.start()) {
      String schema = PostgresCluster.freshSchema();
      RelayConfig config = new RelayConfig("127.0.0.1", 0, null, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null)
          .withPostgres(new RelayConfig.Postgres(own.url(), schema));
      try (Relay a = Relay.start(config); Relay b = Relay.start(config);
          RawClient ca = new RawClient(a.port()); RawClient cb = new RawClient(b.port())) {
        long t0 = System.currentTimeMillis();
        ca.send(put("put0000001", "pg/down", "before", "1", t0));
        assertThat(ca.awaitFrame("\"@\":\"put0000001\"")).contains("\"ok\":true");
        own.stopImmediately();
        // a put whose HAM read fails, a put of a known field (cached nowhere) and a GET: each an err
        ca.send(put("put0000002", "pg/down", "during", "2", t0 + 1));
        assertThat(ca.awaitFrame("\"@\":\"put0000002\"")).contains("\"err\"");
        cb.send("{\"#\":\"get0000002\",\"get\":{\"#\":\"pg/down\",\".\":\"before\"}}");
        assertThat(cb.awaitFrame("\"@\":\"get0000002\"")).contains("\"err\"");
        cb.send("{\"#\":\"get0000003\",\"get\":{\"#\":\"pg/down\"}}");
        assertThat(cb.awaitFrame("\"@\":\"get0000003\"")).contains("\"err\"");
        // and a load balancer's probe takes both out, whether a write failed there or not
        assertThat(a.health().notReady()).isEqualTo("PostgreSQL unreachable");
        assertThat(b.health().notReady()).isEqualTo("PostgreSQL unreachable");
        own.startServer();
        // both relays serve again once their pools reconnect; the acked write is there
        for (int n = 0; ; n++) {
          String id = "put00001" + (10 + n);
          cb.send(put(id, "pg/down", "after", "3", t0 + 10 + n));
          if (cb.awaitFrame("\"@\":\"" + id + "\"").contains("\"ok\":true")) {
            break;
          }
          assertThat(n).as("puts refused after the restart").isLessThan(30);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          String id = "get00005" + System.nanoTime() % 100000;
          ca.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"pg/down\"}}");
          assertThat(ca.awaitFrame("\"@\":\"" + id + "\"")).contains("\"before\":1").contains("\"after\":3").doesNotContain("\"during\"");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> a.health().notReady() == null && b.health().notReady() == null);
      }
    }
  }

  @Test
  void postgresExcludesALocalStore() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RelayConfig("127.0.0.1", 0, java.nio.file.Path.of("d"), Durability.SYNC, List.of(), null, null, 1 << 20, 100, null,
                RelayConfig.SeaMode.VERIFY, 64L << 20, 0, null, new RelayConfig.Postgres(pg.url(), "public"), null))
        .hasMessageContaining("--postgres excludes --data");
  }

  @Test
  void theCommandRefusesPostgresWithDataOrMemory() {
    for (String other : List.of("--memory", "--data=somewhere")) {
      int code = new picocli.CommandLine(new RelayCommand()).execute("--postgres", "postgresql://u@127.0.0.1:1/d", other);
      assertThat(code).as(other).isEqualTo(2);
    }
    assertThat(new picocli.CommandLine(new RelayCommand()).getUsageMessage()).contains("--postgres").contains("--postgres-schema");
  }
}
