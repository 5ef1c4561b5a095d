package io.jgun.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import io.jgun.graph.Value;
import io.jgun.store.Limit;
import io.jgun.store.MemoryStore;
import io.jgun.store.Page;
import io.jgun.store.Store;
import io.jgun.store.StoreContract;
import io.jgun.store.StoreException;
import io.jgun.store.StoreModel;
import io.jgun.store.StoreOverloadedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link StoreGraphEngine}: immediate diffs, durable acks, pending reads, deferrals. */
class StoreGraphEngineTest {
  static final long NOW = 1_795_520_969_763L;
  final AtomicLong millis = new AtomicLong(NOW);
  final StateClock clock = new StateClock(millis::get);

  /** A store whose puts are written only when the test says so. */
  static final class GatedStore extends StoreWrapper {
    final Deque<Object[]> held = new ArrayDeque<>();
    boolean refuse;

    GatedStore() {
      super(new MemoryStore());
    }

    @Override
    public CompletableFuture<Graph> put(Graph fields) {
      if (refuse) {
        return CompletableFuture.failedFuture(new StoreOverloadedException("full"));
      }
      CompletableFuture<Graph> f = new CompletableFuture<>();
      held.add(new Object[] {fields, f});
      return f;
    }

    @SuppressWarnings("unchecked")
    void releaseOne(boolean fail) {
      Object[] h = held.removeFirst();
      CompletableFuture<Graph> f = (CompletableFuture<Graph>) h[1];
      if (fail) {
        f.completeExceptionally(new StoreException("disk on fire"));
      } else {
        f.complete(inner.put((Graph) h[0]).join());
      }
    }
  }

  static Graph put(String soul, String key, Value v, double state) {
    return Graph.of(Node.builder(soul).put(key, v, state).build());
  }

  @Test
  void theDiffIsImmediateAndTheAckWaitsForDurability() {
    GatedStore store = new GatedStore();
    StoreGraphEngine e = new StoreGraphEngine(store, clock, 100);
    GraphEngine.Merge m = e.merge(put("a", "k", Value.text("v"), NOW));
    assertThat(m.accepted()).isEqualTo(put("a", "k", Value.text("v"), NOW));
    assertThat(m.durable()).isNotDone();
    // reads see the pending field; HAM runs against it
    assertThat(e.field("a", "k")).isEqualTo(new Field(Value.text("v"), NOW));
    assertThat(e.read("a", null, null)).isEqualTo(m.accepted());
    assertThat(e.read("a", Lex.prefix("k"), null)).isEqualTo(m.accepted());
    assertThat(e.readSouls(Lex.prefix("a"), null)).isEqualTo(m.accepted());
    assertThat(e.merge(put("a", "k", Value.text("old"), NOW - 1)).accepted().isEmpty()).isTrue();
    assertThat(e.pendingFields()).isEqualTo(1);
    store.releaseOne(false);
    assertThat(m.durable()).isCompleted();
    assertThat(e.pendingFields()).isZero();
    assertThat(e.field("a", "k")).isEqualTo(new Field(Value.text("v"), NOW));
  }

  @Test
  void aFailedWriteFailsTheAckAndIsForgotten() {
    GatedStore store = new GatedStore();
    StoreGraphEngine e = new StoreGraphEngine(store, clock, 100);
    GraphEngine.Merge m = e.merge(put("a", "k", Value.text("v"), NOW));
    store.releaseOne(true);
    assertThatThrownBy(() -> m.durable().join()).hasCauseInstanceOf(StoreException.class);
    assertThat(e.field("a", "k")).isNull();
    store.refuse = true;
    GraphEngine.Merge r = e.merge(put("a", "k", Value.text("v"), NOW));
    assertThatThrownBy(() -> r.durable().join()).hasCauseInstanceOf(StoreOverloadedException.class);
    assertThat(e.pendingFields()).isZero();
  }

