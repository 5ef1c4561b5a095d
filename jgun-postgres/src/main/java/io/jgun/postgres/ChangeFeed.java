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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The field writes that other stores on the same schema (other relays) accepted, delivered to a
 * consumer in commit order: what a relay pushes to its own subscribers for writes that arrived at
 * another relay.
 *
 * <p>Every committed write batch numbers its rows from one sequence ({@code seq}) while holding the
 * writers' advisory lock, so sequence order is commit order; it appends each accepted write to the
 * change log {@code jgun_change} and ends with a {@code NOTIFY} on the schema's channel. The feed
 * keeps one connection of its own that {@code LISTEN}s; on a notification, and every {@link
 * PostgresStore.Builder#feedPoll} as a safety net, it reads the log above the last {@code seq} it
 * has seen, in order, a page at a time, skips its own store's rows and hands the rest on. Each
 * write comes once, so a subscriber sees every value a fast-changing field took, as it would from
 * one relay. A notification is only a wake-up: a feed that lost its connection reconnects, listens
 * again and then catches up from the last {@code seq} it saw, so nothing committed meanwhile is
 * missed.
 *
 * <p>The log keeps {@link PostgresStore.Builder#changeRetention} of writes ({@link ChangeLogTrim}).
 * A feed that was away for longer finds it trimmed past its last {@code seq} and catches up from
 * {@code jgun_field} instead: each field changed meanwhile once, at its latest value, which is what
 * a subscriber needs to converge (HAM merges by state).
 *
 * <p>The consumer runs on the feed's thread, a graph at a time; it must be quick.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  private static final long WAIT_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  /**
   * The log's horizon and a page of the log above a seq, in one statement so in one snapshot: the
   * horizon tells whether a trim removed rows the page would have held. The horizon's row comes
   * even when the log has nothing new (then with nulls).
   */
  static final String LOG_SQL =
      "SELECT h.trimmed_upto, c.seq, c.origin, c.soul, c.key, c.state, c.val, c.num"
          + " FROM jgun_change_horizon h LEFT JOIN LATERAL"
          + " (SELECT seq, origin, soul, key, state, val, num FROM jgun_change WHERE seq > ? ORDER BY seq LIMIT ?) c"
          + " ON true ORDER BY c.seq";
  static final String FIELDS_SQL = "SELECT seq, origin, soul, key, state, val, num FROM jgun_field WHERE seq > ?";
  /** Where a new feed starts: the greatest seq committed (in the log, or trimmed from it). */
  static final String START_SQL = "SELECT greatest((SELECT coalesce(max(seq), 0) FROM jgun_change),"
      + " (SELECT coalesce(max(trimmed_upto), 0) FROM jgun_change_horizon))";

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
  private final AtomicLong fellBehind = new AtomicLong();
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
          ResultSet rs = st.executeQuery(START_SQL)) {
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

  /**
   * How many times the feed found the change log trimmed past what it had seen (it was away longer
   * than the log's retention) and caught up from the fields' latest values instead.
   */
  public long fellBehind() {
    return fellBehind.get();
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

  /**
   * Reads and delivers, page by page, every change above {@link #lastSeq}: from the change log while
   * it still holds them, else (the log was trimmed past what this feed had seen) from {@code
   * jgun_field}, each changed field at its latest value.
   */
  private void catchUp(Connection c) throws SQLException {
    try (PreparedStatement fromLog = c.prepareStatement(LOG_SQL)) {
      while (closing.getCount() > 0) {
        fromLog.setLong(1, lastSeq);
        fromLog.setInt(2, pageSize);
        Page page = new Page();
        boolean trimmedPast = false;
        try (ResultSet rs = fromLog.executeQuery()) {
          while (rs.next()) {
            if (rs.getLong(1) > lastSeq) {
              trimmedPast = true; // rows this feed has not seen may be gone
              break;
            }
            rs.getLong(2);
            if (!rs.wasNull()) {
              page.add(rs, 2);
            }
          }
        }
        if (trimmedPast) {
          // expected with a short retention and a busy feed: said once, then counted
          if (fellBehind.incrementAndGet() == 1) {
            log.info("{}: the change log was trimmed past seq {}; catching up from the fields' latest values",
                name, lastSeq);
          }
          catchUpFromFields(c);
          continue;
        }
        hand(page);
        if (page.rows > 0) {
          lastSeq = page.last;
        }
        if (page.rows < pageSize) {
          return;
        }
      }
    }
  }

  /**
   * Reads {@code jgun_field} above {@link #lastSeq}: the latest value of each field changed since.
   * One pass, streamed a page at a time in a transaction (the table has no index on {@code seq}, so
   * that a field's update leaves its indexes alone; this runs only for a feed that was away longer
   * than the log's retention), in table order: the fields are distinct, so their order does not
   * matter to HAM. Writes committed during the pass are in the log, above the greatest seq read.
   */
  private void catchUpFromFields(Connection c) throws SQLException {
    long top = lastSeq;
    c.setAutoCommit(false); // a cursor: pgjdbc streams rows only inside a transaction
    try (PreparedStatement ps = c.prepareStatement(FIELDS_SQL)) {
      ps.setFetchSize(pageSize);
      ps.setLong(1, lastSeq);
      Page page = new Page();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && closing.getCount() > 0) {
          page.add(rs, 1);
          top = Math.max(top, page.last);
          if (page.rows == pageSize) {
            hand(page);
            page = new Page();
          }
        }
      }
      hand(page);
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
    if (closing.getCount() > 0) {
      lastSeq = top;
    }
  }

  /** Hands the page's changes on, in order. */
  private void hand(Page page) {
    if (page.fields == 0) {
      return;
    }
    delivered.addAndGet(page.fields); // before the hand-over, so a consumer that saw them sees the count
    for (Graph g : page.graphs()) {
      try {
        consumer.accept(g);
      } catch (RuntimeException e) {
        log.error("{}: change feed consumer failed on {} fields; going on", name, g.fieldCount(), e);
      }
    }
  }

  /**
   * One page of changes, as graphs: a field written twice in the page starts a new
   * graph, so that each of its values is delivered, in order.
   */
  private final class Page {
    final List<Graph> done = new ArrayList<>();
    Map<String, Map<String, Field>> current = new LinkedHashMap<>();
    int rows;
    int fields;
    long last;

    /** Adds the row whose columns seq, origin, soul, key, state, val, num start at {@code col}. */
    void add(ResultSet rs, int col) throws SQLException {
      rows++;
      last = rs.getLong(col);
      if (rs.getLong(col + 1) == origin) {
        return;
      }
      String soul = Utf16.decode(rs.getBytes(col + 2));
      String key = Utf16.decode(rs.getBytes(col + 3));
      double state = rs.getDouble(col + 4);
      byte[] val = rs.getBytes(col + 5);
      double num = rs.getDouble(col + 6);
      Double n = rs.wasNull() ? null : num;
      Map<String, Field> node = current.get(soul);
      if (node != null && node.containsKey(key)) {
        flush();
        node = null;
      }
      if (node == null) {
        node = new LinkedHashMap<>();
        current.put(soul, node);
      }
      node.put(key, new Field(ValueCodec.decode(val, n), state));
      fields++;
    }

    private void flush() {
      if (!current.isEmpty()) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        current.forEach((soul, f) -> nodes.put(soul, new Node(soul, f)));
        done.add(new Graph(nodes));
        current = new LinkedHashMap<>();
      }
    }

    List<Graph> graphs() {
      flush();
      return done;
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
