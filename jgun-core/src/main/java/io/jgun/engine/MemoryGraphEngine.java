package io.jgun.engine;

import io.jgun.graph.Deferrals;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.MemoryGraph;
import io.jgun.graph.MergeResult;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GraphEngine} over an in-memory {@link MemoryGraph}: what a relay without storage (or
 * an ephemeral peer) serves from. Lex reads answer every match within the {@code %} budget (Gun.js
 * answers only the first match of a lex GET without {@code %}: jgun keeps the wire shape and gives
 * the complete answer, up to {@link Lex#MAX_BUDGET}).
 *
 * <p>Why not a {@link StoreGraphEngine} over a {@link io.jgun.store.MemoryStore}, the other
 * in-memory graph: that pair decides HAM twice per field (the engine, then the store), takes the
 * store's lock on every read, copies pending fields for every GET and keeps a second copy of hot
 * fields in its cache, all to bridge a store's asynchronous durability that memory does not have;
 * and a {@code MemoryStore} is capped ({@link io.jgun.store.MemoryStore#DEFAULT_MAX_FIELDS}, then
 * puts fail) where this graph is bounded only by the heap. Swapping one for the other would change
 * the relay's and the client's throughput and their behaviour past ten million fields. {@code
 * MemoryStore} stays for what it is: a {@link io.jgun.store.Store} without a disk, for code written
 * against the store interface (the store-backed engine's tests, the benchmarks' store mode, a user
 * who passes a store).
 */
public final class MemoryGraphEngine implements GraphEngine {
  /** The most fields one lex read returns, whatever the budget. */
  static final int MAX_LEX_FIELDS = 10_000;

  private final MemoryGraph graph;
  private final StateClock clock;
  private final NavigableSet<String> souls = new TreeSet<>();

  public MemoryGraphEngine(StateClock clock, int maxDeferred) {
    this.clock = clock;
    this.graph = new MemoryGraph(new Deferrals(maxDeferred, Deferrals.DEFAULT_MAX_AHEAD_MILLIS));
  }

  @Override
  public Merge merge(Graph incoming) {
    MergeResult r = graph.merge(incoming, clock.next());
    index(r.accepted());
    return new Merge(r.accepted(), r.deferred().size(), r.refused().size(), Merge.DONE);
  }

  private void index(Graph accepted) {
    for (String soul : accepted.nodes().keySet()) {
      souls.add(soul);
    }
  }

  @Override
  public @Nullable Field field(String soul, String key) {
    return graph.field(soul, key);
  }

  @Override
  public @Nullable Graph read(String soul, @Nullable Lex key, @Nullable Double limit) {
    Node node = graph.node(soul);
    if (node == null) {
      return null;
    }
    if (key == null) {
      return Graph.of(node);
    }
    if (key.isExact()) {
      String eq = Objects.requireNonNull(key.eq(), "an exact lex names its key");
      Field f = node.field(eq);
      return f == null ? null : Graph.of(Node.builder(soul).put(eq, f).build());
    }
    Node matched = matchFields(node, key, limit);
    return matched.fields().isEmpty() ? null : Graph.of(matched);
  }

  private static Node matchFields(Node node, Lex key, @Nullable Double limit) {
    List<String> keys = new ArrayList<>();
    for (String k : node.fields().keySet()) {
      if (key.matches(k)) {
        keys.add(k);
      }
    }
    keys.sort(null);
    if (key.reverse()) {
      java.util.Collections.reverse(keys);
    }
    double budget = budget(limit != null ? limit : key.limit());
    long spent = 0;
    Node.Builder b = Node.builder(node.soul());
    int n = 0;
    for (String k : keys) {
      if (Lex.budgetSpent(budget, spent) || n >= MAX_LEX_FIELDS) {
        break;
      }
      Field f = Objects.requireNonNull(node.field(k), "k is one of the node's keys");
      b.put(k, f);
      spent += Lex.budgetCost(f.value());
      n++;
    }
    return b.build();
  }

  /** The {@code %} budget: as given (Gun.js's rule), else the whole answer up to the cap. */
  private static double budget(@Nullable Double percent) {
    return percent == null || percent == 0 ? Lex.MAX_BUDGET : Lex.budget(percent, true);
  }

  @Override
  public @Nullable Graph readSouls(Lex soul, @Nullable Double limit) {
    double budget = budget(limit != null ? limit : soul.limit());
    Iterable<String> candidates = soul.prefix() != null ? souls.tailSet(soul.prefix(), true) : souls;
    if (soul.reverse()) {
      candidates = souls.descendingSet();
    }
    Map<String, Node> out = new LinkedHashMap<>();
    long spent = 0;
    int fields = 0;
    for (String s : candidates) {
      if (soul.prefix() != null && !soul.reverse() && !s.startsWith(soul.prefix())) {
        break; // past the prefix range in a sorted set
      }
      if (!soul.matches(s)) {
        continue;
      }
      if (Lex.budgetSpent(budget, spent) || fields >= MAX_LEX_FIELDS) {
        break;
      }
      Node node = graph.node(s);
      if (node == null || node.fields().isEmpty()) {
        continue;
      }
      out.put(s, node);
      for (Field f : node.fields().values()) {
        spent += Lex.budgetCost(f.value());
      }
      fields += node.fields().size();
    }
    return out.isEmpty() ? null : new Graph(out);
  }

  @Override
  public long nextDeferralMillis() {
    double due = graph.nextDue();
    return Double.isInfinite(due) ? Long.MAX_VALUE : (long) Math.ceil(due);
  }

  @Override
  public Graph drainDeferred() {
    MergeResult r = graph.applyDue(clock.next());
    index(r.accepted());
    return r.accepted();
  }
}
