package io.jgun.store;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds one {@link Page} from a scan in order, spending a {@link Limit} as the {@link Store}
 * contract says; shared by the store implementations so that they cut pages identically. Not
 * thread-safe: one per read.
 *
 * <p>For a key read, call {@link #startNode} once, then {@link #offerKey} for each match. For a soul
 * read, call {@link #startNode} for each matching soul and {@link #offerField} for each of its fields.
 * Every method returns false when the scan must stop, having noted that more matches exist.
 */
public final class PageBuilder {
  private final Limit limit;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private @Nullable String soul;
  private @Nullable Map<String, Field> fields;
  private long spent;
  private int count;
  private boolean more;

  public PageBuilder(Limit limit) {
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /**
   * Starts the node {@code soul}; in a soul read, returns false (and notes that more exist) when the
   * budget is already spent.
   */
  public boolean startNode(String soul) {
    endNode();
    if (!nodes.isEmpty() && limit.reached(spent, count)) {
      more = true;
      return false;
    }
    this.soul = soul;
    this.fields = new LinkedHashMap<>();
    return true;
  }

  /** Adds a matching field in a key read, unless the budget or field cap is reached. */
  public boolean offerKey(String key, Field field) {
    if (limit.reached(spent, count)) {
      more = true;
      return false;
    }
    take(key, field);
    return true;
  }

  /** Adds a field of the current node in a soul read, unless the field cap is reached. */
  public boolean offerField(String key, Field field) {
    if (count >= limit.maxFields()) {
      more = true;
      return false;
    }
    take(key, field);
    return true;
  }

  private void take(String key, Field field) {
    Objects.requireNonNull(fields, "startNode first").put(key, field);
    spent += Lex.budgetCost(field.value());
    count++;
  }

  private void endNode() {
    if (soul != null && fields != null && !fields.isEmpty()) {
      nodes.put(soul, new Node(soul, fields));
    }
    soul = null;
    fields = null;
  }

  /** The page built so far. */
  public Page build() {
    endNode();
    return nodes.isEmpty() && !more ? Page.EMPTY : new Page(new Graph(nodes), more);
  }
}
