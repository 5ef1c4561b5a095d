package io.jgun.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL cluster from the Debian {@code postgresql} package: {@code initdb} in a
 * temporary directory, {@code pg_ctl start} on a free port on 127.0.0.1, trust authentication.
 * PostgreSQL refuses to run as root, so as root the binaries run as the {@code postgres} user.
 *
 * <p>{@link #shared()} is one cluster for the whole test run, stopped when the JVM exits; a test
 * that stops the server starts its own with {@link #start()}. Without the binaries a test is skipped
 * with a message, except under {@code CI=true}, where that fails.
 */
public final class PostgresCluster implements AutoCloseable {
  static final Path BIN = binaries();
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresCluster shared;

  private final Path dir;
  private final int port;
  /** The addresses the server listens on ({@code listen_addresses}). */
  private volatile String listen = "127.0.0.1";

  private PostgresCluster(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** {@code JGUN_PG_BIN}, else the newest Debian server version in /usr/lib/postgresql. */
  private static Path binaries() {
    String env = System.getenv("JGUN_PG_BIN");
    if (env != null) {
      return Path.of(env);
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
          .map(v -> v.resolve("bin"))
          .orElse(Path.of("/usr/lib/postgresql/15/bin"));
    } catch (IOException e) {
      return Path.of("/usr/lib/postgresql/15/bin");
    }
  }

  /** The cluster shared by the test run, started on first use. */
  public static synchronized PostgresCluster shared() {
    if (shared == null) {
      PostgresCluster c = start();
      Runtime.getRuntime().addShutdownHook(new Thread(c::close));
      shared = c;
    }
    return shared;
  }

  /** Starts a new cluster; close it to stop it and delete its files. */
  public static PostgresCluster start() {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      String msg = "PostgreSQL server binaries not found in " + BIN
          + " (apt-get install -y postgresql, or set JGUN_PG_BIN)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(msg);
      }
      Assumptions.abort(msg);
    }
    try {
      Path dir = Files.createTempDirectory("jgun-pg-");
      if (ROOT) {
        run(List.of("chown", "postgres:postgres", dir.toString()));
      }
      run(asPostgres(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
          "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"));
      PostgresCluster c = new PostgresCluster(dir, freePort());
      c.startServer();
      return c;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e, e);
    }
  }

  public int port() {
    return port;
  }

  /** The URL of database {@code postgres} as user {@code postgres}. */
  public PgUrl url() {
    return new PgUrl("127.0.0.1", port, "postgres", "postgres", null);
  }

  /** A schema name no other test used. */
  public static String freshSchema() {
    return "t" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
  }

  /** A builder on a fresh schema, with short timeouts for tests. */
  public PostgresStore.Builder store(String schema) {
    return PostgresStore.builder(url()).schema(schema).connectionTimeout(java.time.Duration.ofSeconds(3))
        .socketTimeout(java.time.Duration.ofSeconds(10)).maxConnections(3);
  }

  /** A plain connection, for checks made beside a store. */
  public Connection connect(String schema) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("currentSchema", schema);
    return DriverManager.getConnection(url().jdbcUrl(), p);
  }

  public void sql(String schema, String sql) throws SQLException {
    try (Connection c = connect(schema); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  public void startServer() throws IOException {
    String opts = "-p " + port + " -k " + dir + " -c listen_addresses=" + listen + " -c max_connections=200"
        + " -c fsync=on -c synchronous_commit=on";
    run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
        "-l", dir.resolve("log").toString(), "-o", opts, "-w", "-t", "60", "start"));
  }

  /**
   * Restarts the server listening on {@code addresses} (comma-separated) besides 127.0.0.1 and
   * trusting clients from {@code cidr}: for relays in other network namespaces.
   */
  public void listenAlsoOn(String addresses, String cidr) throws IOException {
    Files.writeString(dir.resolve("data").resolve("pg_hba.conf"), "\nhost all all " + cidr + " trust\n",
        java.nio.file.StandardOpenOption.APPEND);
    run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    listen = "127.0.0.1," + addresses;
    startServer();
  }

  /** {@code pg_ctl stop -m immediate}: the server processes are killed, no shutdown checkpoint. */
  public void stopImmediately() throws IOException {
    run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
        "-m", "immediate", "-w", "stop"));
  }

  /** The process id of the running server (first line of postmaster.pid). */
  public long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
  }

  @Override
  public void close() {
    try {
      run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
          "-m", "fast", "-w", "stop"));
    } catch (IOException e) {
      // already stopped
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is no failure
    }
  }

  private static List<String> asPostgres(String... cmd) {
    List<String> out = new ArrayList<>();
    if (ROOT) {
      out.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    out.addAll(List.of(cmd));
    return out;
  }

  private static void run(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + cmd);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + cmd, e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(cmd + " exited " + p.exitValue() + ":\n" + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