  @Test
  void aNewerPendingFieldOutlivesTheSettlingOfAnOlderOne() {
    GatedStore store = new GatedStore();
    StoreGraphEngine e = new StoreGraphEngine(store, clock, 100);
    e.merge(put("a", "k", Value.text("one"), NOW - 2));
    e.merge(put("a", "k", Value.text("two"), NOW - 1));
    store.releaseOne(false);
    assertThat(e.field("a", "k")).isEqualTo(new Field(Value.text("two"), NOW - 1));
    store.releaseOne(false);
    assertThat(e.field("a", "k")).isEqualTo(new Field(Value.text("two"), NOW - 1));
    assertThat(e.pendingFields()).isZero();
  }

  /** A GatedStore whose async reads wait until the test completes them with what it read at once. */
  static final class SlowReadStore extends StoreWrapper {
    final Deque<Runnable> reads = new ArrayDeque<>();
    int fieldReads;

    SlowReadStore(Store inner) {
      super(inner);
    }

    private <T> CompletableFuture<T> later(T readNow) {
      CompletableFuture<T> f = new CompletableFuture<>();
      reads.add(() -> f.complete(readNow));
      return f;
    }

    @Override public @Nullable Field fieldNow(String soul, String key) { fieldReads++; return super.fieldNow(soul, key); }
    @Override public CompletableFuture<Node> node(String soul) { return later(nodeNow(soul)); }
    @Override public CompletableFuture<@Nullable Field> field(String soul, String key) { return later(fieldNow(soul, key)); }
    @Override public CompletableFuture<Page> keys(String soul, Lex key, Limit limit) { return later(keysNow(soul, key, limit)); }
    @Override public CompletableFuture<Page> souls(Lex soul, Limit limit) { return later(soulsNow(soul, limit)); }
  }

  /**
   * The race of an off-loop GET: the store read starts before a pending write is durable, and
   * completes after the write settled (and left the pending map). The answer still holds it.
   */
  @Test
  void anAsyncReadHoldsTheFieldsPendingWhenItWasAsked() {
    GatedStore gated = new GatedStore();
    SlowReadStore store = new SlowReadStore(gated);
    StoreGraphEngine e = new StoreGraphEngine(store, clock, 100);
    e.merge(put("a", "k", Value.text("v"), NOW));
    Graph expected = put("a", "k", Value.text("v"), NOW);
    CompletableFuture<@Nullable Graph> node = e.readAsync("a", null, null);
    CompletableFuture<@Nullable Graph> range = e.readAsync("a", Lex.prefix("k"), null);
    CompletableFuture<@Nullable Graph> souls = e.readSoulsAsync(Lex.prefix("a"), null);
    CompletableFuture<@Nullable Graph> exact = e.readAsync("a", Lex.exact("k"), null);
    assertThat(exact).isCompletedWithValue(expected); // pending: answered at once
    gated.releaseOne(false);
    assertThat(e.pendingFields()).isZero();
    assertThat(node).isNotDone();
    store.reads.forEach(Runnable::run); // complete with what the store held when asked: nothing
    assertThat(node).isCompletedWithValue(expected);
    assertThat(range).isCompletedWithValue(expected);
    assertThat(souls).isCompletedWithValue(expected);
  }

