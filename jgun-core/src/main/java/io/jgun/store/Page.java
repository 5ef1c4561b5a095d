package io.jgun.store;

import io.jgun.graph.Graph;
import java.util.Objects;

/**
 * One answer to a lexical read: the nodes (or, for a read within a soul, the one partial node) that
 * matched, in scan order, and whether more matches were left out because the {@link Limit} was
 * reached. A caller pages on by reading again from the last key it got ({@code >} is inclusive, so
 * that key comes again first).
 *
 * @param graph the matching fields; empty when nothing matched
 * @param more whether at least one further match exists beyond the limit
 */
public record Page(Graph graph, boolean more) {
  /** Nothing matched. */
  public static final Page EMPTY = new Page(Graph.empty(), false);

  public Page {
    Objects.requireNonNull(graph, "graph");
  }

  /** Whether nothing matched. */
  public boolean isEmpty() {
    return graph.isEmpty();
  }
}
