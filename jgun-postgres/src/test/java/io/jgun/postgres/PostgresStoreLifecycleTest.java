package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.store.StoreException;
import io.jgun.store.StoreOverloadedException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Migrations at open, the bounded write queue, and refusing what cannot work. */
class PostgresStoreLifecycleTest {
  private static final double T = 1_795_520_969_763.0;
  private final PostgresCluster pg = PostgresCluster.shared();

  private static Graph put(String key, int fields) {
    Node.Builder b = Node.builder("n");
    for (int i = 0; i < fields; i++) {
      b.put(key + i, Value.number(i), T);
    }
    return Graph.of(b.build());
  }

  @Test
  void relaysOpeningAFreshSchemaTogetherMigrateItOnce() throws Exception {
    String schema = PostgresCluster.freshSchema();
    List<CompletableFuture<PostgresStore>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opening.add(CompletableFuture.supplyAsync(() -> pg.store(schema).open()));
    }
    List<PostgresStore> stores = new ArrayList<>();
    try {
      for (CompletableFuture<PostgresStore> f : opening) {
        stores.add(f.get(60, TimeUnit.SECONDS));
      }
      try (Connection c = pg.connect(schema);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT version, script FROM jgun_schema_version ORDER BY version")) {
        List<String> applied = new ArrayList<>();
        while (rs.next()) {
          applied.add(rs.getInt(1) + " " + rs.getString(2));
        }
        assertThat(applied).containsExactly("1 V1__fields.sql", "2 V2__change_log.sql");
      }
      stores.get(0).put(put("k", 1)).get(30, TimeUnit.SECONDS);
      assertThat(stores.get(3).fieldNow("n", "k0")).isNotNull();
    } finally {
      stores.forEach(PostgresStore::close);
    }
  }

  @Test
  void aSchemaNewerThanTheCodeIsRefused() throws Exception {
    String schema = PostgresCluster.freshSchema();
    pg.store(schema).open().close();
    pg.sql(schema, "INSERT INTO jgun_schema_version (version, script) VALUES (3, 'V3__from_the_future.sql')");
    assertThatThrownBy(() -> pg.store(schema).open())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 3, newer than this jgun knows (2)");
  }

  @Test
  void aDatabaseWrittenByTheFirstVersionIsUpgradedInPlace() throws Exception {
    String schema = PostgresCluster.freshSchema();
    // the schema as version 1 left it, with a field written then (seq 7)
    pg.sql("public", "CREATE SCHEMA " + schema);
    try (InputStream v1 = Objects.requireNonNull(Migrations.class.getResourceAsStream("migration/V1__fields.sql"))) {
      pg.sql(schema, new String(v1.readAllBytes(), StandardCharsets.UTF_8));
    }
    pg.sql(schema, "CREATE TABLE jgun_schema_version (version int PRIMARY KEY, script text NOT NULL,"
        + " applied_at timestamptz NOT NULL DEFAULT now())");
    pg.sql(schema, "INSERT INTO jgun_schema_version (version, script) VALUES (1, 'V1__fields.sql')");
    pg.sql(schema, "SELECT setval('jgun_change_seq', 7)");
    pg.sql(schema, "INSERT INTO jgun_field (soul, key, state, val, num, seq, origin) VALUES ("
        + "'\\x006f006c0064'::bytea, '\\x006b'::bytea, 1, '\\x00310032'::bytea, 12, 7, 1)"); // old.k = 12
    BlockingQueue<Graph> seen = new LinkedBlockingQueue<>();
    try (PostgresStore a = pg.store(schema).open();
        PostgresStore b = pg.store(schema).open();
        ChangeFeed feed = a.changes(seen::add)) {
      assertThat(a.fieldNow("old", "k")).isEqualTo(new Field(Value.number(12), 1));
      try (Connection c = pg.connect(schema);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT trimmed_upto FROM jgun_change_horizon")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("writes before the log count as trimmed").isEqualTo(7);
      }
      Graph written = put("k", 2);
      b.put(written).get(30, TimeUnit.SECONDS);
      assertThat(seen.poll(30, TimeUnit.SECONDS)).as("b's write, through a's feed").isEqualTo(written);
      assertThat(feed.fellBehind()).isZero();
    }
  }

  @Test
  void anUnreachableServerFailsTheOpenWithTheReason() {
    PgUrl nowhere = new PgUrl("127.0.0.1", 1, "postgres", "postgres", null);
    assertThatThrownBy(() -> PostgresStore.builder(nowhere).connectionTimeout(java.time.Duration.ofSeconds(1)).open())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("postgresql://postgres@127.0.0.1:1/postgres");
  }

  @Test
  void aFullWriteQueueRefusesPutsAtOnce() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String schema = PostgresCluster.freshSchema();
    try (PostgresStore s = pg.store(schema).maxPendingFields(4).hook(b -> {
      if (b == 1) {
        entered.countDown();
        release.await();
      }
    }).open()) {
      CompletableFuture<Graph> first = s.put(put("a", 3)); // held in the writer: 3 fields pending
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Graph> refused = s.put(put("b", 2));
      assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreOverloadedException.class);
      assertThatThrownBy(() -> s.put(put("c", 5)).get(1, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoreOverloadedException.class).hasMessageContaining("exceeds the write queue cap");
      CompletableFuture<Graph> fits = s.put(put("d", 1));
      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).fieldCount()).isEqualTo(3);
      assertThat(fits.get(30, TimeUnit.SECONDS).fieldCount()).isEqualTo(1);
      assertThat(s.fieldNow("n", "b0")).isNull();
      assertThat(s.pendingFields()).isZero();
    }
  }
}
