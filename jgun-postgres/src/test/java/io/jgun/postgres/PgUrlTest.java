package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URLs and password files as psql (libpq) takes them. */
class PgUrlTest {
  @TempDir Path home;

  private Path pgpass(String text) throws IOException {
    Path f = home.resolve(".pgpass");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void theIssuesFormWithDefaults() {
    PgUrl u = PgUrl.parse("postgresql://jgun@db.example:6543/graph", Map.of(), home);
    assertThat(u).isEqualTo(new PgUrl("db.example", 6543, "graph", "jgun", null));
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/graph");
    PgUrl d = PgUrl.parse("postgres://", Map.of("USER", "ann"), home);
    assertThat(d).isEqualTo(new PgUrl("localhost", 5432, "ann", "ann", null));
    PgUrl e = PgUrl.parse("postgresql:///",
        Map.of("PGUSER", "bob", "PGHOST", "h", "PGPORT", "7", "PGDATABASE", "db"), home);
    assertThat(e).isEqualTo(new PgUrl("h", 7, "db", "bob", null));
    PgUrl v6 = PgUrl.parse("postgresql://u@[::1]:5433/d%2Fx", Map.of(), home);
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.database()).isEqualTo("d/x");
    assertThat(v6.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/d%2Fx");
  }

  @Test
  void thePasswordComesFromTheUrlThenPgpasswordThenThePasswordFile() throws IOException {
    pgpass("h:5432:db:u:from-file\n");
    assertThat(PgUrl.parse("postgresql://u:p%40ss@h/db", Map.of("PGPASSWORD", "env"), home).password())
        .isEqualTo("p@ss");
    assertThat(PgUrl.parse("postgresql://u@h/db", Map.of("PGPASSWORD", "env"), home).password()).isEqualTo("env");
    assertThat(PgUrl.parse("postgresql://u@h/db", Map.of(), home).password()).isEqualTo("from-file");
    assertThat(PgUrl.parse("postgresql://other@h/db", Map.of(), home).password()).isNull();
    // the password never shows in logs
    assertThat(PgUrl.parse("postgresql://u:secret@h/db", Map.of(), home).toString()).doesNotContain("secret");
  }

  @Test
  void passwordFileLinesMatchAsLibpqMatchesThem() throws IOException {
    Path f = pgpass(String.join("\n",
        "# a comment",
        "other:5432:*:*:not-this",
        "h\\:x:*:db:u:escaped-host",
        "*:5433:*:u:any-host-5433",
        "*:*:*:u:pa\\:ss:with:colons",
        "*:*:*:*:fallback",
        ""));
    assertThat(PgPass.lookup(f, "h:x", 5432, "db", "u")).isEqualTo("escaped-host");
    assertThat(PgPass.lookup(f, "anywhere", 5433, "db", "u")).isEqualTo("any-host-5433");
    assertThat(PgPass.lookup(f, "anywhere", 5432, "db", "u")).isEqualTo("pa:ss:with:colons");
    assertThat(PgPass.lookup(f, "anywhere", 5432, "db", "someone")).isEqualTo("fallback");
    assertThat(PgPass.split("a\\\\b:c")).isEqualTo(List.of("a\\b", "c"));
    // PGPASSFILE names another file
    Path other = home.resolve("elsewhere");
    Files.writeString(other, "*:*:*:*:from-pgpassfile\n");
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
    assertThat(PgUrl.parse("postgresql://u@h/db", Map.of("PGPASSFILE", other.toString()), home).password())
        .isEqualTo("from-pgpassfile");
  }

  @Test
  void aPasswordFileOthersMayReadIsIgnored() throws IOException {
    Path f = pgpass("*:*:*:*:secret\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(PgPass.lookup(f, "h", 5432, "db", "u")).isNull();
    assertThat(PgPass.lookup(home.resolve("missing"), "h", 5432, "db", "u")).isNull();
  }

  @Test
  void badUrlsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> PgUrl.parse("jdbc:postgresql://h/db", Map.of(), home))
        .hasMessageContaining("not a PostgreSQL URL");
    assertThatThrownBy(() -> PgUrl.parse("postgresql://u:secret@h:port/db", Map.of(), home))
        .hasMessageContaining("bad port 'port'").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> PgUrl.parse("postgresql://h/db?sslmode=require", Map.of(), home))
        .hasMessageContaining("not supported");
  }
}
