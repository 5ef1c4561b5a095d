package io.jgun.rocksdb;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Node;
import io.jgun.store.StoreClosedException;
import io.jgun.store.StoreException;
import io.jgun.store.StoreOverloadedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a {@link RocksStore}: it alone reads-decides-writes, so HAM against the
 * stored state is atomic with respect to every other put without locks.
 *
 * <p>Threads: {@link #submit} and {@link #close} are called from any thread; everything else runs
 * on the writer's own thread ({@code jgun-rocks-writer <dir>}), which takes requests from the
 * queue this class owns. The queue is bounded by the count of fields submitted and not yet
 * written ({@link #pendingFields}), admitted against the cap under {@link #admission}, the lock
 * that also moves the one state ({@link #accepting}) from open to closed; the writer thread lowers
 * the count once a batch settles.
 */
final class Writer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Writer.class);

  /** One put waiting to be written. */
  private static final class Request {
    final Graph graph;
    final int fields;
    final CompletableFuture<Graph> future = new CompletableFuture<>();
    @Nullable Graph accepted;

    Request(Graph graph, int fields) {
      this.graph = graph;
      this.fields = fields;
    }
  }

  /** Queued by close: the writer writes what precedes it and stops. */
  private static final Request STOP = new Request(Graph.empty(), 0);

  /** A field's identity in the batch overlay. */
  private record Key(String soul, String key) {}

  /** A field touched by the batch: its key bytes and the field to compare against. */
  private static final class Slot {
    final byte[] bytes;
    @Nullable Field current;

    Slot(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  // Bounded by pendingFields (each request holds at least one field).
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pendingFields = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong puts = new AtomicLong();
  private final Object admission = new Object();
  private boolean accepting = true; // guarded by admission

  private final Path dir;
  private final RocksDB db;
  private final ColumnFamilyHandle data;
  private final WriteOptions writeOptions;
  private final RocksStore.Hook hook;
  private final long lingerNanos;
  private final int maxBatchFields;
  private final int maxPendingFields;
  private final Thread thread;
  private long batchNumber; // writer thread only

  /** A writer into {@code data} of {@code db}, its thread started. */
  Writer(
      Path dir,
      RocksDB db,
      ColumnFamilyHandle data,
      WriteOptions writeOptions,
      RocksStore.Hook hook,
      long lingerNanos,
      int maxBatchFields,
      int maxPendingFields) {
    this.dir = dir;
    this.db = db;
    this.data = data;
    this.writeOptions = writeOptions;
    this.hook = hook;
    this.lingerNanos = lingerNanos;
    this.maxBatchFields = maxBatchFields;
    this.maxPendingFields = maxPendingFields;
    this.thread = new Thread(this::run, "jgun-rocks-writer " + dir.getFileName());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues {@code fields} (of {@code n > 0} fields) for the next batch: its future completes with
   * the accepted diff once written as durable as configured. Fails at once, without queueing, when
   * the writer is closed ({@link StoreClosedException}) or the put would take the fields waiting
   * past the cap ({@link StoreOverloadedException}).
   */
  CompletableFuture<Graph> submit(Graph fields, int n) {
    if (n > maxPendingFields) {
      return CompletableFuture.failedFuture(new StoreOverloadedException(
          "store at " + dir + ": a put of " + n + " fields exceeds the write queue cap of "
              + maxPendingFields + " fields"));
    }
    synchronized (admission) {
      if (!accepting) {
        return CompletableFuture.failedFuture(new StoreClosedException("store at " + dir + " is closed"));
      }
      long after = pendingFields.addAndGet(n);
      if (after > maxPendingFields) {
        pendingFields.addAndGet(-n);
        return CompletableFuture.failedFuture(new StoreOverloadedException(
            "store at " + dir + ": write queue full (" + (after - n) + " fields pending, cap "
                + maxPendingFields + "); put of " + n + " fields refused"));
      }
      Request r = new Request(fields, n);
      queue.add(r);
      return r.future;
    }
  }

  /**
   * Stops taking puts, writes every put submitted before (none is lost), and returns once the
   * writer thread has ended. Idempotent; an interrupt does not cut it short (the database must not
   * close under the writer) and is kept for the caller.
   */
  @Override
  public void close() {
    synchronized (admission) {
      if (accepting) {
        accepting = false;
        queue.add(STOP); // last: submit queues nothing after it
      }
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fields submitted and not yet written. */
  long pendingFields() {
    return pendingFields.get();
  }

  /** Batches written (each one {@code WriteBatch}, one fsync under SYNC). */
  long batches() {
    return batches.get();
  }

  /** Puts completed. */
  long puts() {
    return puts.get();
  }

  private void run() {
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
      long deadline = System.nanoTime() + lingerNanos;
      while (fields < maxBatchFields) {
        Request r = queue.poll();
        if (r == null && lingerNanos > 0) {
          long left = deadline - System.nanoTime();
          if (left > 0) {
            try {
              r = queue.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
              r = null;
            }
          }
        }
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
    // After STOP nothing is queued: close stops accepting and queues STOP under the lock submit takes.
  }

  /** Decides and writes one batch, then completes (or fails) its futures. */
  private void write(List<Request> batch, int fields) {
    long n = ++batchNumber;
    Throwable failure = null;
    try {
      hook.beforeWrite(n);
      Map<Key, Slot> slots = load(batch);
      try (WriteBatch wb = new WriteBatch()) {
        for (Request r : batch) {
          r.accepted = decide(r.graph, slots, wb);
        }
        if (wb.count() > 0) {
          db.write(writeOptions, wb);
        }
      }
    } catch (RocksDBException e) {
      failure = StoreErrors.failure(dir, "write of batch " + n, e);
    } catch (StoreException e) {
      failure = e;
    } catch (Exception | Error e) {
      failure = new StoreException("store at " + dir + ": write of batch " + n + " failed: " + e, e);
    }
    pendingFields.addAndGet(-fields); // settled: room for more, before the futures complete
    batches.incrementAndGet();
    if (failure != null) {
      log.error("batch {} of {} puts ({} fields) failed, none applied: {}",
          n, batch.size(), fields, failure.getMessage());
      for (Request r : batch) {
        r.future.completeExceptionally(failure);
      }
      return;
    }
    puts.addAndGet(batch.size());
    for (Request r : batch) {
      Graph a = r.accepted;
      r.future.complete(a == null ? Graph.empty() : a);
    }
  }

  /** Reads, in one multi-get, the stored fields the batch touches. */
  private Map<Key, Slot> load(List<Request> batch) throws RocksDBException {
    Map<Key, Slot> slots = new LinkedHashMap<>();
    for (Request r : batch) {
      for (Node node : r.graph.nodes().values()) {
        for (String key : node.fields().keySet()) {
          slots.computeIfAbsent(new Key(node.soul(), key), k -> new Slot(KeyCodec.fieldKey(k.soul, k.key)));
        }
      }
    }
    List<Slot> order = new ArrayList<>(slots.values());
    List<byte[]> keys = new ArrayList<>(order.size());
    List<ColumnFamilyHandle> families = new ArrayList<>(order.size());
    for (Slot s : order) {
      keys.add(s.bytes);
      families.add(data);
    }
    List<byte[]> values = db.multiGetAsList(families, keys);
    for (int i = 0; i < order.size(); i++) {
      byte[] v = values.get(i);
      if (v != null) {
        order.get(i).current = StoreErrors.field(dir, order.get(i).bytes, v);
      }
    }
    return slots;
  }

  /** Runs HAM on one put against the slots, updating them and the write batch; the accepted diff. */
  private static Graph decide(Graph incoming, Map<Key, Slot> slots, WriteBatch wb) throws RocksDBException {
    Map<String, Node> accepted = null;
    for (Node node : incoming.nodes().values()) {
      Map<String, Field> took = null;
      int asIs = 0;
      for (Map.Entry<String, Field> e : node.fields().entrySet()) {
        Slot slot = Objects.requireNonNull(slots.get(new Key(node.soul(), e.getKey())), "slots were read for every field of the batch");
        Field in = e.getValue();
        if (Ham.decide(in, slot.current, Double.POSITIVE_INFINITY) != Ham.Decision.ACCEPT) {
          continue;
        }
        Field stored = Double.doubleToRawLongBits(in.state()) == Long.MIN_VALUE ? new Field(in.value(), 0.0) : in;
        slot.current = stored;
        wb.put(slot.bytes, FieldCodec.encode(stored));
        if (took == null) {
          took = new LinkedHashMap<>();
        }
        took.put(e.getKey(), stored);
        if (stored == in) {
          asIs++;
        }
      }
      if (took != null) {
        if (accepted == null) {
          accepted = new LinkedHashMap<>();
        }
        // the common case, a new write taken whole and as is: the diff shares the incoming node
        accepted.put(node.soul(), asIs == node.fields().size() ? node : new Node(node.soul(), took));
      }
    }
    return accepted == null ? Graph.empty() : new Graph(accepted);
  }
}
