package io.jgun.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable graph: souls to nodes. This is the value of a {@code put} message (docs/protocol.md
 * §1.1): each node is filed under its own soul.
 */
public record Graph(Map<String, Node> nodes) {
  public Graph {
    Map<String, Node> copy = new LinkedHashMap<>(nodes);
    copy.forEach(
        (soul, node) -> {
          if (!soul.equals(node.soul())) {
            throw new IllegalArgumentException(
                "node filed under '" + soul + "' has soul '" + node.soul() + "'");
          }
        });
    nodes = Collections.unmodifiableMap(copy);
  }

  /** The empty graph. */
  public static Graph empty() {
    return new Graph(Map.of());
  }

  /** A graph of the given nodes, each filed under its soul. */
  public static Graph of(Node... nodes) {
    Map<String, Node> m = new LinkedHashMap<>();
    for (Node n : nodes) {
      m.put(n.soul(), n);
    }
    return new Graph(m);
  }

  public @Nullable Node node(String soul) {
    return nodes.get(soul);
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** How many fields all nodes hold together. */
  public int fieldCount() {
    int n = 0;
    for (Node node : nodes.values()) {
      n += node.fields().size();
    }
    return n;
  }
}
