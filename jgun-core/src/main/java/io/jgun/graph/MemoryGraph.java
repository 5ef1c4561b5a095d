package io.jgun.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory graph every peer holds, merging incoming graphs field by field with {@link Ham}
 * (docs/protocol.md §2.2): the engine behind a peer's puts, whether they come from the wire, from
 * storage or from local writes.
 *
 * <p>A merge walks the incoming nodes in order and decides on each field against what the graph
 * holds at that moment, so it behaves as Gun.js's per-field {@code ham()}; the {@link MergeResult}
 * says what was stored (a diff to store, push and ack), what was deferred and what was dropped.
 * Future fields go to a bounded {@link Deferrals} queue; the owner arms one timer for {@link
 * #nextDue()} and calls {@link #applyDue(double)} when it fires, which decides on them again.
 *
 * <p>Merging is commutative, associative and idempotent: any order, grouping or repetition of the
 * same puts ends in the same graph (checked by property tests), which is what lets peers converge.
 *
 * <p><b>Not thread-safe, by design.</b> The graph is confined to one thread (the mesh's event
 * thread); reads from elsewhere must be handed to that thread. Internally nodes are mutable maps;
 * {@link #node(String)} returns an immutable snapshot, cached until the node next changes.
 *
 * <p>Gun.js takes a fresh {@code Gun.state()} for each field; a merge here takes one {@code now}
 * for the whole put. The only difference is sub-millisecond, on the boundary between accepting and
 * deferring.
 */
public final class MemoryGraph {

  private static final class Slot {
    final LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
    @Nullable Node snapshot;
  }

  private final Map<String, Slot> nodes = new LinkedHashMap<>();
  private final Deferrals deferrals;
  private int fieldCount;

  /** An empty graph with a deferral queue of the default caps. */
  public MemoryGraph() {
    this(new Deferrals());
  }

  /** An empty graph holding its future fields in {@code deferrals} (which it then owns). */
  public MemoryGraph(Deferrals deferrals) {
    this.deferrals = Objects.requireNonNull(deferrals, "deferrals");
  }

  /**
   * Merges {@code incoming} with HAM at time {@code now} (in state milliseconds, as {@link
   * StateClock#next()} returns). Pass {@link Double#POSITIVE_INFINITY} to defer nothing.
   */
  public MergeResult merge(Graph incoming, double now) {
    if (Double.isNaN(now)) {
      throw new IllegalArgumentException("now is NaN");
    }
    Merge m = new Merge();
    for (Node node : incoming.nodes().values()) {
      String soul = node.soul();
      Slot slot = nodes.get(soul);
      int before = m.acceptedAsIs;
      for (Map.Entry<String, Field> e : node.fields().entrySet()) {
        slot = apply(slot, soul, e.getKey(), e.getValue(), now, m);
      }
      if (m.acceptedAsIs - before == node.fields().size() && before != m.acceptedAsIs) {
        m.acceptWhole(node); // the common case, a new write: the diff can share the incoming node
      }
    }
    return m.result();
  }

  /**
   * Decides again on the deferred fields due at {@code now} (see {@link Deferrals#drainDue}): those
   * no longer in the future are stored or dropped as HAM says now; any still ahead (a state beyond
   * Gun's longest timer) is deferred again.
   */
  public MergeResult applyDue(double now) {
    if (Double.isNaN(now)) {
      throw new IllegalArgumentException("now is NaN");
    }
    List<Deferrals.Entry> due = deferrals.drainDue(now);
    if (due.isEmpty()) {
      return MergeResult.EMPTY;
    }
    Merge m = new Merge();
    for (Deferrals.Entry d : due) {
      apply(nodes.get(d.soul()), d.soul(), d.key(), d.field(), now, m);
    }
    return m.result();
  }

  /** The earliest due time of a deferred field, or {@link Double#POSITIVE_INFINITY} if none. */
  public double nextDue() {
    return deferrals.nextDue();
  }

  /** The deferral queue (owned by this graph: read it, don't drain it behind the graph's back). */
  public Deferrals deferrals() {
    return deferrals;
  }

  /** An immutable snapshot of the node {@code soul}, or null when the graph holds none. */
  public @Nullable Node node(String soul) {
    Slot slot = nodes.get(soul);
    if (slot == null) {
      return null;
    }
    Node n = slot.snapshot;
    if (n == null) {
      n = new Node(soul, slot.fields);
      slot.snapshot = n;
    }
    return n;
  }

  /** The field {@code key} of node {@code soul}, or null when the graph holds none. */
  public @Nullable Field field(String soul, String key) {
    Slot slot = nodes.get(soul);
    return slot == null ? null : slot.fields.get(key);
  }

  /** The state of a field, or {@link Double#NEGATIVE_INFINITY} when absent (Gun's {@code State.is}). */
  public double state(String soul, String key) {
    Field f = field(soul, key);
    return f == null ? Double.NEGATIVE_INFINITY : f.state();
  }

  /** The souls held, in the order first stored (a live, unmodifiable view). */
  public Set<String> souls() {
    return Collections.unmodifiableSet(nodes.keySet());
  }

  /** How many nodes are held. */
  public int size() {
    return nodes.size();
  }

  /** How many fields all nodes hold together. */
  public int fieldCount() {
    return fieldCount;
  }

  /** An immutable copy of the whole graph. */
  public Graph snapshot() {
    Map<String, Node> m = new LinkedHashMap<>();
    for (String soul : nodes.keySet()) {
      m.put(soul, node(soul));
    }
    return new Graph(m);
  }

  /** Runs HAM for one field and applies the decision; returns the (possibly new) slot of soul. */
  private @Nullable Slot apply(
      @Nullable Slot slot, String soul, String key, Field in, double now, Merge m) {
    Field held = slot == null ? null : slot.fields.get(key);
    switch (Ham.decide(in, held, now)) {
      case ACCEPT:
        if (slot == null) {
          slot = new Slot();
          nodes.put(soul, slot);
        }
        Field stored = in.stored();
        if (slot.fields.put(key, stored) == null) {
          fieldCount++;
        }
        slot.snapshot = null;
        m.accept(soul, key, stored, in);
        return slot;
      case DROP_HISTORICAL:
        m.historical++;
        return slot;
      case DROP_SAME:
        m.same++;
        return slot;
      case DEFER:
        Deferrals.Offer offer = deferrals.offer(soul, key, in, now);
        if (offer.refused()) {
          m.refuse(new MergeResult.Refused(soul, key, in, offer));
        } else {
          m.defer(new Deferrals.Entry(soul, key, in, Deferrals.dueTime(in.state(), now)));
        }
        return slot;
    }
    throw new AssertionError("unknown decision");
  }

  /** The outcome of one merge, allocated lazily: most puts touch a few fields. */
  private static final class Merge {
    /** The accepted fields of one soul: a whole incoming node, or the fields one by one. */
    private static final class Part {
      @Nullable Node whole;
      final Map<String, Field> fields = new LinkedHashMap<>();
    }

    @Nullable Map<String, Part> accepted;
    @Nullable List<Deferrals.Entry> deferred;
    @Nullable List<MergeResult.Refused> refused;
    int acceptedAsIs; // accepted fields stored exactly as they came (not normalized)
    int historical;
    int same;

    void accept(String soul, String key, Field stored, Field in) {
      if (accepted == null) {
        accepted = new LinkedHashMap<>();
      }
      accepted.computeIfAbsent(soul, s -> new Part()).fields.put(key, stored);
      if (stored == in) {
        acceptedAsIs++;
      }
    }

    void acceptWhole(Node node) {
      Part part = Objects.requireNonNull(accepted).get(node.soul());
      Objects.requireNonNull(part).whole = node;
    }

    void defer(Deferrals.Entry e) {
      if (deferred == null) {
        deferred = new ArrayList<>(2);
      }
      deferred.add(e);
    }

    void refuse(MergeResult.Refused r) {
      if (refused == null) {
        refused = new ArrayList<>(2);
      }
      refused.add(r);
    }

    MergeResult result() {
      Graph g;
      if (accepted == null) {
        g = Graph.empty();
      } else {
        Map<String, Node> m = new LinkedHashMap<>();
        accepted.forEach(
            (soul, part) -> m.put(soul, part.whole != null ? part.whole : new Node(soul, part.fields)));
        g = new Graph(m);
      }
      return new MergeResult(
          g,
          deferred == null ? List.of() : deferred,
          refused == null ? List.of() : refused,
          historical,
          same);
    }
  }
}
