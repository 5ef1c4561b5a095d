package io.jgun.postgres;

import io.jgun.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema as numbered SQL migrations ({@code migration/V<n>__<name>.sql} beside this class),
 * applied at start-up in one transaction each, recorded in {@code jgun_schema_version}. Several
 * relays starting at once take turns on an advisory lock, so each migration runs once. A database
 * already at a version newer than this code knows is refused rather than guessed at.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** In order; version n is the n-th. Append, never edit: databases in the field have run these. */
  static final List<String> SCRIPTS = List.of("V1__fields.sql", "V2__change_log.sql");

  /** Advisory lock class of migrations ("jgmg"), the schema's hash being the object. */
  private static final int LOCK_CLASS = 0x6a676d67;

  private Migrations() {}

  /** Brings {@code schema} to the latest version; returns the version it is at. */
  static int apply(Connection c, String schema) throws SQLException {
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
        lock.setInt(1, LOCK_CLASS);
        lock.setInt(2, schema.hashCode());
        lock.execute();
      }
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute("SET LOCAL search_path TO " + schema);
      st.execute("CREATE TABLE IF NOT EXISTS jgun_schema_version ("
          + "version int PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      int current;
      try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM jgun_schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > SCRIPTS.size()) {
        throw new StoreException("schema " + schema + " is at version " + current
            + ", newer than this jgun knows (" + SCRIPTS.size() + "): upgrade jgun");
      }
      for (int v = current + 1; v <= SCRIPTS.size(); v++) {
        String script = SCRIPTS.get(v - 1);
        st.execute(load(script));
        try (PreparedStatement rec = c.prepareStatement(
            "INSERT INTO jgun_schema_version (version, script) VALUES (?, ?)")) {
          rec.setInt(1, v);
          rec.setString(2, script);
          rec.execute();
        }
        log.info("schema {}: applied migration {}", schema, script);
      }
      c.commit();
      return SCRIPTS.size();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  private static String load(String script) {
    try (InputStream in = Migrations.class.getResourceAsStream("migration/" + script)) {
      if (in == null) {
        throw new IllegalStateException("migration " + script + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + script, e);
    }
  }
}
