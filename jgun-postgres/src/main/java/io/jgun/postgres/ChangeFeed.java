package io.jgun.postgres;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.store.StoreException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fields that other stores on the same schema (other relays) accepted, delivered to a consumer
 * in commit order: what a relay pushes to its own subscribers for writes that arrived at another
 * relay.
 *
 * <p>Every committed write batch numbers its rows from one sequence ({@code seq}) while holding the
 * writers' advisory lock, so sequence order is commit order, and ends with a {@code NOTIFY} on the
 * schema's channel. The feed keeps one connection of its own that {@code LISTEN}s; on a
 * notification, and every {@link PostgresStore.Builder#feedPoll} as a safety net, it reads the rows
 * with {@code seq} above the last it has seen, in order, a page at a time, skips its own store's
 * rows and hands the rest on. A notification is only a wake-up: a feed that lost its connection
 * reconnects, listens again and then catches up from the last {@code seq} it saw, so nothing
 * committed meanwhile is missed. A row written twice while the feed was away comes once, with its
 * latest value, which is all a subscriber needs (HAM merges by state).
 *
 * <p>The consumer runs on the feed's thread, one page at a time; it must be quick.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  private static final long WAIT_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  static final String CATCH_UP_SQL =
      "SELECT seq, origin, soul, key, state, val, num FROM jgun_field WHERE seq > ? ORDER BY seq LIMIT ?";

  private final String name;
  private final PgUrl url;
  private final Properties props;
  private final String channel;
  private final long origin;
  private final int pageSize;
  private final long pollNanos;
  private final Consumer<Graph> consumer;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong delivered = new AtomicLong();
  private final Thread thread;
  private volatile long lastSeq;
  private @Nullable Connection connection;

  private ChangeFeed(String name, PgUrl url, Properties props, String channel, long origin, int pageSize,
      Duration poll, Consumer<Graph> consumer) {
    this.name = name;
    this.url = url;
    this.props = new Properties();
    this.props.putAll(props);
    this.props.setProperty("ApplicationName", "jgun-feed");
    this.channel = channel;
    this.origin = origin;
    this.pageSize = pageSize;
    this.pollNanos = poll.toNanos();
    this.consumer = consumer;
    this.thread = new Thread(this::run, "jgun-postgres-feed");
    this.thread.setDaemon(true);
  }

  static ChangeFeed start(PostgresStore store, PgUrl url, Properties props, String channel, long origin,
      int pageSize, Duration poll, Consumer<Graph> consumer) {
    ChangeFeed feed = new ChangeFeed(store.toString(), url, props, channel, origin, pageSize, poll, consumer);
    try {
      Connection c = feed.connect();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM jgun_field")) {
        rs.next();
        feed.lastSeq = rs.getLong(1); // from now on
      }
    } catch (SQLException e) {
      feed.dropConnection();
      throw new StoreException(feed.name + ": cannot start the change feed: " + PostgresStore.describe(e), e);
    }
    feed.thread.start();
    return feed;
  }

  /** The last change sequence number the feed has read (own rows included). */
  public long lastSeq() {
    return lastSeq;
  }

  /** How many fields the feed has handed to its consumer (counted before each hand-over). */
  public long delivered() {
    return delivered.get();
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url.jdbcUrl(), props);
    connection = c;
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      st.execute("LISTEN " + channel); // channel is jgun_changes_<schema>, a plain identifier
    }
    return c;
  }

  private void dropConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("{}: closing the feed connection: {}", name, e.toString());
      }
    }
  }

  private void run() {
    long backoff = 100;
    long nextPoll = System.nanoTime() + pollNanos;
    boolean due = true; // catch up first: writes may have committed since start or reconnect
    while (closing.getCount() > 0) {
      try {
        Connection c = connection;
        if (c == null) {
          c = connect();
          log.info("{}: change feed reconnected; catching up from seq {}", name, lastSeq);
          due = true;
        }
        if (due) {
          catchUp(c);
          due = false;
          nextPoll = System.nanoTime() + pollNanos;
        }
        PGNotification[] ns = c.unwrap(PGConnection.class).getNotifications((int) WAIT_MILLIS);
        if ((ns != null && ns.length > 0) || System.nanoTime() - nextPoll >= 0) {
          due = true;
        }
        backoff = 100;
      } catch (SQLException | RuntimeException e) {
        if (closing.getCount() == 0) {
          break;
        }
        log.warn("{}: change feed lost PostgreSQL ({}); retrying in {} ms", name, e.getMessage(), backoff);
        dropConnection();
        try {
          if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
            break;
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
    dropConnection();
  }

  /** Reads and delivers, page by page, every row above {@link #lastSeq}. */
  private void catchUp(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CATCH_UP_SQL)) {
      while (closing.getCount() > 0) {
        ps.setLong(1, lastSeq);
        ps.setInt(2, pageSize);
        int rows = 0;
        long last = lastSeq;
        Map<String, Map<String, Field>> page = new LinkedHashMap<>();
        int fields = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
            last = rs.getLong(1);
            if (rs.getLong(2) == origin) {
              continue;
            }
            String soul = Utf16.decode(rs.getBytes(3));
            String key = Utf16.decode(rs.getBytes(4));
            double state = rs.getDouble(5);
            byte[] val = rs.getBytes(6);
            double num = rs.getDouble(7);
            Double n = rs.wasNull() ? null : num;
            page.computeIfAbsent(soul, s -> new LinkedHashMap<>()).put(key, new Field(ValueCodec.decode(val, n), state));
            fields++;
          }
        }
        if (!page.isEmpty()) {
          Map<String, Node> nodes = new LinkedHashMap<>();
          page.forEach((soul, f) -> nodes.put(soul, new Node(soul, f)));
          delivered.addAndGet(fields); // before the hand-over, so a consumer that saw them sees the count
          try {
            consumer.accept(new Graph(nodes));
          } catch (RuntimeException e) {
            log.error("{}: change feed consumer failed on {} fields; going on", name, fields, e);
          }
        }
        lastSeq = last;
        if (rows < pageSize) {
          return;
        }
      }
    }
  }

  /** Stops the feed and closes its connection. Idempotent. */
  @Override
  public void close() {
    closing.countDown();
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
