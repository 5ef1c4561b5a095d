package io.jgun.engine;

import io.jgun.graph.Deferrals;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import io.jgun.store.Limit;
import io.jgun.store.Page;
import io.jgun.store.PageBuilder;
import io.jgun.store.Store;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GraphEngine} over a {@link Store}: what a relay with storage serves from. The graph
 * lives in the store, not in memory; the engine holds only the fields accepted but not yet durable
 * (bounded by the store's write queue), the deferred future fields (bounded by {@link Deferrals})
 * and a cache of recently read or written fields bounded by bytes ({@link FieldCache}), which
 * spares HAM a store read for the fields written often.
 *
 * <p>{@link #merge} decides HAM at once, against the pending fields and the store, so the
 * accepted diff is known immediately (to push to subscribers), and returns with it a future that
 * completes when the store has made that diff durable: the mesh sends its {@code ok} ack then, and
 * an {@code err} ack if it fails. Until then reads see the pending fields. The store decides HAM
 * again when it writes; as every write goes through this engine, in order, it accepts the same
 * fields.
 *
 * <p>GETs ({@link #readAsync}, {@link #readSoulsAsync}) read the store off the loop: the fields
 * pending when the GET is asked are taken with it, so the answer holds every field accepted before
 * it, durable or not.
 *
 * <p>Like every engine it is called from its owner's loop only; the store completes durability and
 * reads on its own threads, which only remove settled fields from the (concurrent) pending map and
 * fill the (synchronized) cache.
 */
public final class StoreGraphEngine implements GraphEngine {
  private static final Logger log = LoggerFactory.getLogger(StoreGraphEngine.class);

  private final Store store;
  private final StateClock clock;
  private final Deferrals deferrals;
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, Field>> pending = new ConcurrentHashMap<>();
  private final FieldCache cache;
  private final boolean storeDecides;

  /** The field cache when none is given: 16 MiB. */
  public static final long DEFAULT_CACHE_BYTES = 16L << 20;

  /** An engine over {@code store}, holding at most {@code maxDeferred} future fields. */
  public StoreGraphEngine(Store store, StateClock clock, int maxDeferred) {
    this(store, clock, maxDeferred, DEFAULT_CACHE_BYTES);
  }

  /**
   * An engine over {@code store}, holding at most {@code maxDeferred} future fields and a field
   * cache of at most {@code cacheBytes} (estimated heap bytes; 0 for none).
   */
  public StoreGraphEngine(Store store, StateClock clock, int maxDeferred, long cacheBytes) {
    this(store, clock, maxDeferred, cacheBytes, false);
  }

  private StoreGraphEngine(Store store, StateClock clock, int maxDeferred, long cacheBytes, boolean storeDecides) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.deferrals = new Deferrals(maxDeferred, Deferrals.DEFAULT_MAX_AHEAD_MILLIS);
    this.cache = new FieldCache(cacheBytes);
    this.storeDecides = storeDecides;
  }

  /**
   * An engine over a store that several writers share and that decides HAM itself as it writes
   * (PostgreSQL's upsert): the engine holds back only future fields and hands every other incoming
   * field to the store, which accepts or refuses it against what is stored then, whoever wrote it.
   * {@link #merge} therefore reads nothing: its {@link Merge#decided} completes with the store's
   * accepted diff once written, and the caller acks and pushes then. There is no field cache and
   * no pending overlay: a field is read from the store, where another writer's committed write is
   * already visible.
   */
  public static StoreGraphEngine storeDecides(Store store, StateClock clock, int maxDeferred) {
    return new StoreGraphEngine(store, clock, maxDeferred, 0, true);
  }

  /** Reads of a field answered from the field cache (for the status page's hit rate). */
  public long cacheHits() {
    return cache.hits();
  }

  /** Reads of a field that was not in the field cache (for the status page's hit rate). */
  public long cacheMisses() {
    return cache.misses();
  }

  /** Merges with HAM now; see {@link GraphEngine.Merge}. */
  @Override
  public Merge merge(Graph incoming) {
    return merge(incoming, clock.next());
  }

  private Merge merge(Graph incoming, double now) {
    Map<String, Node> accepted = new LinkedHashMap<>();
    int deferred = 0;
    int refused = 0;
    for (Node node : incoming.nodes().values()) {
      Map<String, Field> took = null;
      for (Map.Entry<String, Field> e : node.fields().entrySet()) {
        Field in = e.getValue();
        // the store decides against what is stored when it writes; here only the time matters
        Field current = storeDecides ? null : field(node.soul(), e.getKey());
        switch (Ham.decide(in, current, now)) {
          case ACCEPT:
            if (took == null) {
              took = new LinkedHashMap<>();
            }
            took.put(e.getKey(), in.stored());
            break;
          case DEFER:
            if (deferrals.offer(node.soul(), e.getKey(), in, now).refused()) {
              refused++;
            } else {
              deferred++;
            }
            break;
          default:
            break;
        }
      }
      if (took != null) {
        accepted.put(node.soul(), new Node(node.soul(), took));
      }
    }
    if (accepted.isEmpty()) {
      return new Merge(Graph.empty(), deferred, refused, Merge.DONE);
    }
    Graph diff = new Graph(accepted);
    if (storeDecides) {
      return new Merge(Graph.empty(), deferred, refused, Merge.DONE, store.put(diff));
    }
    return new Merge(diff, deferred, refused, write(diff));
  }

  /** Hands the diff to the store and holds it as pending until durable. */
  private CompletableFuture<Void> write(Graph diff) {
    CompletableFuture<Graph> put = store.put(diff);
    if (put.isCompletedExceptionally()) {
      return put.thenApply(g -> null); // refused at once (queue full, closed): nothing is pending
    }
    for (Node n : diff.nodes().values()) {
      // Added inside compute: settle (on the store's thread) may empty the soul's map and drop it
      // at the same time, and fields put into a map already dropped would be invisible to reads.
      pending.compute(n.soul(), (s, m) -> {
        ConcurrentSkipListMap<String, Field> held = m != null ? m : new ConcurrentSkipListMap<>();
        held.putAll(n.fields());
        return held;
      });
    }
    return put.handle((g, e) -> {
      if (e == null) {
        remember(diff); // durable now: cache before the pending fields go
      }
      settle(diff);
      if (e != null) {
        log.error("store refused or failed a write of {} fields: {}", diff.fieldCount(), e.getMessage());
        throw e instanceof java.util.concurrent.CompletionException
            ? (java.util.concurrent.CompletionException) e
            : new java.util.concurrent.CompletionException(e);
      }
      return null;
    });
  }

  private void remember(Graph durable) {
    for (Node n : durable.nodes().values()) {
      n.fields().forEach((k, f) -> cache.offer(n.soul(), k, f));
    }
  }

  /** Drops the settled fields from the pending map, unless a newer pending field replaced them. */
  private void settle(Graph diff) {
    for (Node n : diff.nodes().values()) {
      pending.computeIfPresent(n.soul(), (s, m) -> {
        n.fields().forEach(m::remove);
        return m.isEmpty() ? null : m;
      });
    }
  }

  /** How many accepted fields are not yet durable. */
  public int pendingFields() {
    int n = 0;
    for (ConcurrentSkipListMap<String, Field> m : pending.values()) {
      n += m.size();
    }
    return n;
  }

  @Override
  public @Nullable Field field(String soul, String key) {
    Map<String, Field> p = pending.get(soul);
    Field f = p == null ? null : p.get(key);
    if (f != null) {
      return f;
    }
    f = cache.get(soul, key);
    if (f != null) {
      return f;
    }
    f = store.fieldNow(soul, key);
    if (f != null) {
      cache.offer(soul, key, f);
    }
    return f;
  }

  @Override
  public @Nullable Graph read(String soul, @Nullable Lex key, @Nullable Double limit) {
    if (key != null && key.isExact()) {
      Field f = field(soul, Objects.requireNonNull(key.eq()));
      return f == null ? null : Graph.of(Node.builder(soul).put(key.eq(), f).build());
    }
    Map<String, Field> p = pendingOf(soul);
    if (key == null) {
      return nodeGraph(withPending(store.nodeNow(soul), p));
    }
    Limit lim = Limit.complete(limit != null ? limit : key.limit());
    return keysWithPending(soul, key, lim, store.keysNow(soul, key, lim), p);
  }

  @Override
  public CompletableFuture<@Nullable Graph> readAsync(String soul, @Nullable Lex key, @Nullable Double limit) {
    // The pending fields are taken now, on the loop: any field accepted before this GET is either
    // among them or was durable before the store read below starts.
    if (key != null && key.isExact()) {
      String k = Objects.requireNonNull(key.eq());
      Map<String, Field> held = pending.get(soul);
      Field f = held != null ? held.get(k) : null;
      if (f == null) {
        f = cache.get(soul, k);
      }
      if (f != null) {
        return CompletableFuture.completedFuture(Graph.of(Node.builder(soul).put(k, f).build()));
      }
      return store.field(soul, k).thenApply(stored -> {
        if (stored == null) {
          return null;
        }
        cache.offer(soul, k, stored);
        return Graph.of(Node.builder(soul).put(k, stored).build());
      });
    }
    Map<String, Field> p = pendingOf(soul);
    if (key == null) {
      return store.node(soul).thenApply(n -> nodeGraph(withPending(n, p)));
    }
    Limit lim = Limit.complete(limit != null ? limit : key.limit());
    return store.keys(soul, key, lim).thenApply(page -> keysWithPending(soul, key, lim, page, p));
  }

  /** A copy of the pending fields of {@code soul}, or null when there are none. */
  private @Nullable Map<String, Field> pendingOf(String soul) {
    ConcurrentSkipListMap<String, Field> p = pending.get(soul);
    return p == null ? null : copy(p);
  }

  /**
   * A copy of a pending map that the store's thread may shrink meanwhile (settle), or null when it
   * holds nothing: walked once by its weakly consistent iterator. Not {@code new TreeMap<>(p)}:
   * that takes the size first and then expects as many entries, and fails when a field settles in
   * between.
   */
  private static @Nullable TreeMap<String, Field> copy(ConcurrentSkipListMap<String, Field> p) {
    TreeMap<String, Field> c = new TreeMap<>();
    p.forEach(c::put);
    return c.isEmpty() ? null : c;
  }

  private static @Nullable Graph nodeGraph(Node n) {
    return n.fields().isEmpty() ? null : Graph.of(n);
  }

  /** A stored page of keys with the pending fields merged in scan order, the limit spent again. */
  private static @Nullable Graph keysWithPending(String soul, Lex key, Limit lim, Page page, @Nullable Map<String, Field> p) {
    if (p == null) {
      return page.isEmpty() ? null : page.graph();
    }
    Node stored = page.graph().node(soul);
    NavigableMap<String, Field> merged = new TreeMap<>(key.reverse() ? Comparator.<String>reverseOrder() : Comparator.<String>naturalOrder());
    if (stored != null) {
      merged.putAll(stored.fields());
    }
    String last = stored == null ? null : lastKey(stored);
    p.forEach((k, f) -> {
      if (key.matches(k)) {
        merged.put(k, f);
      }
    });
    PageBuilder b = new PageBuilder(lim);
    b.startNode(soul);
    for (Map.Entry<String, Field> e : merged.entrySet()) {
      if (page.more() && last != null && merged.comparator().compare(e.getKey(), last) > 0) {
        break; // beyond what the store read: unknown stored keys may lie in between
      }
      if (!b.offerKey(e.getKey(), e.getValue())) {
        break;
      }
    }
    Page out = b.build();
    return out.isEmpty() ? null : out.graph();
  }

  @Override
  public @Nullable Graph readSouls(Lex soul, @Nullable Double limit) {
    Limit lim = Limit.complete(limit != null ? limit : soul.limit());
    // The pending fields first, then the store: a field that settles in between is in the store.
    Map<String, Map<String, Field>> extra = pendingMatching(soul);
    return soulsWithPending(soul, lim, store.soulsNow(soul, lim), extra);
  }

  @Override
  public CompletableFuture<@Nullable Graph> readSoulsAsync(Lex soul, @Nullable Double limit) {
    Limit lim = Limit.complete(limit != null ? limit : soul.limit());
    Map<String, Map<String, Field>> extra = pendingMatching(soul); // taken now, as in readAsync
    return store.souls(soul, lim).thenApply(page -> soulsWithPending(soul, lim, page, extra));
  }

  /** Copies of the pending fields of the souls that match {@code soul}. */
  private Map<String, Map<String, Field>> pendingMatching(Lex soul) {
    Map<String, Map<String, Field>> extra = new LinkedHashMap<>();
    pending.forEach((s, m) -> {
      TreeMap<String, Field> c = soul.matches(s) ? copy(m) : null;
      if (c != null) {
        extra.put(s, c);
      }
    });
    return extra;
  }

  /**
   * A stored page of nodes with the pending fields merged in, the limit spent again. Runs on the
   * loop or a store thread: it reads the store only with the {@code …Now} calls.
   */
  private @Nullable Graph soulsWithPending(Lex soul, Limit lim, Page page, Map<String, Map<String, Field>> extra) {
    if (extra.isEmpty()) {
      return page.isEmpty() ? null : page.graph();
    }
    Comparator<String> order = soul.reverse() ? Comparator.reverseOrder() : Comparator.naturalOrder();
    NavigableMap<String, Node> merged = new TreeMap<>(order);
    page.graph().nodes().forEach((s, n) -> merged.put(s, withPending(n, extra.get(s))));
    String last = page.graph().isEmpty() ? null : lastSoul(page.graph());
    extra.forEach((s, p) -> {
      if (!merged.containsKey(s) && !(page.more() && last != null && order.compare(s, last) > 0)) {
        merged.put(s, withPending(store.nodeNow(s), p));
      }
    });
    PageBuilder b = new PageBuilder(lim);
    scan:
    for (Node n : merged.values()) {
      if (n.fields().isEmpty()) {
        continue;
      }
      if (!b.startNode(n.soul())) {
        break;
      }
      for (Map.Entry<String, Field> e : n.fields().entrySet()) {
        if (!b.offerField(e.getKey(), e.getValue())) {
          break scan;
        }
      }
    }
    Page out = b.build();
    return out.isEmpty() ? null : out.graph();
  }

  private static Node withPending(Node stored, @Nullable Map<String, Field> p) {
    if (p == null || p.isEmpty()) {
      return stored;
    }
    TreeMap<String, Field> all = new TreeMap<>(stored.fields());
    all.putAll(p);
    return new Node(stored.soul(), all);
  }

  private static String lastKey(Node n) {
    String last = null;
    for (String k : n.fields().keySet()) {
      last = k;
    }
    return Objects.requireNonNull(last);
  }

  private static String lastSoul(Graph g) {
    String last = null;
    for (String s : g.nodes().keySet()) {
      last = s;
    }
    return Objects.requireNonNull(last);
  }

  @Override
  public long nextDeferralMillis() {
    double due = deferrals.nextDue();
    return Double.isInfinite(due) ? Long.MAX_VALUE : (long) Math.ceil(due);
  }

  @Override
  public Graph drainDeferred() {
    return drainDue().accepted();
  }

  /** Decides again on the deferred fields now due; the accepted ones are written like a merge. */
  @Override
  public Merge drainDue() {
    double now = clock.next();
    List<Deferrals.Entry> due = deferrals.drainDue(now);
    if (due.isEmpty()) {
      return new Merge(Graph.empty(), 0, 0, Merge.DONE);
    }
    // re-offer as one incoming graph; a field deferred twice for one key keeps the HAM winner
    Map<String, Map<String, Field>> bySoul = new LinkedHashMap<>();
    for (Deferrals.Entry d : due) {
      Map<String, Field> m = bySoul.computeIfAbsent(d.soul(), s -> new LinkedHashMap<>());
      Field held = m.get(d.key());
      if (held == null || Ham.decide(d.field(), held, Double.POSITIVE_INFINITY) == Ham.Decision.ACCEPT) {
        m.put(d.key(), d.field());
      }
    }
    Map<String, Node> g = new LinkedHashMap<>();
    bySoul.forEach((s, m) -> g.put(s, new Node(s, m)));
    return merge(new Graph(g), now);
  }
}
