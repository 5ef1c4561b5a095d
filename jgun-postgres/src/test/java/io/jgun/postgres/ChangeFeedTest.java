package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
  void everyValueOfAFastChangingFieldArrivesInOrder() throws Exception {
    String schema = PostgresCluster.freshSchema();
    BlockingQueue<Graph> seen = new LinkedBlockingQueue<>();
    int n = 500;
    try (PostgresStore a = pg.store(schema).open();
        PostgresStore b = pg.store(schema).open();
        ChangeFeed feed = a.changes(seen::add)) {
      // all in flight at once: group commit puts many writes of the one field in each batch
      List<CompletableFuture<Graph>> acks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        acks.add(b.put(put("hot", "x", Value.number(i), T + i)));
      }
      for (CompletableFuture<Graph> f : acks) {
        assertThat(f.get(30, TimeUnit.SECONDS).fieldCount()).isEqualTo(1);
      }
      List<Value> values = new ArrayList<>();
      while (values.size() < n) {
        Graph g = next(seen);
        assertThat(g.node("hot").fields()).as("one value of x a graph").hasSize(1);
        values.add(g.node("hot").fields().get("x").value());
      }
      List<Value> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        expected.add(Value.number(i));
      }
      assertThat(values).isEqualTo(expected);
      assertThat(seen).isEmpty();
      assertThat(feed.delivered()).isEqualTo(n);
    }
  }

  @Test
  void aFeedAwayLongerThanTheLogKeepsWritesGetsTheLatestValues() throws Exception {
    String schema = PostgresCluster.freshSchema();
    String role = "late_" + schema;
    pg.sql("public", "CREATE ROLE " + role + " LOGIN SUPERUSER");
    BlockingQueue<Graph> seen = new LinkedBlockingQueue<>();
    PgUrl asLate = new PgUrl("127.0.0.1", pg.port(), "postgres", role, null);
    // b keeps no history: each batch trims the log up to itself
    try (PostgresStore b = pg.store(schema).changeRetention(Duration.ZERO).open();
        PostgresStore a = PostgresStore.builder(asLate).schema(schema).open();
        ChangeFeed feed = a.changes(seen::add)) {
      b.put(put("late", "k", Value.number(1), T)).get(30, TimeUnit.SECONDS);
      b.put(put("late", "k", Value.number(2), T + 1)).get(30, TimeUnit.SECONDS);
      trimmed(b, put("late", "k", Value.number(0), T - 1));
      assertThat(logRows(schema)).as("the log after a zero retention's trims").isZero();
      // the feed may have read k=1 before its row was trimmed; it ends with the latest value
      Field last = null;
      while (last == null || !last.equals(new Field(Value.number(2), T + 1))) {
        last = next(seen).node("late").fields().get("k");
      }
      pg.sql("public", "ALTER ROLE " + role + " NOLOGIN");
      pg.sql("public", "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
          + " WHERE usename = '" + role + "' AND application_name = 'jgun-feed'");
      for (int i = 3; i <= 5; i++) {
        b.put(put("late", "k", Value.number(i), T + i)).get(30, TimeUnit.SECONDS);
      }
      b.put(put("late", "other", Value.text("y"), T)).get(30, TimeUnit.SECONDS);
      pg.sql("public", "ALTER ROLE " + role + " LOGIN");
      // the rows it missed are gone: it reads the fields changed meanwhile, each once, at its latest
      Map<String, Field> fields = new LinkedHashMap<>();
      while (fields.size() < 2) {
        fields.putAll(next(seen).node("late").fields());
      }
      // (in table order: the fields are distinct, so their order does not matter to HAM)
      assertThat(fields).containsExactlyInAnyOrderEntriesOf(
          Map.of("k", new Field(Value.number(5), T + 5), "other", new Field(Value.text("y"), T)));
      assertThat(feed.fellBehind()).isPositive();
    } finally {
      pg.sql("public", "ALTER ROLE " + role + " LOGIN");
    }
  }

  @Test
  void theLogIsTrimmedOnceItsRowsAreOlderThanTheRetention() throws Exception {
    String schema = PostgresCluster.freshSchema();
    AtomicLong now = new AtomicLong();
    long minute = TimeUnit.MINUTES.toNanos(1);
    try (PostgresStore b = pg.store(schema).changeRetention(Duration.ofMinutes(1)).nanoTime(now::get).open()) {
      for (int i = 0; i < 5; i++) {
        b.put(put("t", "k" + i, Value.number(i), T)).get(30, TimeUnit.SECONDS);
      }
      assertThat(logRows(schema)).isEqualTo(5);
      // a minute on, the first batch's note (its seq, taken at time 0) is past the retention
      now.addAndGet(minute);
      b.put(put("t", "k5", Value.number(5), T)).get(30, TimeUnit.SECONDS);
      trimmed(b, put("t", "k0", Value.number(0), T - 1));
      assertThat(logRows(schema)).isEqualTo(5);
      assertThat(horizon(schema)).isEqualTo(minSeq(schema) - 1);
      // another minute: the note taken with k5 is past it too
      now.addAndGet(minute);
      b.put(put("t", "k6", Value.number(6), T)).get(30, TimeUnit.SECONDS);
      trimmed(b, put("t", "k0", Value.number(0), T - 1));
      assertThat(logRows(schema)).isEqualTo(1);
    }
  }

  /**
   * Returns once the writer has trimmed after its last batch: it trims after a batch's acks and
   * before the next batch, so the ack of a put HAM refuses (a batch that writes nothing, so trims
   * nothing) comes after that trim.
   */
  private static void trimmed(PostgresStore store, Graph refused) throws Exception {
    assertThat(store.put(refused).get(30, TimeUnit.SECONDS)).as("refused by HAM").isEqualTo(Graph.empty());
  }

  private long logRows(String schema) throws Exception {
    return queryLong(schema, "SELECT count(*) FROM jgun_change");
  }

  private long horizon(String schema) throws Exception {
    return queryLong(schema, "SELECT trimmed_upto FROM jgun_change_horizon");
  }

  private long minSeq(String schema) throws Exception {
    return queryLong(schema, "SELECT min(seq) FROM jgun_change");
  }

  private long queryLong(String schema, String sql) throws Exception {
    try (Connection c = pg.connect(schema);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
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
      b.put(put("c", "k", Value.number(3), T + 2)).get(30, TimeUnit.SECONDS);
      expected.add("k=2");
      expected.add("k=3");
      pg.sql("public", "ALTER ROLE " + role + " LOGIN");
      // after reconnecting, the feed reads the log above the last seq it saw, in order: both of k's
      // values, each once
      List<String> keys = new ArrayList<>();
      while (keys.size() < expected.size()) {
        Graph g = next(seen);
        assertThat(g.fieldCount()).as("a page").isLessThanOrEqualTo(4);
        g.node("c").fields().forEach((k, f) -> keys.add(k.equals("k") ? k + "=" + f.value().json() : k));
      }
      assertThat(keys).isEqualTo(expected);
      assertThat(feed.delivered()).isEqualTo(1 + expected.size());
      assertThat(feed.fellBehind()).isZero();
    } finally {
      pg.sql("public", "ALTER ROLE " + role + " LOGIN");
    }
  }
}
