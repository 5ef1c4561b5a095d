package io.jgun.store;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Store} in memory, in sorted maps: for tests and ephemeral peers. Every operation runs on
 * the caller's thread under a read-write lock and its future is complete on return; {@link
 * Durability} is {@link Durability#NONE} by nature. Bounded: a put that would take the store past
 * {@link #maxFields()} fields fails with {@link StoreFullException} and applies nothing.
 *
 * <p>A relay or client without storage does not use it: it serves from {@code
 * io.jgun.engine.MemoryGraphEngine}, whose javadoc says why the two in-memory graphs stay apart.
 */
public final class MemoryStore implements Store {

  /** The default cap on stored fields. */
  public static final long DEFAULT_MAX_FIELDS = 10_000_000;

  /** Called before each put is applied, with its 1-based number; a test hook to inject faults. */
  @FunctionalInterface
  interface Hook {
    void beforeWrite(long batch) throws Exception;
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  // Guarded by lock.
  private final TreeMap<String, TreeMap<String, Field>> souls = new TreeMap<>();
  private final long maxFields;
  private final Hook hook;
  private long fieldCount;
  private final AtomicLong batches = new AtomicLong();
  private volatile boolean closed;

  /** An empty store holding at most {@link #DEFAULT_MAX_FIELDS} fields. */
  public MemoryStore() {
    this(DEFAULT_MAX_FIELDS);
  }

  /** An empty store holding at most {@code maxFields} fields. */
  public MemoryStore(long maxFields) {
    this(maxFields, b -> {});
  }

  MemoryStore(long maxFields, Hook hook) {
    if (maxFields < 0) {
      throw new IllegalArgumentException("maxFields must be >= 0: " + maxFields);
    }
    this.maxFields = maxFields;
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /** The cap on stored fields. */
  public long maxFields() {
    return maxFields;
  }

  /** How many fields are stored. */
  public long fieldCount() {
    lock.readLock().lock();
    try {
      return fieldCount;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public CompletableFuture<Graph> put(Graph fields) {
    Objects.requireNonNull(fields, "fields");
    try {
      return CompletableFuture.completedFuture(putNow(fields));
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Graph putNow(Graph incoming) {
    checkOpen();
    long batch = batches.incrementAndGet();
    try {
      hook.beforeWrite(batch); // outside the lock, so that a test can hold a write and still read
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("memory store: write " + batch + " interrupted", e);
    } catch (Exception e) {
      throw new StoreException("memory store: write " + batch + " failed: " + e.getMessage(), e);
    }
    lock.writeLock().lock();
    try {
      checkOpen();
      // Decide first, apply after: a refused put applies nothing. A graph holds each (soul, key)
      // once, so the decisions of one put do not depend on each other.
      Map<String, Node> accepted = new LinkedHashMap<>();
      long added = 0;
      for (Node node : incoming.nodes().values()) {
        TreeMap<String, Field> held = souls.get(node.soul());
        Map<String, Field> took = null;
        for (Map.Entry<String, Field> e : node.fields().entrySet()) {
          Field current = held == null ? null : held.get(e.getKey());
          if (Ham.decide(e.getValue(), current, Double.POSITIVE_INFINITY) == Ham.Decision.ACCEPT) {
            if (took == null) {
              took = new LinkedHashMap<>();
            }
            took.put(e.getKey(), e.getValue().stored());
            if (current == null) {
              added++;
            }
          }
        }
        if (took != null) {
          accepted.put(node.soul(), took.size() == node.fields().size() && sameAs(took, node)
              ? node : new Node(node.soul(), took));
        }
      }
      if (added > maxFields - fieldCount) {
        throw new StoreFullException("memory store: put of " + added + " new fields would exceed the cap of "
            + maxFields + " fields (" + fieldCount + " stored)");
      }
      for (Node node : accepted.values()) {
        souls.computeIfAbsent(node.soul(), s -> new TreeMap<>()).putAll(node.fields());
      }
      fieldCount += added;
      return accepted.isEmpty() ? Graph.empty() : new Graph(accepted);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static boolean sameAs(Map<String, Field> took, Node node) {
    for (Map.Entry<String, Field> e : took.entrySet()) {
      if (e.getValue() != node.fields().get(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Node nodeNow(String soul) {
    Objects.requireNonNull(soul, "soul");
    lock.readLock().lock();
    try {
      checkOpen();
      TreeMap<String, Field> held = souls.get(soul);
      return held == null ? Node.empty(soul) : new Node(soul, held);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public @Nullable Field fieldNow(String soul, String key) {
    Objects.requireNonNull(soul, "soul");
    Objects.requireNonNull(key, "key");
    lock.readLock().lock();
    try {
      checkOpen();
      TreeMap<String, Field> held = souls.get(soul);
      return held == null ? null : held.get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Page keysNow(String soul, Lex key, Limit limit) {
    Objects.requireNonNull(soul, "soul");
    Objects.requireNonNull(limit, "limit");
    LexBounds bounds = LexBounds.of(key);
    lock.readLock().lock();
    try {
      checkOpen();
      TreeMap<String, Field> held = souls.get(soul);
      if (held == null || bounds == null) {
        return Page.EMPTY;
      }
      PageBuilder page = new PageBuilder(limit);
      page.startNode(soul);
      for (Map.Entry<String, Field> e : range(held, bounds, key.reverse()).entrySet()) {
        if (key.matches(e.getKey()) && !page.offerKey(e.getKey(), e.getValue())) {
          break;
        }
      }
      return page.build();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Page soulsNow(Lex soul, Limit limit) {
    Objects.requireNonNull(limit, "limit");
    LexBounds bounds = LexBounds.of(soul);
    if (bounds == null) {
      return Page.EMPTY;
    }
    lock.readLock().lock();
    try {
      checkOpen();
      PageBuilder page = new PageBuilder(limit);
      scan:
      for (Map.Entry<String, TreeMap<String, Field>> n : range(souls, bounds, soul.reverse()).entrySet()) {
        if (!soul.matches(n.getKey())) {
          continue;
        }
        if (!page.startNode(n.getKey())) {
          break;
        }
        for (Map.Entry<String, Field> f : n.getValue().entrySet()) {
          if (!page.offerField(f.getKey(), f.getValue())) {
            break scan;
          }
        }
      }
      return page.build();
    } finally {
      lock.readLock().unlock();
    }
  }

  private static <V> NavigableMap<String, V> range(TreeMap<String, V> m, LexBounds b, boolean reverse) {
    NavigableMap<String, V> r = m;
    if (b.lower() != null) {
      r = r.tailMap(b.lower(), true);
    }
    if (b.upper() != null) {
      r = r.headMap(b.upper(), b.upperInclusive());
    }
    return reverse ? r.descendingMap() : r;
  }

  @Override
  public CompletableFuture<Node> node(String soul) {
    return now(() -> nodeNow(soul));
  }

  @Override
  public CompletableFuture<@Nullable Field> field(String soul, String key) {
    return now(() -> fieldNow(soul, key));
  }

  @Override
  public CompletableFuture<Page> keys(String soul, Lex key, Limit limit) {
    return now(() -> keysNow(soul, key, limit));
  }

  @Override
  public CompletableFuture<Page> souls(Lex soul, Limit limit) {
    return now(() -> soulsNow(soul, limit));
  }

  private static <T> CompletableFuture<T> now(Supplier<T> read) {
    try {
      return CompletableFuture.completedFuture(read.get());
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Every stored node, in soul order (for tests and exports). */
  public List<Node> snapshot() {
    lock.readLock().lock();
    try {
      List<Node> out = new ArrayList<>(souls.size());
      souls.forEach((s, f) -> out.add(new Node(s, f)));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreClosedException("memory store is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
