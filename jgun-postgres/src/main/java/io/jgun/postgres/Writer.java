package io.jgun.postgres;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Node;
import io.jgun.store.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of a {@link PostgresStore}: it takes every queued put and group-commits them in one
 * transaction, HAM decided by PostgreSQL in the upsert's {@code WHERE}, and completes their futures
 * after {@code COMMIT}. Runs on its own thread; everything here but {@link #queue} is confined to it.
 *
 * <h2>One transaction per batch</h2>
 *
 * <ol>
 *   <li>{@code pg_advisory_xact_lock}: the writers of every store on the schema take turns, so
 *       change sequence numbers ({@code seq}) are committed in increasing order and a change feed
 *       reading {@code seq > last} never skips a row committed late with a smaller number.
 *   <li>One {@code INSERT … ON CONFLICT DO UPDATE … WHERE} per round, which also appends every
 *       row it wrote to the change log {@code jgun_change} (for other relays' feeds). A statement may not touch a row
 *       twice, so the n-th write of a field within the batch goes in round n: rounds in submission
 *       order keep the sequential outcome (each write decided against the one before it). A write
 *       that does not beat the batch's previous write of its field cannot be accepted and is
 *       dropped here, so a hot field needs as many rounds as its writes that climb. {@code
 *       RETURNING} names the rows the statement wrote, which are the accepted fields.
 *   <li>{@code pg_notify} with this store's origin and the batch's last seq, delivered at commit.
 *   <li>{@code COMMIT}; then the futures complete with their accepted diffs.
 * </ol>
 *
 * <p>Then, outside the batch's transaction, {@link ChangeLogTrim} may delete a chunk of the change
 * log past its retention.
 */
final class Writer {
  private static final Logger log = LoggerFactory.getLogger(Writer.class);

  /** Advisory lock class of writers ("jgun"), the schema's hash being the object. */
  static final int LOCK_CLASS = 0x6a67756e;

  static final String UPSERT =
      "WITH w AS (INSERT INTO jgun_field AS f (soul, key, state, val, num, seq, origin)"
          + " SELECT u.s, u.k, u.st, u.v, u.n, nextval('jgun_change_seq'), ?"
          + " FROM unnest(?::bytea[], ?::bytea[], ?::float8[], ?::bytea[], ?::float8[]) AS u(s, k, st, v, n)"
          + " ON CONFLICT (soul, key) DO UPDATE"
          + " SET state = excluded.state, val = excluded.val, num = excluded.num,"
          + " seq = excluded.seq, origin = excluded.origin"
          // Gun.js's HAM: a newer state wins; an equal state wins if its JSON text is greater
          // (bytea compares UTF-16BE bytes, which is JavaScript's string order)
          + " WHERE excluded.state > f.state OR (excluded.state = f.state AND excluded.val > f.val)"
          + " RETURNING seq, origin, soul, key, state, val, num)"
          // every accepted write also goes to the change log, in the same statement
          + " INSERT INTO jgun_change (seq, origin, soul, key, state, val, num)"
          + " SELECT seq, origin, soul, key, state, val, num FROM w"
          + " RETURNING soul, key, seq";

  /** One put waiting to be written. */
  static final class Request {
    final Graph graph;
    final int fields;
    final CompletableFuture<Graph> future = new CompletableFuture<>();

    Request(Graph graph, int fields) {
      this.graph = graph;
      this.fields = fields;
    }
  }

  /** Queued by close: the writer writes what precedes it and stops. */
  static final Request STOP = new Request(Graph.empty(), 0);

  private record Key(String soul, String key) {}

  /** One incoming field of the batch, and whether PostgreSQL accepted it. */
  private static final class Write {
    final Key key;
    final Field field;
    boolean accepted;

    Write(Key key, Field field) {
      this.key = key;
      this.field = field;
    }
  }

  // Bounded by PostgresStore.put's count of pending fields (each request holds at least one field).
  final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  final AtomicLong batches = new AtomicLong();

  private final PostgresStore store;
  private final DataSource pool;
  private final PostgresStore.Hook hook;
  private final int maxBatchFields;
  private final long origin;
  private final String channel;
  private final int lockObject;
  private final ChangeLogTrim trim;
  private long batchNumber;

  Writer(PostgresStore store, DataSource pool, PostgresStore.Hook hook, int maxBatchFields, long origin,
      String channel, int lockObject, ChangeLogTrim trim) {
    this.store = store;
    this.pool = pool;
    this.hook = hook;
    this.maxBatchFields = maxBatchFields;
    this.origin = origin;
    this.channel = channel;
    this.lockObject = lockObject;
    this.trim = trim;
  }

  void run() {
    List<Request> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      Request first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        continue; // only close stops the writer, by STOP, so that no accepted put is lost
      }
      if (first == STOP) {
        break;
      }
      batch.add(first);
      int fields = first.fields;
      // group commit: whatever queued while the last transaction ran goes into this one
      while (fields < maxBatchFields) {
        Request r = queue.poll();
        if (r == null) {
          break;
        }
        if (r == STOP) {
          stop = true;
          break;
        }
        batch.add(r);
        fields += r.fields;
      }
      write(batch, fields);
      batch.clear();
    }
  }

  private void write(List<Request> batch, int fields) {
    long n = ++batchNumber;
    Map<Request, List<Write>> writes = new LinkedHashMap<>();
    List<List<Write>> rounds = plan(batch, writes);
    Throwable failure = null;
    long lastSeq = -1;
    try {
      hook.beforeWrite(n);
      lastSeq = transaction(rounds);
    } catch (SQLException e) {
      store.unreachableIf(e);
      failure = new StoreException(store + ": write of batch " + n + " failed: " + PostgresStore.describe(e), e);
    } catch (StoreException e) {
      failure = e;
    } catch (Exception | Error e) {
      failure = new StoreException(store + ": write of batch " + n + " failed: " + e, e);
    }
    store.released(fields);
    batches.incrementAndGet();
    if (failure != null) {
      log.error("{}: batch {} of {} puts ({} fields) failed, none applied: {}",
          store, n, batch.size(), fields, failure.getMessage());
      for (Request r : batch) {
        r.future.completeExceptionally(failure);
      }
      return;
    }
    for (Request r : batch) {
      r.future.complete(accepted(r, writes.get(r)));
    }
    if (lastSeq >= 0) {
      trimChangeLog(lastSeq);
    }
  }

  /** After the acks: the log's trim is housekeeping, and its failure fails no put. */
  private void trimChangeLog(long lastSeq) {
    try (Connection c = pool.getConnection()) {
      trim.afterCommit(c, lastSeq);
    } catch (SQLException | RuntimeException e) {
      log.warn("{}: trimming the change log failed (retried after the next batch): {}",
          store, e instanceof SQLException ? PostgresStore.describe((SQLException) e) : e.toString());
    }
  }

  /** Splits the batch into rounds, dropping writes that lose to an earlier write in the batch. */
  private static List<List<Write>> plan(List<Request> batch, Map<Request, List<Write>> writes) {
    Map<Key, Field> latest = new HashMap<>();
    Map<Key, Integer> count = new HashMap<>();
    List<List<Write>> rounds = new ArrayList<>();
    for (Request r : batch) {
      List<Write> mine = new ArrayList<>(r.fields);
      writes.put(r, mine);
      for (Node node : r.graph.nodes().values()) {
        for (Map.Entry<String, Field> e : node.fields().entrySet()) {
          Key k = new Key(node.soul(), e.getKey());
          Field in = e.getValue();
          Field before = latest.get(k);
          if (before != null && Ham.decide(in, before, Double.POSITIVE_INFINITY) != Ham.Decision.ACCEPT) {
            continue;
          }
          Field stored = in.state() == 0 ? new Field(in.value(), 0.0) : in; // -0 is stored as 0
          latest.put(k, stored);
          Write w = new Write(k, stored);
          mine.add(w);
          int round = count.merge(k, 1, Integer::sum) - 1;
          if (round == rounds.size()) {
            rounds.add(new ArrayList<>());
          }
          rounds.get(round).add(w);
        }
      }
    }
    return rounds;
  }

  /** Writes the rounds in one transaction; returns the greatest seq written, or -1 for none. */
  private long transaction(List<List<Write>> rounds) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
          lock.setInt(1, LOCK_CLASS);
          lock.setInt(2, lockObject);
          lock.execute();
        }
        long lastSeq = -1;
        try (PreparedStatement up = c.prepareStatement(UPSERT)) {
          for (List<Write> round : rounds) {
            lastSeq = Math.max(lastSeq, upsert(c, up, round));
          }
        }
        if (lastSeq >= 0) {
          try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, origin + ":" + lastSeq);
            notify.execute();
          }
        }
        c.commit();
        return lastSeq;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  /** Runs one round; marks its accepted writes and returns the greatest seq written, or -1. */
  private long upsert(Connection c, PreparedStatement up, List<Write> round) throws SQLException {
    int size = round.size();
    byte[][] souls = new byte[size][];
    byte[][] keys = new byte[size][];
    Double[] states = new Double[size];
    byte[][] vals = new byte[size][];
    Double[] nums = new Double[size];
    Map<Key, Write> byKey = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      Write w = round.get(i);
      souls[i] = Utf16.encode(w.key.soul);
      keys[i] = Utf16.encode(w.key.key);
      states[i] = w.field.state();
      vals[i] = ValueCodec.val(w.field.value());
      nums[i] = ValueCodec.num(w.field.value());
      byKey.put(w.key, w);
    }
    Array a1 = c.createArrayOf("bytea", souls);
    Array a2 = c.createArrayOf("bytea", keys);
    Array a3 = c.createArrayOf("float8", states);
    Array a4 = c.createArrayOf("bytea", vals);
    Array a5 = c.createArrayOf("float8", nums);
    up.setLong(1, origin);
    up.setArray(2, a1);
    up.setArray(3, a2);
    up.setArray(4, a3);
    up.setArray(5, a4);
    up.setArray(6, a5);
    long last = -1;
    try (ResultSet rs = up.executeQuery()) {
      while (rs.next()) {
        Write w = byKey.get(new Key(Utf16.decode(rs.getBytes(1)), Utf16.decode(rs.getBytes(2))));
        if (w == null) {
          throw new StoreException(store + ": PostgreSQL returned a row the batch did not write");
        }
        w.accepted = true;
        last = Math.max(last, rs.getLong(3));
      }
    }
    return last;
  }

  private static Graph accepted(Request r, @Nullable List<Write> writes) {
    if (writes == null) {
      return Graph.empty();
    }
    Map<String, Map<String, Field>> took = new LinkedHashMap<>();
    for (Write w : writes) {
      if (w.accepted) {
        took.computeIfAbsent(w.key.soul, s -> new LinkedHashMap<>()).put(w.key.key, w.field);
      }
    }
    if (took.isEmpty()) {
      return Graph.empty();
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    took.forEach((soul, fields) -> nodes.put(soul, new Node(soul, fields)));
    return new Graph(nodes);
  }
}
