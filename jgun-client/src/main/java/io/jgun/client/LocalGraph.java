package io.jgun.client;

import io.jgun.dam.DeferralTimer;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import io.jgun.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The client's own copy of the graph (memory, or a durable store): merges with the listeners told
 * what changed, writes from the future (deferred by HAM) merged when their time comes, and the
 * reads the other components make of it. Confined to the loop, except {@link #field} for {@link
 * Splitter}, which the loop also runs.
 */
final class LocalGraph {
  private final GraphEngine graph;
  private final ClientLoop loop;
  /** Told every non-empty part of the graph a merge accepted. */
  private final Consumer<Graph> onAccepted;
  /** Merges the writes from the future when they come due. */
  private final DeferralTimer deferrals;

  LocalGraph(GraphEngine graph, ClientLoop loop, StateClock.Millis wallClock, Consumer<Graph> onAccepted) {
    this.graph = graph;
    this.loop = loop;
    this.onAccepted = onAccepted;
    this.deferrals =
        new DeferralTimer(
            wallClock::millis,
            loop::schedule,
            graph::nextDeferralMillis,
            () -> {
              if (!loop.closed()) {
                onAccepted.accept(graph.drainDeferred());
              }
            });
  }

  /** Merges {@code g} (HAM), tells the listeners what was accepted, schedules what was deferred. */
  GraphEngine.Merge merge(Graph g) {
    loop.checkInLoop();
    GraphEngine.Merge merge = graph.merge(g);
    onAccepted.accept(merge.accepted());
    if (merge.deferred() > 0) {
      deferrals.deferred();
    }
    return merge;
  }

  /** A field as the API shows it: signed values in user souls unwrapped. */
  @Nullable Field field(String soul, String key) {
    return UserSpace.view(soul, graph.field(soul, key));
  }

  /** The raw stored field (signed values as they are). */
  @Nullable Field rawField(String soul, String key) {
    return graph.field(soul, key);
  }

  /** What {@link GraphEngine#read} gives: the node's fields matching {@code lex}, or null. */
  @Nullable Graph read(String soul, @Nullable Lex lex, @Nullable Double limit) {
    return graph.read(soul, lex, limit);
  }

  /** The node {@code soul} as stored, or null. */
  @Nullable Node node(String soul) {
    Graph g = graph.read(soul, null, null);
    return g == null ? null : g.node(soul);
  }

  /** Whether the node {@code soul} has any field. */
  boolean hasNode(String soul) {
    Graph g = graph.read(soul, null, null);
    return g != null && !g.isEmpty();
  }

  /** The nodes whose souls match {@code lex}, or null. */
  @Nullable Graph readSouls(Lex lex) {
    return graph.readSouls(lex, lex.limit());
  }

  /** Whether this graph holds something that answers the GET {@code raw} (a field, or a node's fields; never a lex). */
  boolean answers(Json.Obj raw) {
    if (!(raw.get("#") instanceof Json.Str soul)) {
      return false;
    }
    Json key = raw.get(".");
    if (key == null) {
      return hasNode(soul.value());
    }
    return key instanceof Json.Str k && graph.field(soul.value(), k.value()) != null;
  }

  /** The fields of a node as plain data (links as {@code {"#": soul}} maps), or null. */
  @Nullable Map<String, @Nullable Object> nodeData(String soul, @Nullable Lex lex) {
    Graph g = graph.read(soul, lex, lex == null ? null : lex.limit());
    Node n = g == null ? null : g.node(soul);
    if (n == null) {
      return null;
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    n.fields().forEach((k, f) -> out.put(k, Data.of(UserSpace.view(soul, f.value()))));
    return out;
  }

  /** The nodes whose souls match, as soul → fields, or null when none. */
  @Nullable Map<String, @Nullable Object> soulsData(Lex lex) {
    Graph g = readSouls(lex);
    if (g == null || g.isEmpty()) {
      return null;
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (String soul : g.nodes().keySet()) {
      out.put(soul, nodeData(soul, null));
    }
    return out;
  }
}
