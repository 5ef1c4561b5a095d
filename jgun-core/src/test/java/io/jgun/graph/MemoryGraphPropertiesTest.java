package io.jgun.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The laws that make peers converge (docs/protocol.md §2.2): merging with HAM is commutative,
 * associative and idempotent; it never lowers a field; equal states resolve to the greatest JSON
 * text; deferring a future field changes when it lands, not what the graph ends up as.
 *
 * <p>The expected graph comes from a model written independently of {@link Ham}: for each field,
 * the update with the greatest (state, JSON text). Few souls, keys and states are generated so that
 * updates collide often.
 */
class MemoryGraphPropertiesTest {

  private static final double NO_DEFER = Double.POSITIVE_INFINITY;

  private static final Double[] STATES = {
    -0.0, 0.0, 1.0, 2.0, -5.5, 1795520969763.0, 1795520969763.001, 1795520969763.002
  };

  /** One field write: what a put carries for one soul and key. */
  record Update(String soul, String key, Field field) {}

  // ---- generators

  @Provide
  Arbitrary<List<Update>> updates() {
    return update().list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<Update> update() {
    Arbitrary<String> souls = Arbitraries.of("a", "b", "c/d", "~@x");
    Arbitrary<String> keys = Arbitraries.of("x", "y", "#", "1");
    return Combinators.combine(souls, keys, values(), Arbitraries.of(STATES))
        .as((s, k, v, st) -> new Update(s, k, new Field(v, st)));
  }

  @Provide
  Arbitrary<List<Value>> valueLists() {
    return values().list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Value> values() {
    Arbitrary<Value> texts =
        Arbitraries.oneOf(
                List.of(
                    Arbitraries.of(
                        "", "a", "b", "10", "9", "\"", "\\", "\u2028", "\uD83D\uDE00", "\uFFFF",
                        "null", "true"),
                    Arbitraries.strings()
                        .withChars("ab\"\\\u0000\u001f\u007f\u2028\uD83D\uDE00\uFFFF-9{}#\u00e9")
                        .ofMaxLength(5)))
            .map(Value::text);
    Arbitrary<Value> numbers =
        Arbitraries.oneOf(
                List.of(
                    Arbitraries.of(
                        0.0, -0.0, 9.0, 10.0, -1.0, -10.0, 1.5, 1e21, 1e-7, 5e-324,
                        1795520969763.001, Double.MAX_VALUE, -Double.MAX_VALUE),
                    Arbitraries.integers().between(-20, 20).map(i -> (double) i),
                    Arbitraries.doubles().filter(Double::isFinite)))
            .map(Value::number);
    Arbitrary<Value> bools = Arbitraries.of(true, false).map(Value::bool);
    Arbitrary<Value> links = Arbitraries.of("a", "b", "c/d", "~@x", "\"").map(Value::link);
    return Arbitraries.oneOf(List.of(texts, numbers, bools, Arbitraries.just(Value.NULL), links));
  }

  // ---- the model

  /** Whether {@code a} beats {@code b}: a greater state, or the same state and a greater text. */
  private static boolean beats(Field a, Field b) {
    if (a.state() != b.state()) {
      return a.state() > b.state();
    }
    return a.value().json().compareTo(b.value().json()) > 0;
  }

  /** The graph every peer must end with after seeing {@code updates}, in any order. */
  static Graph converge(Collection<Update> updates) {
    Map<String, Map<String, Field>> best = new LinkedHashMap<>();
    for (Update u : updates) {
      Map<String, Field> node = best.computeIfAbsent(u.soul(), s -> new LinkedHashMap<>());
      Field held = node.get(u.key());
      if (held == null || beats(u.field(), held)) {
        node.put(u.key(), u.field());
      }
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    best.forEach(
        (soul, fields) -> {
          Map<String, Field> normalized = new LinkedHashMap<>();
          fields.forEach((k, f) -> normalized.put(k, f.state() == 0 ? new Field(f.value(), 0.0) : f));
          nodes.put(soul, new Node(soul, normalized));
        });
    return new Graph(nodes);
  }

  /** The updates of a graph, in order. */
  static List<Update> updatesOf(Graph g) {
    List<Update> out = new ArrayList<>();
    g.nodes().forEach((soul, n) -> n.fields().forEach((k, f) -> out.add(new Update(soul, k, f))));
    return out;
  }

  /** A single put of the updates; when a field repeats, the first one is kept. */
  static Graph toGraph(List<Update> updates) {
    Map<String, Map<String, Field>> nodes = new LinkedHashMap<>();
    for (Update u : updates) {
      nodes.computeIfAbsent(u.soul(), s -> new LinkedHashMap<>()).putIfAbsent(u.key(), u.field());
    }
    Map<String, Node> m = new LinkedHashMap<>();
    nodes.forEach((soul, fields) -> m.put(soul, new Node(soul, fields)));
    return new Graph(m);
  }

  /**
   * Splits the updates, in order, into puts at random points; a put cannot hold one field twice,
   * so a repeated field always starts a new put.
   */
  static List<Graph> batches(List<Update> updates, Random random) {
    List<Graph> out = new ArrayList<>();
    List<Update> current = new ArrayList<>();
    for (Update u : updates) {
      boolean repeat =
          current.stream().anyMatch(c -> c.soul().equals(u.soul()) && c.key().equals(u.key()));
      if (!current.isEmpty() && (repeat || random.nextInt(4) == 0)) {
        out.add(toGraph(current));
        current = new ArrayList<>();
      }
      current.add(u);
    }
    if (!current.isEmpty()) {
      out.add(toGraph(current));
    }
    return out;
  }

  /** The updates shuffled, with some of them repeated. */
  static List<Update> shuffledWithRepeats(List<Update> updates, Random random) {
    List<Update> out = new ArrayList<>(updates);
    int repeats = updates.isEmpty() ? 0 : random.nextInt(updates.size() + 1);
    for (int i = 0; i < repeats; i++) {
      out.add(updates.get(random.nextInt(updates.size())));
    }
    Collections.shuffle(out, random);
    return out;
  }

  // ---- the laws

  @Property(tries = 500)
  void anyOrderGroupingAndRepetitionGivesTheSameGraph(
      @ForAll("updates") List<Update> updates, @ForAll Random random) {
    Graph expected = converge(updates);
    for (int round = 0; round < 3; round++) {
      MemoryGraph g = new MemoryGraph();
      List<Graph> puts = batches(shuffledWithRepeats(updates, random), random);
      int times = 1 + random.nextInt(3);
      for (int t = 0; t < times; t++) {
        for (Graph put : puts) {
          g.merge(put, NO_DEFER);
        }
      }
      assertThat(g.snapshot()).isEqualTo(expected);
      assertThat(g.fieldCount()).isEqualTo(expected.fieldCount());
      assertThat(g.size()).isEqualTo(expected.nodes().size());
    }
  }

  @Property(tries = 500)
  void mergingAThenBIsMergingOnePutOfBoth(
      @ForAll("updates") List<Update> base,
      @ForAll("updates") List<Update> a,
      @ForAll("updates") List<Update> b) {
    Graph ga = toGraph(a);
    Graph gb = toGraph(b);
    List<Update> both = new ArrayList<>(updatesOf(ga));
    both.addAll(updatesOf(gb));
    Graph union = converge(both); // a put holds one value per field: the winner of the two

    MemoryGraph aThenB = new MemoryGraph();
    aThenB.merge(toGraph(base), NO_DEFER);
    aThenB.merge(ga, NO_DEFER);
    aThenB.merge(gb, NO_DEFER);

    MemoryGraph bThenA = new MemoryGraph();
    bThenA.merge(toGraph(base), NO_DEFER);
    bThenA.merge(gb, NO_DEFER);
    bThenA.merge(ga, NO_DEFER);

    MemoryGraph once = new MemoryGraph();
    once.merge(toGraph(base), NO_DEFER);
    once.merge(union, NO_DEFER);

    assertThat(aThenB.snapshot()).isEqualTo(once.snapshot()).isEqualTo(bThenA.snapshot());
  }

  @Property(tries = 500)
  void aMergeNeverLowersAFieldAndItsDiffIsExactlyWhatChanged(
      @ForAll("updates") List<Update> updates, @ForAll Random random) {
    MemoryGraph g = new MemoryGraph();
    for (Graph put : batches(updates, random)) {
      Graph before = g.snapshot();
      MergeResult r = g.merge(put, NO_DEFER);
      Graph after = g.snapshot();
      assertThat(r.acceptedCount() + r.droppedHistorical() + r.droppedSame())
          .isEqualTo(put.fieldCount());
      for (Update u : updatesOf(after)) {
        Node old = before.node(u.soul());
        Field was = old == null ? null : old.field(u.key());
        Node diff = r.accepted().node(u.soul());
        Field changed = diff == null ? null : diff.field(u.key());
        if (changed == null) {
          assertThat(u.field()).as("unchanged %s.%s", u.soul(), u.key()).isEqualTo(was);
        } else {
          assertThat(u.field()).isEqualTo(changed);
          if (was != null) {
            assertThat(beats(changed, was)).as("%s beats %s", changed, was).isTrue();
          }
        }
      }
      for (Update u : updatesOf(before)) {
        assertThat(g.state(u.soul(), u.key())).isGreaterThanOrEqualTo(u.field().state());
      }
    }
  }

  @Property(tries = 300)
  void equalStatesResolveToTheGreatestJsonText(
      @ForAll("valueLists") List<Value> values, @ForAll Random random) {
    List<Value> order = new ArrayList<>(values);
    Collections.shuffle(order, random);
    MemoryGraph g = new MemoryGraph();
    for (Value v : order) {
      g.merge(Graph.of(Node.builder("s").put("k", v, 7).build()), NO_DEFER);
    }
    String max = values.stream().map(Value::json).max(String::compareTo).orElseThrow();
    assertThat(g.field("s", "k").value().json()).isEqualTo(max);
    assertThat(g.state("s", "k")).isEqualTo(7.0);
  }

  @Property(tries = 500)
  void diffsReplicateTheGraphAndMergingAgainIsANoOp(
      @ForAll("updates") List<Update> updates, @ForAll Random random) {
    MemoryGraph g = new MemoryGraph();
    MemoryGraph replica = new MemoryGraph();
    for (Graph put : batches(updates, random)) {
      MergeResult r = g.merge(put, NO_DEFER);
      replica.merge(r.accepted(), NO_DEFER);
      MergeResult again = g.merge(put, NO_DEFER);
      assertThat(again.anyAccepted()).isFalse();
    }
    assertThat(replica.snapshot()).isEqualTo(g.snapshot());
    MergeResult self = g.merge(g.snapshot(), NO_DEFER);
    assertThat(self.anyAccepted()).isFalse();
    assertThat(self.droppedSame()).isEqualTo(g.fieldCount());
  }

  @Property(tries = 500)
  void deferringFutureFieldsChangesWhenTheyLandNotWhereTheGraphEnds(
      @ForAll("updates") List<Update> updates, @ForAll Random random) {
    MemoryGraph g = new MemoryGraph(new Deferrals(Integer.MAX_VALUE, Double.POSITIVE_INFINITY));
    MemoryGraph replica = new MemoryGraph();
    for (Graph put : batches(shuffledWithRepeats(updates, random), random)) {
      double now = STATES[random.nextInt(STATES.length)] + (random.nextBoolean() ? 0 : 0.5);
      MergeResult r = g.merge(put, now);
      assertThat(r.refused()).isEmpty();
      for (Update u : updatesOf(r.accepted())) {
        assertThat(u.field().state()).isLessThanOrEqualTo(now);
      }
      assertThat(r.deferred()).allSatisfy(d -> assertThat(d.field().state()).isGreaterThan(now));
      replica.merge(r.accepted(), NO_DEFER);
      if (random.nextBoolean()) {
        double later = STATES[random.nextInt(STATES.length)];
        MergeResult due = g.applyDue(later);
        for (Update u : updatesOf(due.accepted())) {
          assertThat(u.field().state()).isLessThanOrEqualTo(later);
        }
        replica.merge(due.accepted(), NO_DEFER);
      }
    }
    replica.merge(g.applyDue(Double.POSITIVE_INFINITY).accepted(), NO_DEFER);
    assertThat(g.deferrals().isEmpty()).isTrue();
    assertThat(g.nextDue()).isEqualTo(Double.POSITIVE_INFINITY);
    Graph expected = converge(updates);
    assertThat(g.snapshot()).isEqualTo(expected);
    assertThat(replica.snapshot()).isEqualTo(expected);
  }
}
