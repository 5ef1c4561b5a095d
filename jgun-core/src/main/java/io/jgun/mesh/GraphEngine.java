package io.jgun.mesh;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import org.jspecify.annotations.Nullable;

/**
 * The graph as the mesh uses it: HAM merges, reads by soul, field and lex, and the future-state
 * fields held until their time. Called only from the mesh loop.
 */
public interface GraphEngine {

  /** What a merge did. */
  record Merge(Graph accepted, int deferred, int refused) {}

  /** Merges a graph with HAM (spec §2.2) at the current state time. */
  Merge merge(Graph incoming);

  /** One field, or null. */
  @Nullable Field field(String soul, String key);

  /**
   * The fields of {@code soul} whose keys match {@code key} (all fields when null), at most
   * {@code limit} of them when given (the {@code %} budget); null or empty when there are none.
   */
  @Nullable Graph read(String soul, @Nullable Lex key, @Nullable Double limit);

  /** The nodes whose souls match {@code soul}, within the limit. */
  @Nullable Graph readSouls(Lex soul, @Nullable Double limit);

  /** When the earliest deferred field is due, in epoch millis, or Long.MAX_VALUE if none. */
  long nextDeferralMillis();

  /** Applies the deferred fields that are due; returns those accepted. */
  Graph drainDeferred();
}
