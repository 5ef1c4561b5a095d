package io.jgun.store;

import static io.jgun.store.StoreModel.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link Store} must do, run against each implementation by a subclass: HAM with the
 * equal-state tie-break, reads by node, field, key and soul ranges with the {@code %} budget, the
 * durability future, seeded random operations checked against {@link StoreModel}, a failure injected
 * at the Nth batch for every N, and (for persistent stores) reopening.
 */
public abstract class StoreContract {

  /** A fresh, empty store whose batch writes go through {@code hook}. */
  protected abstract Store open(BatchHook hook) throws Exception;

  /** Whether {@link #reopen()} is supported. */
  protected boolean persistent() {
    return false;
  }

  /** Opens again the data of the store last opened by {@link #open}, which the test has closed. */
  protected Store reopen() throws Exception {
    throw new UnsupportedOperationException();
  }

  private final List<Store> opened = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  protected final Store open() throws Exception {
    return track(open(BatchHook.NONE));
  }

  private Store track(Store s) {
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeAll() throws InterruptedException {
    opened.forEach(Store::close);
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  static final double T = 1_795_520_969_763.0;

  static Graph put(String soul, String key, Value v, double state) {
    return Graph.of(Node.builder(soul).put(key, v, state).build());
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  /** Every stored field, in soul and key order. */
  static List<Node> dump(Store s) {
    Page p = s.soulsNow(Lex.range("", null), Limit.fields(Integer.MAX_VALUE));
    assertThat(p.more()).isFalse();
    return new ArrayList<>(p.graph().nodes().values());
  }

  // ---- HAM

  @Test
  void newerStateWinsAndOlderIsDropped() throws Exception {
    Store s = open();
    assertThat(get(s.put(put("a", "x", Value.text("one"), T)))).isEqualTo(put("a", "x", Value.text("one"), T));
    assertThat(get(s.put(put("a", "x", Value.text("two"), T + 1)))).isEqualTo(put("a", "x", Value.text("two"), T + 1));
    assertThat(get(s.put(put("a", "x", Value.text("old"), T)))).isEqualTo(Graph.empty());
    assertThat(s.fieldNow("a", "x")).isEqualTo(new Field(Value.text("two"), T + 1));
  }

  @Test
  void equalStatesResolveToTheGreatestJsonText() throws Exception {
    // in JSON text order: "… < - < digits < false < null < true < links (docs/protocol.md §8.20)
    List<Value> ascending = List.of(
        Value.text("a"), Value.text("b"), Value.number(-1), Value.number(10), Value.number(9),
        Value.bool(false), Value.NULL, Value.bool(true), Value.link("x"));
    for (int i = 0; i < ascending.size(); i++) {
      for (int j = 0; j < ascending.size(); j++) {
        Store s = open();
        Value held = ascending.get(i);
        Value in = ascending.get(j);
        get(s.put(put("s", "k", held, T)));
        Graph accepted = get(s.put(put("s", "k", in, T)));
        Value expected = j > i ? in : held;
        assertThat(accepted.isEmpty()).as("%s over %s", in, held).isEqualTo(j <= i);
        assertThat(s.fieldNow("s", "k")).as("%s over %s", in, held).isEqualTo(new Field(expected, T));
        s.close();
      }
    }
  }

  @Test
  void theSameFieldAgainIsANoop() throws Exception {
    Store s = open();
    get(s.put(put("a", "n", Value.number(1), T)));
    assertThat(get(s.put(put("a", "n", Value.number(1), T)))).isEqualTo(Graph.empty());
    assertThat(get(s.put(Graph.empty()))).isEqualTo(Graph.empty());
  }

  @Test
  void aMinusZeroStateIsStoredAsZero() throws Exception {
    Store s = open();
    Graph accepted = get(s.put(put("a", "k", Value.text("v"), -0.0)));
    assertThat(Double.doubleToRawLongBits(accepted.node("a").field("k").state())).isZero();
    assertThat(Double.doubleToRawLongBits(s.fieldNow("a", "k").state())).isZero();
    assertThat(get(s.put(put("a", "k", Value.text("v"), 0.0)))).isEqualTo(Graph.empty());
  }

  @Test
  void theAcceptedDiffHoldsOnlyWhatChanged() throws Exception {
    Store s = open();
    get(s.put(Graph.of(Node.builder("a").put("x", Value.number(1), T).put("y", Value.number(1), T).build())));
    Graph in = Graph.of(
        Node.builder("a").put("x", Value.number(2), T + 1).put("y", Value.number(0), T - 1).build(),
        Node.builder("b").put("z", Value.bool(true), T).build());
    Graph accepted = get(s.put(in));
    assertThat(accepted).isEqualTo(Graph.of(
        Node.builder("a").put("x", Value.number(2), T + 1).build(),
        Node.builder("b").put("z", Value.bool(true), T).build()));
  }

  @Test
  void valuesRoundTripExactly() throws Exception {
    Store s = open();
    List<Value> values = List.of(
        Value.text(""), Value.text("plain"), Value.text("\u0000\u0001\u00ff\u0800\uffff"),
        Value.text("\uD83D\uDE00 emoji"), Value.text("\uD800 lone"), Value.number(-0.0),
        Value.number(5e-324), Value.number(1e21), Value.number(-1.5), Value.bool(true),
        Value.bool(false), Value.NULL, Value.link("~@alice/\uD83D\uDE00"));
    Node.Builder b = Node.builder("vals");
    for (int i = 0; i < values.size(); i++) {
      b.put("k" + i, values.get(i), T + i / 999.0);
    }
    get(s.put(Graph.of(b.build())));
    Node n = s.nodeNow("vals");
    for (int i = 0; i < values.size(); i++) {
      Field f = n.field("k" + i);
      assertThat(f.value()).isEqualTo(values.get(i));
      assertThat(f.value().json()).isEqualTo(values.get(i).json());
      assertThat(f.state()).isEqualTo(T + i / 999.0);
    }
    Value.Number minusZero = (Value.Number) n.field("k5").value();
    assertThat(Double.doubleToRawLongBits(minusZero.value())).isEqualTo(Long.MIN_VALUE);
  }

  // ---- reads

  @Test
  void readsNodesAndFields() throws Exception {
    Store s = open();
    get(s.put(Graph.of(Node.builder("a").put("y", Value.number(2), T).put("x", Value.number(1), T).build())));
    assertThat(s.nodeNow("a").fields().keySet()).containsExactly("x", "y");
    assertThat(s.nodeNow("nope")).isEqualTo(Node.empty("nope"));
    assertThat(s.fieldNow("a", "x")).isEqualTo(new Field(Value.number(1), T));
    assertThat(s.fieldNow("a", "z")).isNull();
    assertThat(s.fieldNow("b", "x")).isNull();
    assertThat(get(s.node("a"))).isEqualTo(s.nodeNow("a"));
    assertThat(get(s.field("a", "y"))).isEqualTo(new Field(Value.number(2), T));
    assertThat(get(s.field("a", "q"))).isNull();
  }

  private Store keyed() throws Exception {
    Store s = open();
    Node.Builder b = Node.builder("n");
    for (String k : List.of("a", "ab", "abc", "b", "ba", "c", "\uD83D\uDE00", "\uE000", "\uFFFF", "")) {
      b.put(k, Value.text(k.isEmpty() ? "empty" : k), T);
    }
    get(s.put(Graph.of(b.build())));
    get(s.put(put("other", "a", Value.text("x"), T)));
    return s;
  }

  private static List<String> keysOf(Page p) {
    List<String> out = new ArrayList<>();
    p.graph().nodes().values().forEach(n -> out.addAll(n.fields().keySet()));
    return out;
  }

  @Test
  void keyReadsByExactPrefixAndRange() throws Exception {
    Store s = keyed();
    Limit all = Limit.fields(100);
    assertThat(keysOf(s.keysNow("n", Lex.exact("ab"), all))).containsExactly("ab");
    assertThat(keysOf(s.keysNow("n", Lex.exact("zz"), all))).isEmpty();
    assertThat(keysOf(s.keysNow("n", Lex.prefix("a"), all))).containsExactly("a", "ab", "abc");
    assertThat(keysOf(s.keysNow("n", Lex.range("ab", "b"), all))).containsExactly("ab", "abc", "b");
    assertThat(keysOf(s.keysNow("n", Lex.range("b", null), all)))
        .containsExactly("b", "ba", "c", "\uD83D\uDE00", "\uE000", "\uFFFF");
    assertThat(keysOf(s.keysNow("n", Lex.range(null, "ab"), all))).containsExactly("", "a", "ab");
    assertThat(keysOf(s.keysNow("n", Lex.prefix("a").withReverse(true), all))).containsExactly("abc", "ab", "a");
    assertThat(keysOf(s.keysNow("nope", Lex.prefix("a"), all))).isEmpty();
    assertThat(s.keysNow("n", Lex.range(null, null), all)).isEqualTo(Page.EMPTY); // matches nothing
  }

  @Test
  void keyOrderIsUtf16NotCodePointOrder() throws Exception {
    Store s = keyed();
    Limit all = Limit.fields(100);
    // U+1F600 is the pair D83D DE00, which JavaScript sorts before U+E000 (UTF-8 would not)
    assertThat(keysOf(s.keysNow("n", Lex.range("\uD800", "\uFFFF"), all)))
        .containsExactly("\uD83D\uDE00", "\uE000", "\uFFFF");
    assertThat(keysOf(s.keysNow("n", Lex.range("\uD800", "\uDFFF"), all))).containsExactly("\uD83D\uDE00");
    assertThat(keysOf(s.keysNow("n", Lex.prefix("\uD83D"), all))).containsExactly("\uD83D\uDE00");
  }

  @Test
  void keyReadsSpendTheBudget() throws Exception {
    Store s = keyed();
    // no budget left after the first: one field only
    Page one = s.keysNow("n", Lex.prefix("a"), Limit.gun(null));
    assertThat(keysOf(one)).containsExactly("a");
    assertThat(one.more()).isTrue();
    // "a" costs 1, "ab" 2: a budget of 2 takes "a" then "ab" (crossing), then stops
    Page two = s.keysNow("n", Lex.prefix("a"), Limit.budget(2));
    assertThat(keysOf(two)).containsExactly("a", "ab");
    assertThat(two.more()).isTrue();
    Page three = s.keysNow("n", Lex.prefix("a"), Limit.budget(4));
    assertThat(keysOf(three)).containsExactly("a", "ab", "abc");
    assertThat(three.more()).isFalse();
    // the field cap, whatever the budget
    Page capped = s.keysNow("n", Lex.range("", null).withReverse(true), Limit.fields(2));
    assertThat(keysOf(capped)).containsExactly("\uFFFF", "\uE000");
    assertThat(capped.more()).isTrue();
    // the exact key is read whatever the budget
    assertThat(keysOf(s.keysNow("n", Lex.exact("abc"), Limit.budget(0)))).containsExactly("abc");
  }

  @Test
  void soulReadsByPrefixRangeAndReverse() throws Exception {
    Store s = open();
    for (String soul : List.of("user/a", "user/b", "user/c", "users", "zed", "\uD83D\uDE00", "\uE000")) {
      get(s.put(Graph.of(Node.builder(soul).put("n", Value.text(soul), T).put("m", Value.number(1), T).build())));
    }
    Limit all = Limit.fields(100);
    assertThat(s.soulsNow(Lex.prefix("user/"), all).graph().nodes().keySet())
        .containsExactly("user/a", "user/b", "user/c");
    assertThat(s.soulsNow(Lex.prefix("user/").withReverse(true), all).graph().nodes().keySet())
        .containsExactly("user/c", "user/b", "user/a");
    assertThat(s.soulsNow(Lex.range("user/b", "users"), all).graph().nodes().keySet())
        .containsExactly("user/b", "user/c", "users");
    assertThat(s.soulsNow(Lex.range("\uD800", null), all).graph().nodes().keySet())
        .containsExactly("\uD83D\uDE00", "\uE000");
    Node whole = s.soulsNow(Lex.exact("user/b"), all).graph().node("user/b");
    assertThat(whole.fields().keySet()).containsExactly("m", "n");
    // budget before each node: each node costs 9 + 6
    Page p = s.soulsNow(Lex.prefix("user/"), Limit.budget(16));
    assertThat(p.graph().nodes().keySet()).containsExactly("user/a", "user/b");
    assertThat(p.more()).isTrue();
    // the field cap may cut a node
    Page cut = s.soulsNow(Lex.prefix("user/"), Limit.fields(3));
    assertThat(lines(cut)).containsExactly(
        "user/a|m|" + T + "|1", "user/a|n|" + T + "|\"user/a\"", "user/b|m|" + T + "|1", "more=true");
    assertThat(s.soulsNow(Lex.prefix("nobody"), all)).isEqualTo(Page.EMPTY);
    assertThat(get(s.souls(Lex.prefix("user/"), all))).isEqualTo(s.soulsNow(Lex.prefix("user/"), all));
    assertThat(get(s.keys("user/a", Lex.prefix("n"), all))).isEqualTo(s.keysNow("user/a", Lex.prefix("n"), all));
  }

  // ---- durability and concurrency

  @Test
  void theFutureCompletesOnlyOnceTheBatchIsWritten() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Store s = track(open(b -> {
      if (b == 1) {
        entered.countDown();
        release.await();
      }
    }));
    Graph g = put("d", "k", Value.text("v"), T);
    CompletableFuture<Graph> f = CompletableFuture.supplyAsync(() -> s.put(g), pool).thenCompose(x -> x);
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(f).isNotDone();
    assertThat(s.fieldNow("d", "k")).isNull();
    release.countDown();
    assertThat(get(f)).isEqualTo(g);
    assertThat(s.fieldNow("d", "k")).isEqualTo(new Field(Value.text("v"), T));
  }

  @Test
  void concurrentPutsToOneFieldEndAtTheHamMaximum() throws Exception {
    Store s = open();
    int writers = 8;
    int each = 100;
    List<CompletableFuture<List<Field>>> done = new ArrayList<>();
    List<Field> all = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Random r = new Random(w);
      List<Field> mine = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        mine.add(new Field(Value.number(r.nextInt(50)), T + r.nextInt(20)));
      }
      all.addAll(mine);
      done.add(CompletableFuture.supplyAsync(() -> {
        List<CompletableFuture<Graph>> fs = new ArrayList<>();
        for (Field f : mine) {
          fs.add(s.put(Graph.of(Node.builder("hot").put("k", f).build())));
        }
        List<Field> accepted = new ArrayList<>();
        for (CompletableFuture<Graph> f : fs) {
          Graph g = f.join();
          if (!g.isEmpty()) {
            accepted.add(g.node("hot").field("k"));
          }
        }
        return accepted;
      }, pool));
    }
    List<Field> accepted = new ArrayList<>();
    for (CompletableFuture<List<Field>> d : done) {
      accepted.addAll(get(d));
    }
    Field max = all.stream().reduce((a, b) -> StoreModel.wins(b, a) ? b : a).orElseThrow();
    assertThat(s.fieldNow("hot", "k")).isEqualTo(max);
    assertThat(accepted).contains(max);
    // every accepted field beat the ones accepted before it: they form a chain, so are distinct
    accepted.sort(Comparator.comparingDouble(Field::state).thenComparing(f -> f.value().json()));
    for (int i = 1; i < accepted.size(); i++) {
      assertThat(StoreModel.wins(accepted.get(i), accepted.get(i - 1))).isTrue();
    }
  }

