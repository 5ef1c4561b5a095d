package io.jgun.engine;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A peer's local graph as its protocol engine uses it: HAM merges, reads by soul, field and lex,
 * and the future-state fields held until their time. An interface of its own package, not of the
 * mesh's, because both the relay's mesh and the client's engine use it and its implementations
 * sit on storage: the mesh depends on it, and a store does not depend on the mesh. Called only
 * from its owner's loop.
 */
public interface GraphEngine {

  /**
   * What a merge did, and when it is durable.
   *
   * @param accepted the fields accepted, to push and ack (empty: nothing to ack)
   * @param deferred how many future fields are held
   * @param refused how many future fields the deferral queue refused
   * @param durable completes when the accepted fields are durable as configured (at once for an
   *     in-memory engine); fails if the store could not take or write them. Acks wait for it.
   * @param decided for an engine whose store decides HAM as it writes (a database shared by
   *     several relays): completes with the fields the store accepted once they are durable, or
   *     fails; {@code accepted} is then empty and {@code durable} done, and the caller acks and
   *     pushes on completion. Null when {@code accepted} is the decision.
   */
  record Merge(Graph accepted, int deferred, int refused, CompletableFuture<Void> durable,
      @Nullable CompletableFuture<Graph> decided) {
    /** A merge that needs no writing (in memory, or nothing accepted). */
    public static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** A merge decided now. */
    public Merge(Graph accepted, int deferred, int refused, CompletableFuture<Void> durable) {
      this(accepted, deferred, refused, durable, null);
    }
  }

  /** Merges a graph with HAM (docs/protocol.md §2.2) at the current state time. */
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

  /**
   * {@link #read}, for the mesh's GETs: called on the mesh loop, it may complete on another thread
   * (an engine over a store reads off the loop, so a slow disk never stalls it). The answer holds
   * every field accepted before the call. The default reads at once.
   */
  default CompletableFuture<@Nullable Graph> readAsync(String soul, @Nullable Lex key, @Nullable Double limit) {
    try {
      return CompletableFuture.completedFuture(read(soul, key, limit));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #readSouls}, as {@link #readAsync} is to {@link #read}. */
  default CompletableFuture<@Nullable Graph> readSoulsAsync(Lex soul, @Nullable Double limit) {
    try {
      return CompletableFuture.completedFuture(readSouls(soul, limit));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** When the earliest deferred field is due, in epoch millis, or Long.MAX_VALUE if none. */
  long nextDeferralMillis();

  /** Applies the deferred fields that are due; returns those accepted. */
  Graph drainDeferred();

  /**
   * {@link #drainDeferred}, with when the accepted fields are durable (an engine over a store
   * writes them like a merge). The default: durable at once.
   */
  default Merge drainDue() {
    return new Merge(drainDeferred(), 0, 0, Merge.DONE);
  }
}
