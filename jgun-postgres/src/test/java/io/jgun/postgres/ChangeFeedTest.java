package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two stores on one schema, as two relays on one database: each one's feed carries the other's writes. */
class ChangeFeedTest {
  private static final double T = 1_795_520_969_763.0;
  private final PostgresCluster pg = PostgresCluster.shared();

  private static Graph put(String soul, String key, Value v, double state) {
    return Graph.of(Node.builder(soul).put(key, v, state).build());
  }

  private static Graph next(BlockingQueue<Graph> q) throws InterruptedException {
    Graph g = q.poll(30, TimeUnit.SECONDS);
    assertThat(g).as("a change within 30 s").isNotNull();
    return g;
  }

  @Test
  void aFeedCarriesTheOtherStoresAcceptedWritesNotItsOwn() throws Exception {
    String schema = PostgresCluster.freshSchema();
    BlockingQueue<Graph> seen = new LinkedBlockingQueue<>();
    try (PostgresStore a = pg.store(schema).open();
        PostgresStore b = pg.store(schema).open();
        ChangeFeed feed = a.changes(seen::add)) {
      Graph x = put("n", "x", Value.text("from b"), T);
      assertThat(b.put(x).get(30, TimeUnit.SECONDS)).isEqualTo(x);
      assertThat(next(seen)).isEqualTo(x);
      // a field b writes but HAM refuses is no change: nothing for the feed
      assertThat(b.put(put("n", "x", Value.text("older"), T - 1)).get(30, TimeUnit.SECONDS)).isEqualTo(Graph.empty());
      // a's own write is committed before b's next one, and is not delivered back to a
      a.put(put("n", "y", Value.text("from a"), T)).get(30, TimeUnit.SECONDS);
      Graph z = put("n", "z", Value.link("other"), T);
      b.put(z).get(30, TimeUnit.SECONDS);
      assertThat(next(seen)).isEqualTo(z);
      assertThat(seen).isEmpty();
      assertThat(feed.delivered()).isEqualTo(2);
      // and the other way round, without a feed of its own b still reads a's write at once
      assertThat(b.fieldNow("n", "y").value()).isEqualTo(Value.text("from a"));
    }
  }

  @Test
  void changesComeInCommitOrder() throws Exception {
    String schema = PostgresCluster.freshSchema();
    BlockingQueue<Graph> seen = new LinkedBlockingQueue<>();
    int n = 300;
    try (PostgresStore a = pg.store(schema).open();
        PostgresStore b = pg.store(schema).open();
        PostgresStore c = pg.store(schema).open();
        ChangeFeed feed = a.changes(seen::add)) {
      // b and c write alternately, each put acked before the next: their commit order is i
      for (int i = 0; i < n; i++) {
        (i % 2 == 0 ? b : c).put(put("order", "k" + i, Value.number(i), T)).get(30, TimeUnit.SECONDS);
      }
      List<String> keys = new ArrayList<>();
      while (keys.size() < n) {
        next(seen).node("order").fields().keySet().forEach(keys::add);
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        expected.add("k" + i);
      }
      assertThat(keys).isEqualTo(expected);
      assertThat(feed.lastSeq()).isPositive();
    }
  }

  @Test
  void aFeedThatWasCutOffCatchesUpOnWhatCommittedMeanwhile() throws Exception {
    String schema = PostgresCluster.freshSchema();
    String role = "feeder_" + schema;
    pg.sql("public", "CREATE ROLE " + role + " LOGIN SUPERUSER");
    BlockingQueue<Graph> seen = new LinkedBlockingQueue<>();
    PgUrl asFeeder = new PgUrl("127.0.0.1", pg.port(), "postgres", role, null);
    // pages of 4 rows: the catch-up below takes several
    try (PostgresStore b = pg.store(schema).open();
        PostgresStore a = PostgresStore.builder(asFeeder).schema(schema).fetchSize(4).open();
        ChangeFeed feed = a.changes(seen::add)) {
      Graph first = put("c", "k", Value.number(1), T);
      b.put(first).get(30, TimeUnit.SECONDS);
      assertThat(next(seen)).isEqualTo(first);
      // cut the feed off: its role may not log in, its connection is terminated
      pg.sql("public", "ALTER ROLE " + role + " NOLOGIN");
      pg.sql("public", "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
          + " WHERE usename = '" + role + "' AND application_name = 'jgun-feed'");
      // written while the feed cannot listen: its notifications are lost for it
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 18; i++) {
        b.put(put("c", "m" + i, Value.number(i), T)).get(30, TimeUnit.SECONDS);
        expected.add("m" + i);
      }
      b.put(put("c", "k", Value.number(2), T + 1)).get(30, TimeUnit.SECONDS);
      b.put(put("c", "k", Value.number(3), T + 2)).get(30, TimeUnit.SECONDS); // k again, latest wins
      expected.add("k");
      pg.sql("public", "ALTER ROLE " + role + " LOGIN");
      // after reconnecting, the feed reads seq > last seen, in order: k once, at its latest
      List<String> keys = new ArrayList<>();
      Map<String, Field> fields = new LinkedHashMap<>();
      while (keys.size() < expected.size()) {
        Graph g = next(seen);
        assertThat(g.fieldCount()).as("a page").isLessThanOrEqualTo(4);
        keys.addAll(g.node("c").fields().keySet());
        fields.putAll(g.node("c").fields());
      }
      assertThat(keys).isEqualTo(expected);
      assertThat(fields.get("k")).isEqualTo(new Field(Value.number(3), T + 2));
      assertThat(feed.delivered()).isEqualTo(1 + expected.size());
    } finally {
      pg.sql("public", "ALTER ROLE " + role + " LOGIN");
    }
  }
}
