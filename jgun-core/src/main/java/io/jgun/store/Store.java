package io.jgun.store;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where a peer keeps its graph: field atoms ({@code soul}, {@code key}, {@link Field}) merged with
 * HAM against what is stored, and read back by node, field, key range within a node, or soul range
 * (the storage SPI sits at the graph level, not at the blob level as Gun.js's does;
 * docs/storage.md).
 *
 * <h2>Writes</h2>
 *
 * {@link #put} is batch-oriented and asynchronous: each field of the graph is decided with {@link
 * Ham#decide} against the stored field, equal-state tie-break included, atomically with respect to
 * every other put; future states are the caller's business (the store never defers: it applies with
 * {@code now = +∞}, so the caller holds future fields back, as {@link io.jgun.graph.Deferrals} does).
 * The future completes with the accepted diff (the fields that replaced the stored ones, a state of
 * {@code -0} stored as {@code 0}) only once those fields are as durable as the store's {@link
 * Durability} promises, so an ack sent from it is honest. Puts submitted by one thread are applied in
 * submission order. A put that is refused (queue full, capacity, closed) or whose write fails
 * completes exceptionally with a {@link StoreException}, and none of its fields were applied.
 *
 * <h2>Reads</h2>
 *
 * Each read comes twice: asynchronous ({@link #node}, {@link #field}, {@link #keys}, {@link
 * #souls}), never blocking the caller, and a synchronous fast path ({@code …Now}) that may block on
 * disk I/O for a moment, for threads that may block (or for stores in memory). Reads see every put
 * whose future has completed; they may also see a put whose future has not completed yet. Lexical
 * reads are in JavaScript string order (UTF-16 code units, {@link String#compareTo}), descending
 * when the {@link Lex} says {@code -}, match exactly as {@link Lex#matches}, and stop at the {@link
 * Limit}.
 *
 * <h2>Futures and threads</h2>
 *
 * Implementations are thread-safe. Futures may complete on the store's own threads: callbacks
 * attached with {@code thenApply} and the like must be short and must not block (in particular,
 * never {@code join()} another store future inside one); hand longer work to an executor with the
 * {@code …Async} variants.
 */
public interface Store extends AutoCloseable {

  /**
   * Merges {@code fields} into the store with HAM; completes with the accepted diff once it is
   * durable (an empty graph when nothing was accepted).
   */
  CompletableFuture<Graph> put(Graph fields);

  /** The stored node {@code soul}, every field, in key order; an empty node when none is stored. */
  Node nodeNow(String soul);

  /** The stored field, or null. */
  @Nullable Field fieldNow(String soul, String key);

  /**
   * The fields of {@code soul} whose keys match {@code key}, in key order (reversed if {@code
   * key.reverse()}), within {@code limit}; the page holds at most the one node {@code soul}.
   */
  Page keysNow(String soul, Lex key, Limit limit);

  /**
   * The nodes whose souls match {@code soul}, in soul order (reversed if {@code soul.reverse()}),
   * each whole, within {@code limit}: the budget is checked before each node, the field cap before
   * each field (so the last node may be partial).
   */
  Page soulsNow(Lex soul, Limit limit);

  /** {@link #nodeNow} without blocking the caller. */
  CompletableFuture<Node> node(String soul);

  /** {@link #fieldNow} without blocking the caller. */
  CompletableFuture<@Nullable Field> field(String soul, String key);

  /** {@link #keysNow} without blocking the caller. */
  CompletableFuture<Page> keys(String soul, Lex key, Limit limit);

  /** {@link #soulsNow} without blocking the caller. */
  CompletableFuture<Page> souls(Lex soul, Limit limit);

  /**
   * Closes the store: puts already accepted are written and their futures completed, later ones
   * fail with {@link StoreClosedException}; then resources are released. Idempotent.
   */
  @Override
  void close();
}
