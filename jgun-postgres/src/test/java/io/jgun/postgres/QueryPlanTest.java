package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.store.LexBounds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every read the store and the change feed make, and the change log's trim, is served from an
 * index, never a scan of the table (but for the feed's rare catch-up from the fields, see below):
 * checked with {@code EXPLAIN} on 20,000 analysed rows (the plans are printed; docs/postgres.md
 * shows them).
 */
class QueryPlanTest {
  private static final double T = 1_795_520_969_763.0;

  @Test
  void readsUseTheIndexes() throws Exception {
    PostgresCluster pg = PostgresCluster.shared();
    String schema = PostgresCluster.freshSchema();
    try (PostgresStore store = pg.store(schema).open()) {
      List<CompletableFuture<Graph>> fs = new ArrayList<>();
      for (int s = 0; s < 400; s++) {
        Node.Builder b = Node.builder("user/" + s);
        for (int k = 0; k < 50; k++) {
          b.put("k" + k, Value.text("v" + k), T);
        }
        fs.add(store.put(Graph.of(b.build())));
      }
      for (CompletableFuture<Graph> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    try (Connection c = pg.connect(schema)) {
      try (Statement st = c.createStatement()) {
        st.execute("ANALYZE jgun_field");
        st.execute("ANALYZE jgun_change");
      }
      long minSeq;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT min(seq) FROM jgun_change")) {
        rs.next();
        minSeq = rs.getLong(1);
      }
      byte[] soul = Utf16.encode("user/7");
      LexBounds prefix = Objects.requireNonNull(LexBounds.of(Lex.prefix("k1")));
      LexBounds souls = Objects.requireNonNull(LexBounds.of(Lex.prefix("user/7")));
      check(c, "field", PostgresStore.FIELD_SQL, soul, Utf16.encode("k3"));
      check(c, "node", PostgresStore.NODE_SQL, soul);
      byte[] lo = Utf16.encode(prefix.lower());
      byte[] hi = Utf16.encode(prefix.upper());
      byte[] slo = Utf16.encode(souls.lower());
      byte[] shi = Utf16.encode(souls.upper());
      int rows = 10_001; // a page of the default field cap, plus one
      check(c, "key prefix", PostgresStore.keysSql(prefix, false, false), soul, lo, hi, rows);
      check(c, "key prefix, reversed", PostgresStore.keysSql(prefix, true, false), soul, lo, hi, rows);
      check(c, "key prefix, continued", PostgresStore.keysSql(prefix, false, true), soul, lo, hi, lo, rows);
      check(c, "soul prefix", PostgresStore.soulsSql(souls, false, false), slo, shi, rows);
      check(c, "soul prefix, reversed", PostgresStore.soulsSql(souls, true, false), slo, shi, rows);
      check(c, "soul prefix, continued", PostgresStore.soulsSql(souls, false, true), slo, shi, slo, lo, rows);
      check(c, "soul prefix, reversed, continued", PostgresStore.soulsSql(souls, true, true), slo, shi, shi, shi,
          lo, rows);
      check(c, "change feed, from the log", ChangeFeed.LOG_SQL, 19_990L, 256);
      check(c, "change feed, where it starts", ChangeFeed.START_SQL);
      // not checked: the catch-up from jgun_field (ChangeFeed.FIELDS_SQL) is one pass over the table
      // by design, for a feed away longer than the log's retention
      check(c, "change log trim: the chunk's end", ChangeLogTrim.CHUNK_END_SQL, 19_000L);
      // the oldest chunk of a log of 20,000 rows
      check(c, "change log trim", ChangeLogTrim.trimSql(minSeq + ChangeLogTrim.CHUNK / 10));
    }
  }

  private static void check(Connection c, String what, String sql, Object... params) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    System.out.println("-- " + what + ":\n" + sql + "\n" + plan);
    // the horizon is a table of one row: scanning it is its cheapest read
    String scans = plan.toString().replace("Seq Scan on jgun_change_horizon", "");
    assertThat(scans).as(what).contains("Index").doesNotContain("Seq Scan");
  }
}
