/**
 * Storage: the {@link io.jgun.store.Store} interface through which a peer persists its graph as
 * field atoms merged with HAM, and reads them back by node, field, key range and soul range
 * (docs/storage.md); {@link io.jgun.store.MemoryStore}, an implementation in sorted maps; and the
 * pieces implementations share: {@link io.jgun.store.Limit} and {@link io.jgun.store.PageBuilder}
 * (the {@code %} budget, docs/protocol.md §8.13), {@link io.jgun.store.LexBounds} (where a sorted
 * scan starts and stops for a {@link io.jgun.graph.Lex}), {@link io.jgun.store.Durability} (what an
 * ack promises). The RocksDB implementation lives in the {@code jgun-rocksdb} module.
 *
 * <h2>Threading</h2>
 *
 * Stores are thread-safe and may be shared by the mesh loop and user threads. A disk store owns its
 * I/O threads (one writer that runs HAM and group-commits, a few readers); a write's future
 * completes on the writer thread once durable, so callbacks must not block. The mesh keeps its
 * confinement: it hands completions back to its loop.
 *
 * <h2>Divergences from Gun.js, on purpose</h2>
 *
 * <ul>
 *   <li>Acks wait for durability as configured (fsync by default); Gun.js's radisk acks after an
 *       un-fsync'd rename, up to 250 ms later, and can lose acked data (docs/protocol.md §11.4).
 *   <li>Queues are bounded: past the cap a put fails at once ({@link
 *       io.jgun.store.StoreOverloadedException}); radisk buffers without limit.
 *   <li>Lexical reads are complete up to the {@link io.jgun.store.Limit} the caller chooses and say
 *       whether more remain; {@link io.jgun.store.Limit#gun} gives Gun.js's first-match-only rule.
 * </ul>
 */
@NullMarked
package io.jgun.store;

import org.jspecify.annotations.NullMarked;
