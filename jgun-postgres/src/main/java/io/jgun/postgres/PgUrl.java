package io.jgun.postgres;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link PostgresStore} connects: parsed from {@code postgresql://USER@HOST:PORT/DB} as psql
 * takes it. Absent parts default as libpq's do ({@code PGUSER} else {@code USER}, {@code PGHOST}
 * else {@code localhost}, {@code PGPORT} else 5432, {@code PGDATABASE} else the user name). The
 * password comes, in libpq's order, from the URL ({@code USER:PASSWORD@}, discouraged: it shows in
 * process lists), then {@code PGPASSWORD}, then the password file ({@code PGPASSFILE}, else {@code
 * ~/.pgpass}, see {@link PgPass}); none is fine for trust or peer authentication.
 *
 * @param password null when none was found
 */
public record PgUrl(String host, int port, String database, String user, @Nullable String password) {

  public PgUrl {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code url} with the process's environment and home directory. */
  public static PgUrl parse(String url) {
    return parse(url, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Parses {@code url}, taking defaults and the password from {@code env} and the password file
   * {@code home/.pgpass} (unless {@code PGPASSFILE} names another).
   *
   * @throws IllegalArgumentException naming what is wrong with the URL
   */
  public static PgUrl parse(String url, Map<String, String> env, Path home) {
    String rest;
    if (url.startsWith("postgresql://")) {
      rest = url.substring("postgresql://".length());
    } else if (url.startsWith("postgres://")) {
      rest = url.substring("postgres://".length());
    } else {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (postgresql://USER@HOST:PORT/DB): " + redact(url));
    }
    if (rest.indexOf('?') >= 0) {
      throw new IllegalArgumentException("URL parameters (?…) are not supported: " + redact(url));
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String info = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
      if (user.isEmpty()) {
        user = null;
      }
    }
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed [ in host: " + redact(url));
      }
      host = hostPort.substring(1, close);
      if (hostPort.length() > close + 1) {
        if (hostPort.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("bad host: " + redact(url));
        }
        portText = hostPort.substring(close + 2);
      }
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
    }
    host = host.isEmpty() ? env.getOrDefault("PGHOST", "localhost") : decode(host);
    if (portText == null || portText.isEmpty()) {
      portText = env.getOrDefault("PGPORT", "5432");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port '" + portText + "' in " + redact(url));
    }
    if (user == null) {
      user = env.getOrDefault("PGUSER", env.getOrDefault("USER", "postgres"));
    }
    if (database.isEmpty()) {
      database = env.getOrDefault("PGDATABASE", user);
    }
    if (password == null) {
      password = env.get("PGPASSWORD");
    }
    if (password == null) {
      String file = env.get("PGPASSFILE");
      Path pass = file != null ? Path.of(file) : home.resolve(".pgpass");
      password = PgPass.lookup(pass, host, port, database, user);
    }
    return new PgUrl(host, port, database, user, password);
  }

  /** The pgjdbc URL, without user or password (they are passed as properties). */
  public String jdbcUrl() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** The URL without the password, for logs and error messages. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "postgresql://" + user + "@" + h + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String redact(String url) {
    return url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }
}