  // ---- random operations against the model

  private static final String[] PIECES = {
    "a", "b", "ab", "\u0000", "\u0001", "\u007f", "\u0080", "\u00e9", "\u07ff", "\u0800",
    "\uD83D", "\uDE00", "\uD83D\uDE00", "\uE000", "\uFFFF", "~", "/"
  };

  public static String str(Random r, int maxPieces) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(maxPieces + 1);
    for (int i = 0; i < n; i++) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  public static String soul(Random r) {
    String s = str(r, 2);
    return s.isEmpty() ? "s" : s;
  }

  public static String key(Random r) {
    String k = str(r, 2);
    return k.equals("_") ? "u" : k;
  }

  static Value value(Random r) {
    switch (r.nextInt(6)) {
      case 0: return Value.text(str(r, 3));
      case 1: return Value.number(r.nextInt(12) - 2);
      case 2: return Value.bool(r.nextBoolean());
      case 3: return Value.NULL;
      case 4: return Value.link(soul(r));
      default: return Value.number(r.nextBoolean() ? -0.0 : 0.5);
    }
  }

  public static Graph graph(Random r) {
    List<Node> nodes = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      Node.Builder b = Node.builder(soul(r));
      int f = 1 + r.nextInt(3);
      for (int j = 0; j < f; j++) {
        b.put(key(r), value(r), T + r.nextInt(4) + (r.nextInt(3) == 0 ? -0.5 : 0));
      }
      nodes.add(b.build());
    }
    java.util.Map<String, Node> m = new java.util.LinkedHashMap<>();
    nodes.forEach(x -> m.put(x.soul(), x));
    return new Graph(m);
  }

  static Lex lex(Random r) {
    String eq = r.nextInt(6) == 0 ? str(r, 2) : null;
    String pre = r.nextInt(3) == 0 ? str(r, 1) : null;
    String from = r.nextInt(3) == 0 ? str(r, 2) : null;
    String to = r.nextInt(3) == 0 ? str(r, 2) : null;
    return new Lex(eq, pre, from, to, null, r.nextBoolean());
  }

  static Limit limit(Random r) {
    double[] budgets = {Double.POSITIVE_INFINITY, 1, 3, 10, 30, 0, -1};
    int[] caps = {1, 2, 5, 10_000};
    return new Limit(budgets[r.nextInt(budgets.length)], caps[r.nextInt(caps.length)]);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void randomOperationsMatchTheModel(long seed) throws Exception {
    Random r = new Random(seed);
    Store s = open();
    StoreModel model = new StoreModel();
    for (int step = 0; step < 300; step++) {
      int op = r.nextInt(10);
      if (op < 5) {
        // a burst of puts without waiting: applied in submission order, maybe in one batch
        List<Graph> burst = new ArrayList<>();
        List<CompletableFuture<Graph>> fs = new ArrayList<>();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
          Graph g = graph(r);
          burst.add(g);
          fs.add(s.put(g));
        }
        for (int i = 0; i < n; i++) {
          assertThat(get(fs.get(i))).as("seed %d step %d put %s", seed, step, burst.get(i))
              .isEqualTo(model.apply(burst.get(i)));
        }
      } else if (op == 5) {
        String soul = soul(r);
        assertThat(s.nodeNow(soul)).isEqualTo(model.node(soul));
        String key = key(r);
        assertThat(s.fieldNow(soul, key)).isEqualTo(model.field(soul, key));
      } else if (op < 8) {
        String soul = soul(r);
        Lex l = lex(r);
        Limit lim = limit(r);
        assertThat(lines(s.keysNow(soul, l, lim))).as("seed %d keys %s %s %s", seed, soul, l, lim)
            .isEqualTo(lines(model.keys(soul, l, lim)));
      } else {
        Lex l = lex(r);
        Limit lim = limit(r);
        assertThat(lines(s.soulsNow(l, lim))).as("seed %d souls %s %s", seed, l, lim)
            .isEqualTo(lines(model.souls(l, lim)));
      }
    }
    assertThat(lines(dump(s))).isEqualTo(lines(model.all()));
    if (persistent()) {
      s.close();
      Store again = track(reopen());
      assertThat(lines(dump(again))).isEqualTo(lines(model.all()));
    }
  }

  // ---- faults

  @Test
  void aFailedBatchFailsItsPutAndLeavesTheStoreConsistent() throws Exception {
    Random r = new Random(7);
    List<Graph> puts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      puts.add(graph(r));
    }
    for (int n = 1; n <= puts.size(); n++) {
      Store s = track(open(BatchHook.failing(n)));
      StoreModel model = new StoreModel();
      for (int i = 1; i <= puts.size(); i++) {
        CompletableFuture<Graph> f = s.put(puts.get(i - 1));
        if (i == n) {
          int at = n;
          assertThatThrownBy(() -> get(f)).as("batch %d", at)
              .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
        } else {
          assertThat(get(f)).isEqualTo(model.apply(puts.get(i - 1)));
        }
      }
      assertThat(lines(dump(s))).as("after failing batch %d", n).isEqualTo(lines(model.all()));
      if (persistent()) {
        s.close();
        Store again = track(reopen());
        assertThat(lines(dump(again))).as("reopened after failing batch %d", n).isEqualTo(lines(model.all()));
        again.close();
      }
      s.close();
    }
  }

  // ---- lifecycle

  @Test
  void aClosedStoreRefusesAndCloseIsIdempotent() throws Exception {
    Store s = open();
    get(s.put(put("a", "k", Value.text("v"), T)));
    s.close();
    s.close();
    assertThatThrownBy(() -> get(s.put(put("a", "k", Value.text("w"), T + 1))))
        .hasCauseInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> s.nodeNow("a")).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> get(s.node("a"))).hasCauseInstanceOf(StoreClosedException.class);
  }

  @Test
  void reopeningKeepsEverything() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(persistent(), "not a persistent store");
    Store s = open();
    Random r = new Random(11);
    StoreModel model = new StoreModel();
    for (int i = 0; i < 200; i++) {
      Graph g = graph(r);
      model.apply(g);
      s.put(g);
    }
    s.close(); // writes what was queued
    Store again = track(reopen());
    assertThat(lines(dump(again))).isEqualTo(lines(model.all()));
    Graph g = put("after", "k", Value.text("v"), T);
    assertThat(get(again.put(g))).isEqualTo(g);
  }
}
