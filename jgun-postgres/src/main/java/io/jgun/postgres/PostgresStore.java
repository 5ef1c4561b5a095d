package io.jgun.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.store.LexBounds;
import io.jgun.store.Limit;
import io.jgun.store.Page;
import io.jgun.store.ReaderPool;
import io.jgun.store.PageBuilder;
import io.jgun.store.Store;
import io.jgun.store.StoreClosedException;
import io.jgun.store.StoreException;
import io.jgun.store.StoreOverloadedException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link Store} on PostgreSQL, which any number of relays may share.
 *
 * <h2>Layout</h2>
 *
 * One row per field in {@code jgun_field}: primary key {@code (soul, key)}, both UTF-16BE {@code
 * bytea} so that the index orders them as JavaScript orders strings ({@link Utf16}); {@code state};
 * the value as its {@code JSON.stringify} text {@code val} (what HAM's tie-break compares) and, for
 * numbers, {@code num}; the change sequence {@code seq} and the writing store's {@code origin}. The
 * schema is created and upgraded by numbered migrations at open ({@link Migrations}), in the schema
 * {@link Builder#schema} names.
 *
 * <h2>Writes</h2>
 *
 * Puts go into a queue bounded by {@link Builder#maxPendingFields} (past it: {@link
 * StoreOverloadedException}). One writer thread commits everything queued in one transaction, HAM
 * applied by PostgreSQL inside an {@code INSERT … ON CONFLICT DO UPDATE … WHERE} (see {@code
 * Writer}), and completes the futures only after {@code COMMIT}: the ack is as durable as the
 * server's {@code synchronous_commit} makes a commit (on by default: the WAL is flushed). A failed
 * transaction (PostgreSQL down, a connection lost) fails every put of the batch and applied none of
 * them; with PostgreSQL unreachable a batch fails within {@link Builder#connectionTimeout}.
 *
 * <h2>Reads</h2>
 *
 * Reads run on the primary key index: a field is a point lookup, a node or a key range a range scan
 * on {@code (soul, key)}, a soul range a range scan on its first column, streamed with a bounded
 * fetch size and stopped at the {@link Limit}. {@code …Now} reads run on the caller's thread; the
 * asynchronous ones on a reader pool with a bounded queue. Reads and the writer use separate
 * connections, so a burst of reads never makes a write batch wait for a connection. A read that
 * finds PostgreSQL unreachable makes the reads after it fail at once, until a probe connects again
 * ({@link Reachability}): a relay's loop waits for a dead server once, not once per put.
 *
 * <h2>Several relays</h2>
 *
 * Every store on one schema sees every other's committed writes at once in its reads. {@link
 * #changes} tells a relay which fields other stores accepted, for its subscribers ({@link
 * ChangeFeed}).
 *
 * <p>(Over 500 lines because it holds the {@link Store} contract's eight reads, each an index
 * query with its paging, the life cycle and the builder; writing is {@link Writer}'s, the feed
 * {@link ChangeFeed}'s.)
 */
public final class PostgresStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  static final String NODE_SQL = "SELECT key, state, val, num FROM jgun_field WHERE soul = ? ORDER BY key";
  /** How often reads that found PostgreSQL unreachable probe for it to answer again. */
  static final Duration PROBE_EVERY = Duration.ofMillis(500);

  static final String FIELD_SQL = "SELECT state, val, num FROM jgun_field WHERE soul = ? AND key = ?";

  /** Called by the writer before each batch, with the batch's 1-based number (test hook). */
  @FunctionalInterface
  interface Hook {
    void beforeWrite(long batch) throws Exception;
  }

  private final Options options;
  private final HikariDataSource pool;
  private final HikariDataSource writerPool;
  private final Writer writer;
  private final Thread writerThread;
  private final ReaderPool readers;
  private final Reachability reachability;
  private final AtomicLong pendingFields = new AtomicLong();
  private final List<ChangeFeed> feeds = new CopyOnWriteArrayList<>();
  private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private PostgresStore(Options options) {
    this.options = options;
    this.pool = pool(options, "read", options.maxConnections);
    try {
      // the writer's own connection: reads, however many, never make a batch wait for one
      this.writerPool = pool(options, "write", 1);
    } catch (StoreException e) {
      pool.close();
      throw e;
    }
    try (Connection c = writerPool.getConnection()) {
      Migrations.apply(c, options.schema);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      writerPool.close();
      if (e instanceof StoreException) {
        throw (StoreException) e;
      }
      throw new StoreException(this + ": migrating the schema failed: " + e.getMessage(), e);
    }
    this.writer = new Writer(this, writerPool, options.hook, options.maxBatchFields, options.origin,
        channel(options.schema), options.schema.hashCode(),
        new ChangeLogTrim(options.changeRetention, options.nanoTime));
    this.writerThread = new Thread(writer::run, "jgun-postgres-writer-" + options.schema);
    this.writerThread.setDaemon(true);
    this.writerThread.start();
    this.reachability = new Reachability(toString(), pool, PROBE_EVERY, "jgun-postgres-probe-" + options.schema,
        options.nanoTime);
    this.readers = new ReaderPool(toString(), "jgun-postgres-reader-" + options.schema, options.readThreads,
        options.maxPendingReads);
    log.info("{}: open (schema version {})", this, Migrations.SCRIPTS.size());
  }

  private HikariDataSource pool(Options o, String use, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("jgun-postgres-" + use + "-" + o.schema);
    hc.setJdbcUrl(o.url.jdbcUrl());
    hc.setDataSourceProperties(connectionProperties(o));
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(1);
    hc.setAutoCommit(false);
    hc.setConnectionTimeout(o.connectionTimeout.toMillis());
    hc.setValidationTimeout(Math.min(o.connectionTimeout.toMillis(), 5_000));
    hc.setInitializationFailTimeout(o.connectionTimeout.toMillis());
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException(this + ": cannot connect: " + e.getMessage(), e);
    }
  }

  static Properties connectionProperties(Options o) {
    Properties p = new Properties();
    p.setProperty("user", o.url.user());
    if (o.url.password() != null) {
      p.setProperty("password", Objects.requireNonNull(o.url.password()));
    }
    p.setProperty("currentSchema", o.schema);
    p.setProperty("ApplicationName", "jgun");
    // An ack promises a flushed commit whatever the server's default; and a writer cut off in the
    // middle of a transaction must not hold the writers' advisory lock (and so every relay's
    // writes) for longer than the socket timeout: the server then ends its session.
    p.setProperty("options", "-c synchronous_commit=on -c idle_in_transaction_session_timeout="
        + o.socketTimeout.toMillis());
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("connectTimeout", Long.toString(Math.max(1, o.connectionTimeout.toSeconds())));
    // a server that stops answering (a partition, not a refused connection) fails a read or write
    // after this instead of hanging the writer
    p.setProperty("socketTimeout", Long.toString(Math.max(1, o.socketTimeout.toSeconds())));
    return p;
  }

  static String channel(String schema) {
    return "jgun_changes_" + schema;
  }

  /** A builder for a store on the database at {@code url}. */
  public static Builder builder(PgUrl url) {
    return new Builder(url);
  }

  /** The schema this store keeps its tables in. */
  public String schema() {
    return options.schema;
  }

  /** This store's origin: the id its writes carry in {@code jgun_field.origin}. */
  public long origin() {
    return options.origin;
  }

  /**
   * False once a read found PostgreSQL unreachable, until a probe connects again; see {@link
   * Reachability}.
   */
  public boolean isReachable() {
    return !reachability.isDown();
  }

  /** How many batches (transactions) the writer has run, failed ones included. */
  public long batchesWritten() {
    return writer.batches.get();
  }

  /** How many fields are queued, not yet committed. */
  public long pendingFields() {
    return pendingFields.get();
  }

  @Override
  public String toString() {
    return "postgres store " + options.url + " schema " + options.schema;
  }

  // ---- writes

  @Override
  public CompletableFuture<Graph> put(Graph fields) {
    Objects.requireNonNull(fields, "fields");
    int n = fields.fieldCount();
    if (n == 0) {
      return closed ? closedFuture() : CompletableFuture.completedFuture(Graph.empty());
    }
    if (n > options.maxPendingFields) {
      return CompletableFuture.failedFuture(new StoreOverloadedException(this + ": a put of " + n
          + " fields exceeds the write queue cap of " + options.maxPendingFields + " fields"));
    }
    life.readLock().lock();
    try {
      if (closed) {
        return closedFuture();
      }
      long after = pendingFields.addAndGet(n);
      if (after > options.maxPendingFields) {
        pendingFields.addAndGet(-n);
        return CompletableFuture.failedFuture(new StoreOverloadedException(this + ": write queue full ("
            + (after - n) + " fields pending, cap " + options.maxPendingFields + "); put of " + n
            + " fields refused"));
      }
      Writer.Request r = new Writer.Request(fields, n);
      writer.queue.add(r);
      return r.future;
    } finally {
      life.readLock().unlock();
    }
  }

  /** Called by the writer when a batch failed: a lost connection marks PostgreSQL unreachable. */
  void unreachableIf(SQLException e) {
    reachability.failed(e);
  }

  /** Called by the writer once a batch is settled, before its futures complete. */
  void released(int fields) {
    pendingFields.addAndGet(-fields);
  }

  private <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(new StoreClosedException(this + " is closed"));
  }

  // ---- reads

  /** A read on one pooled connection, in a read-only transaction (so that it may stream). */
  @FunctionalInterface
  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String what, Query<T> q) {
    if (closed) {
      throw new StoreClosedException(this + " is closed");
    }
    reachability.check(what);
    try (Connection c = pool.getConnection()) {
      try {
        T result = q.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    } catch (SQLException e) {
      reachability.failed(e);
      throw new StoreException(this + ": " + what + " failed: " + describe(e), e);
    }
  }

  static String describe(SQLException e) {
    String state = e.getSQLState();
    return (state == null ? "" : "SQLSTATE " + state + ": ") + e.getMessage();
  }

  private static Field field(ResultSet rs, int col) throws SQLException {
    double state = rs.getDouble(col);
    byte[] val = rs.getBytes(col + 1);
    double num = rs.getDouble(col + 2);
    Double n = rs.wasNull() ? null : num;
    return new Field(ValueCodec.decode(val, n), state);
  }

  @Override
  public Node nodeNow(String soul) {
    return read("read of node", c -> {
      try (PreparedStatement ps = c.prepareStatement(NODE_SQL)) {
        ps.setFetchSize(options.fetchSize);
        ps.setBytes(1, Utf16.encode(soul));
        Map<String, Field> fields = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fields.put(Utf16.decode(rs.getBytes(1)), field(rs, 2));
          }
        }
        return new Node(soul, fields);
      }
    });
  }

  @Override
  public @Nullable Field fieldNow(String soul, String key) {
    // read() gives what its query returns, never null: an absent field is an empty Optional
    return read("read of field", c -> {
      try (PreparedStatement ps = c.prepareStatement(FIELD_SQL)) {
        ps.setBytes(1, Utf16.encode(soul));
        ps.setBytes(2, Utf16.encode(key));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(field(rs, 1)) : Optional.<Field>empty();
        }
      }
    }).orElse(null);
  }

  /**
   * The SQL of a key read within one soul: {@code soul}, then {@code lower} and {@code upper} as
   * present, then (when {@code after}) the last key already read, then the row limit. The limit
   * makes the planner walk the primary key in order and stop, rather than sort a whole range.
   */
  static String keysSql(LexBounds b, boolean reverse, boolean after) {
    StringBuilder sql = new StringBuilder("SELECT key, state, val, num FROM jgun_field WHERE soul = ?");
    bounds(sql, "key", b);
    if (after) {
      sql.append(reverse ? " AND key < ?" : " AND key > ?");
    }
    return sql.append(reverse ? " ORDER BY key DESC" : " ORDER BY key").append(" LIMIT ?").toString();
  }

  /**
   * The SQL of a soul read: {@code lower} and {@code upper} as present, then (when {@code after})
   * the last soul and key already read, then the row limit. Nodes come in soul order, reversed or
   * not, their fields always in key order.
   */
  static String soulsSql(LexBounds b, boolean reverse, boolean after) {
    StringBuilder sql = new StringBuilder("SELECT soul, key, state, val, num FROM jgun_field WHERE true");
    bounds(sql, "soul", b);
    if (after) {
      sql.append(reverse ? " AND (soul < ? OR (soul = ? AND key > ?))" : " AND (soul, key) > (?, ?)");
    }
    return sql.append(reverse ? " ORDER BY soul DESC, key" : " ORDER BY soul, key").append(" LIMIT ?").toString();
  }

  private static void bounds(StringBuilder sql, String column, LexBounds b) {
    if (b.lower() != null) {
      sql.append(" AND ").append(column).append(" >= ?");
    }
    if (b.upper() != null) {
      sql.append(" AND ").append(column).append(b.upperInclusive() ? " <= ?" : " < ?");
    }
  }

  private static int bind(PreparedStatement ps, int at, LexBounds b) throws SQLException {
    if (b.lower() != null) {
      ps.setBytes(at++, Utf16.encode(Objects.requireNonNull(b.lower())));
    }
    if (b.upper() != null) {
      ps.setBytes(at++, Utf16.encode(Objects.requireNonNull(b.upper())));
    }
    return at;
  }

  /**
   * Rows one query of a scan asks for: enough for a full page (every row in the bounds usually
   * matches), plus one to see that more exist. Rows the {@link Lex} skips may leave the page short
   * of its limit; then the scan goes on after the last row read.
   */
  private static int rowLimit(Limit limit) {
    return limit.maxFields() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limit.maxFields() + 1;
  }

  @Override
  public Page keysNow(String soul, Lex key, Limit limit) {
    LexBounds b = LexBounds.of(key);
    if (b == null) {
      if (closed) {
        throw new StoreClosedException(this + " is closed");
      }
      return Page.EMPTY;
    }
    int rows = rowLimit(limit);
    return read("key read", c -> {
      PageBuilder page = new PageBuilder(limit);
      page.startNode(soul);
      byte[] last = null;
      while (true) {
        try (PreparedStatement ps = c.prepareStatement(keysSql(b, key.reverse(), last != null))) {
          ps.setFetchSize(Math.min(options.fetchSize, rows));
          ps.setBytes(1, Utf16.encode(soul));
          int at = bind(ps, 2, b);
          if (last != null) {
            ps.setBytes(at++, last);
          }
          ps.setInt(at, rows);
          int read = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              read++;
              last = rs.getBytes(1);
              String k = Utf16.decode(last);
              if (key.matches(k) && !page.offerKey(k, field(rs, 2))) {
                return page.build();
              }
            }
          }
          if (read < rows) {
            return page.build();
          }
        }
      }
    });
  }

  @Override
  public Page soulsNow(Lex soul, Limit limit) {
    LexBounds b = LexBounds.of(soul);
    if (b == null) {
      if (closed) {
        throw new StoreClosedException(this + " is closed");
      }
      return Page.EMPTY;
    }
    int rows = rowLimit(limit);
    return read("soul read", c -> {
      PageBuilder page = new PageBuilder(limit);
      byte[] current = null;
      byte[] lastKey = null;
      boolean taking = false;
      while (true) {
        try (PreparedStatement ps = c.prepareStatement(soulsSql(b, soul.reverse(), current != null))) {
          ps.setFetchSize(Math.min(options.fetchSize, rows));
          int at = bind(ps, 1, b);
          if (current != null) {
            ps.setBytes(at++, current);
            if (soul.reverse()) {
              ps.setBytes(at++, current);
            }
            ps.setBytes(at++, lastKey);
          }
          ps.setInt(at, rows);
          int read = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              read++;
              byte[] s = rs.getBytes(1);
              lastKey = rs.getBytes(2);
              if (current == null || !Arrays.equals(current, s)) {
                current = s;
                String name = Utf16.decode(s);
                taking = soul.matches(name);
                if (taking && !page.startNode(name)) {
                  return page.build();
                }
              }
              if (taking && !page.offerField(Utf16.decode(lastKey), field(rs, 3))) {
                return page.build();
              }
            }
          }
          if (read < rows) {
            return page.build();
          }
        }
      }
    });
  }

  @Override
  public CompletableFuture<Node> node(String soul) {
    return async(() -> nodeNow(soul));
  }

  @Override
  public CompletableFuture<@Nullable Field> field(String soul, String key) {
    return async(() -> fieldNow(soul, key));
  }

  @Override
  public CompletableFuture<Page> keys(String soul, Lex key, Limit limit) {
    return async(() -> keysNow(soul, key, limit));
  }

  @Override
  public CompletableFuture<Page> souls(Lex soul, Limit limit) {
    return async(() -> soulsNow(soul, limit));
  }

  private <T> CompletableFuture<T> async(Supplier<T> read) {
    if (closed) {
      return closedFuture();
    }
    return readers.submit(read);
  }

  // ---- the change feed

  /**
   * Starts delivering to {@code onRemoteAccepted} the fields that other stores on this schema
   * (other relays) accept from now on, in commit order, on the feed's own thread; see {@link
   * ChangeFeed}. Close the returned feed to stop; closing this store closes it too.
   *
   * @throws StoreException when PostgreSQL cannot be reached to start listening
   */
  public ChangeFeed changes(Consumer<Graph> onRemoteAccepted) {
    if (closed) {
      throw new StoreClosedException(this + " is closed");
    }
    ChangeFeed feed = ChangeFeed.start(this, options.url, connectionProperties(options), channel(options.schema),
        options.origin, options.fetchSize, options.feedPoll, onRemoteAccepted);
    feeds.add(feed);
    return feed;
  }

  // ---- lifecycle

  @Override
  public void close() {
    life.writeLock().lock(); // no put starts after
    try {
      if (closed) {
        return;
      }
      closed = true;
      writer.queue.add(Writer.STOP);
    } finally {
      life.writeLock().unlock();
    }
    boolean interrupted = false;
    while (true) {
      try {
        writerThread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the writer must finish before the pools close
      }
    }
    feeds.forEach(ChangeFeed::close);
    try {
      if (!readers.close(Duration.ofSeconds(30))) {
        log.warn("{}: reads still running after 30 s; closing anyway", this);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    reachability.close();
    pool.close();
    writerPool.close();
    log.info("{} closed", this);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The validated options. */
  static final class Options {
    final PgUrl url;
    final String schema;
    final int maxConnections;
    final Duration connectionTimeout;
    final Duration socketTimeout;
    final int maxBatchFields;
    final int maxPendingFields;
    final int readThreads;
    final int maxPendingReads;
    final int fetchSize;
    final long origin;
    final Duration feedPoll;
    final Duration changeRetention;
    final LongSupplier nanoTime;
    final Hook hook;

    Options(Builder b) {
      this.url = b.url;
      this.schema = b.schema;
      this.maxConnections = b.maxConnections;
      this.connectionTimeout = b.connectionTimeout;
      this.socketTimeout = b.socketTimeout;
      this.maxBatchFields = b.maxBatchFields;
      this.maxPendingFields = b.maxPendingFields;
      this.readThreads = b.readThreads;
      this.maxPendingReads = b.maxPendingReads;
      this.fetchSize = b.fetchSize;
      this.origin = b.origin != null ? b.origin : new SecureRandom().nextLong();
      this.feedPoll = b.feedPoll;
      this.changeRetention = b.changeRetention;
      this.nanoTime = b.nanoTime;
      this.hook = b.hook;
    }
  }

  /** Options of a {@link PostgresStore}; {@link #open()} validates them, connects and migrates. */
  public static final class Builder {
    private final PgUrl url;
    private String schema = "public";
    private int maxConnections = 4;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private int maxBatchFields = 8_192;
    private int maxPendingFields = 100_000;
    private int readThreads = 2;
    private int maxPendingReads = 1_024;
    private int fetchSize = 256;
    private @Nullable Long origin;
    private Duration feedPoll = Duration.ofSeconds(5);
    private Duration changeRetention = Duration.ofMinutes(10);
    private LongSupplier nanoTime = System::nanoTime;
    private Hook hook = b -> {};

    private Builder(PgUrl url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    /** The schema of the tables (created if missing); lower-case letters, digits, {@code _}. */
    public Builder schema(String schema) {
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must match " + SCHEMA + ": " + schema);
      }
      this.schema = schema;
      return this;
    }

    /**
     * The most connections the read pool opens. The writer has one connection of its own, and so
     * has each change feed.
     */
    public Builder maxConnections(int n) {
      this.maxConnections = positive(n, "maxConnections");
      return this;
    }

    /** How long a read or batch waits for a connection before it fails. */
    public Builder connectionTimeout(Duration d) {
      this.connectionTimeout = positive(d, "connectionTimeout");
      return this;
    }

    /** How long a statement waits for the server's answer before its connection is dropped. */
    public Builder socketTimeout(Duration d) {
      this.socketTimeout = positive(d, "socketTimeout");
      return this;
    }

    /** The most fields one transaction commits. */
    public Builder maxBatchFields(int n) {
      this.maxBatchFields = positive(n, "maxBatchFields");
      return this;
    }

    /** The most fields queued for the writer; past it puts fail with {@link StoreOverloadedException}. */
    public Builder maxPendingFields(int n) {
      this.maxPendingFields = positive(n, "maxPendingFields");
      return this;
    }

    /** Threads of the asynchronous reads. */
    public Builder readThreads(int n) {
      this.readThreads = positive(n, "readThreads");
      return this;
    }

    /** The most asynchronous reads queued; past it they fail with {@link StoreOverloadedException}. */
    public Builder maxPendingReads(int n) {
      this.maxPendingReads = positive(n, "maxPendingReads");
      return this;
    }

    /** Rows fetched per round trip in scans (bounds the memory of one read in flight). */
    public Builder fetchSize(int n) {
      this.fetchSize = positive(n, "fetchSize");
      return this;
    }

    /** The id this store's writes carry, so that its change feed skips them (default: random). */
    public Builder origin(long origin) {
      this.origin = origin;
      return this;
    }

    /** How often a change feed checks for changes when no notification came (a safety net). */
    public Builder feedPoll(Duration d) {
      this.feedPoll = positive(d, "feedPoll");
      return this;
    }

    /**
     * How long the change log keeps each write (default 10 minutes). A relay whose feed was away
     * for less gets every change it missed, intermediate values included; one away for longer gets
     * each changed field's latest value. Zero keeps no history beyond the feed's own pace.
     */
    public Builder changeRetention(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("changeRetention must not be negative: " + d);
      }
      this.changeRetention = d;
      return this;
    }

    /** The clock the change log's retention is measured with (tests). */
    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    Builder hook(Hook hook) {
      this.hook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Connects, brings the schema to the current version and starts the writer.
     *
     * @throws StoreException when PostgreSQL cannot be reached or the schema is newer than this code
     */
    public PostgresStore open() {
      return new PostgresStore(new Options(this));
    }

    private static int positive(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be >= 1: " + n);
      }
      return n;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