  @Test
  void readsCopyThePendingFieldsWhileTheStoreSettlesThemOnItsOwnThread() throws Exception {
    // A real store completes its writes on its own thread, which drops the settled fields from the
    // pending maps while the loop copies them for a read (found by MeshInteropTest: a GET failed
    // with NoSuchElementException from TreeMap's copy of a map that shrank while it was copied).
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Store store = new StoreWrapper(new MemoryStore()) {
        @Override
        public CompletableFuture<Graph> put(Graph fields) {
          return CompletableFuture.supplyAsync(() -> inner.put(fields).join(), writer);
        }
      };
      StoreGraphEngine e = new StoreGraphEngine(store, clock, 100, 0); // no cache: pending, then the store
      int fields = 64;
      for (int round = 0; round < 3_000; round++) {
        String soul = "s" + (round % 10);
        millis.set(NOW + round); // each round's fields are newer than the last, none in the future
        Node.Builder b = Node.builder(soul);
        for (int k = 0; k < fields; k++) {
          b.put("k" + k, Value.number(round), NOW + round);
        }
        e.merge(Graph.of(b.build()));
        // every read holds all the fields just merged, pending or settled meanwhile
        Graph read = e.read(soul, null, null);
        Graph async = e.readAsync(soul, null, null).get(10, TimeUnit.SECONDS);
        Graph souls = e.readSouls(Lex.prefix(soul), null);
        Graph soulsAsync = e.readSoulsAsync(Lex.prefix(soul), null).get(10, TimeUnit.SECONDS);
        for (Graph g : List.of(read, async, souls, soulsAsync)) {
          Node n = g.node(soul);
          assertThat(n.fields()).hasSize(fields);
          assertThat(n.fields().get("k0")).isEqualTo(new Field(Value.number(round), NOW + round));
        }
      }
    } finally {
      writer.shutdownNow();
    }
  }

  @Test
  void aFieldWrittenOftenIsReadFromTheStoreOnce() {
    SlowReadStore store = new SlowReadStore(new MemoryStore());
    StoreGraphEngine e = new StoreGraphEngine(store, clock, 100);
    for (int i = 0; i < 100; i++) {
      assertThat(e.merge(put("a", "k", Value.number(i), NOW - 1000 + i)).accepted().isEmpty()).isFalse();
    }
    assertThat(store.fieldReads).isEqualTo(1); // the first merge; then each write is cached once durable
    assertThat(e.field("a", "k")).isEqualTo(new Field(Value.number(99), NOW - 901));
    assertThat(e.readAsync("a", Lex.exact("k"), null)).isCompletedWithValue(put("a", "k", Value.number(99), NOW - 901));
    assertThat(store.fieldReads).isEqualTo(1);
    StoreGraphEngine none = new StoreGraphEngine(store, clock, 100, 0);
    none.field("a", "k");
    none.field("a", "k");
    assertThat(store.fieldReads).isEqualTo(3);
  }

  @Test
  void futureFieldsAreDeferredThenWritten() {
    StoreGraphEngine e = new StoreGraphEngine(new MemoryStore(), clock, 100);
    GraphEngine.Merge m = e.merge(put("a", "k", Value.text("later"), NOW + 1000));
    assertThat(m.accepted().isEmpty()).isTrue();
    assertThat(m.deferred()).isEqualTo(1);
    assertThat(e.nextDeferralMillis()).isEqualTo(NOW + 1000);
    assertThat(e.drainDeferred().isEmpty()).isTrue();
    millis.set(NOW + 1000);
    assertThat(e.drainDeferred()).isEqualTo(put("a", "k", Value.text("later"), NOW + 1000));
    assertThat(e.field("a", "k")).isNotNull();
    assertThat(e.nextDeferralMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void whenTheStoreDecidesAMergeReadsNothingAndTheDecisionIsTheStores() {
    GatedStore gated = new GatedStore();
    SlowReadStore store = new SlowReadStore(gated);
    StoreGraphEngine e = StoreGraphEngine.storeDecides(store, clock, 100);
    GraphEngine.Merge first = e.merge(put("a", "k", Value.text("v"), NOW));
    assertThat(first.accepted().isEmpty()).as("nothing decided here").isTrue();
    assertThat(first.decided()).isNotNull().isNotDone();
    // an older write goes to the store as well: the store, not the engine, refuses it
    GraphEngine.Merge older = e.merge(put("a", "k", Value.text("old"), NOW - 1));
    assertThat(store.fieldReads).as("HAM read nothing").isZero();
    gated.releaseOne(false);
    gated.releaseOne(false);
    assertThat(first.decided()).isCompletedWithValue(put("a", "k", Value.text("v"), NOW));
    assertThat(older.decided()).isCompletedWithValue(Graph.empty());
    assertThat(e.field("a", "k")).isEqualTo(new Field(Value.text("v"), NOW));
    // a failed write fails the decision; a future field is still held here until its time
    GraphEngine.Merge failed = e.merge(put("a", "x", Value.text("y"), NOW));
    gated.releaseOne(true);
    assertThatThrownBy(() -> failed.decided().join()).hasCauseInstanceOf(StoreException.class);
    GraphEngine.Merge later = e.merge(put("a", "k", Value.text("later"), NOW + 1000));
    assertThat(later.decided()).isNull();
    assertThat(later.deferred()).isEqualTo(1);
    millis.set(NOW + 1000);
    GraphEngine.Merge due = e.drainDue();
    gated.releaseOne(false);
    assertThat(due.decided()).isCompletedWithValue(put("a", "k", Value.text("later"), NOW + 1000));
  }

  /** Over a store that writes later, the engine answers as the in-memory engine does. */
  @Test
  void answersAsTheMemoryEngineDoes() {
    for (long seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      GatedStore store = new GatedStore();
      // odd seeds: a cache of a few fields, so that eviction runs all the time
      GraphEngine e = new StoreGraphEngine(store, new StateClock(millis::get), 100, seed % 2 == 1 ? 2_000 : 1 << 20);
      GraphEngine ref = new MemoryGraphEngine(new StateClock(millis::get), 100); // same states, own counter
      millis.set(NOW);
      for (int step = 0; step < 200; step++) {
        int op = r.nextInt(10);
        if (op < 5) {
          Graph g = StoreContract.graph(r);
          assertThat(e.merge(g).accepted()).as("seed %d step %d", seed, step).isEqualTo(ref.merge(g).accepted());
        } else if (op < 7) {
          while (!store.held.isEmpty() && r.nextBoolean()) {
            store.releaseOne(false);
          }
          if (r.nextInt(3) == 0) {
            millis.addAndGet(1); // deferred fields come due
            assertThat(e.nextDeferralMillis()).isEqualTo(ref.nextDeferralMillis());
            assertThat(e.drainDeferred()).as("seed %d step %d drain", seed, step).isEqualTo(ref.drainDeferred());
          }
        } else if (op < 9) {
          String soul = StoreContract.soul(r);
          Lex lex = r.nextBoolean() ? null : simpleLex(r);
          Double limit = r.nextBoolean() ? null : List.of(1.0, 5.0, 20.0).get(r.nextInt(3));
          // a whole node: the in-memory engine keeps arrival order, stores key order (as radisk)
          assertThat(lines(e.read(soul, lex, limit), lex == null)).as("seed %d read %s %s %s", seed, soul, lex, limit)
              .isEqualTo(lines(ref.read(soul, lex, limit), lex == null));
          assertThat(lines(e.readAsync(soul, lex, limit).join(), lex == null)).as("seed %d readAsync %s %s %s", seed, soul, lex, limit)
              .isEqualTo(lines(ref.read(soul, lex, limit), lex == null));
          String key = StoreContract.key(r);
          assertThat(e.field(soul, key)).isEqualTo(ref.field(soul, key));
          assertThat(e.readAsync(soul, Lex.exact(key), null).join()).isEqualTo(ref.read(soul, Lex.exact(key), null));
        } else {
          Lex lex = simpleLex(r).withReverse(false);
          Double limit = r.nextBoolean() ? null : List.of(1.0, 5.0, 20.0).get(r.nextInt(3));
          assertThat(lines(e.readSouls(lex, limit), true)).as("seed %d souls %s %s", seed, lex, limit)
              .isEqualTo(lines(ref.readSouls(lex, limit), true));
          assertThat(lines(e.readSoulsAsync(lex, limit).join(), true)).as("seed %d soulsAsync %s %s", seed, lex, limit)
              .isEqualTo(lines(ref.readSouls(lex, limit), true));
        }
      }
    }
  }

  private static Lex simpleLex(Random r) {
    String a = StoreContract.str(r, 1);
    String b = StoreContract.str(r, 2);
    Lex l = r.nextBoolean() ? Lex.prefix(a.isEmpty() ? "a" : a)
        : Lex.range(a.compareTo(b) <= 0 ? a : b, a.compareTo(b) <= 0 ? b : a);
    return l.withReverse(r.nextBoolean());
  }

  /** The graph as lines, souls in order, fields of each node sorted by key when asked. */
  private static List<String> lines(@Nullable Graph g, boolean sortFields) {
    if (g == null || g.isEmpty()) {
      return List.of();
    }
    java.util.Map<String, Node> m = new java.util.LinkedHashMap<>();
    g.nodes().forEach((s, n) -> m.put(s, sortFields ? new Node(s, new java.util.TreeMap<>(n.fields())) : n));
    return StoreModel.lines(new Page(new Graph(m), false));
  }
}
