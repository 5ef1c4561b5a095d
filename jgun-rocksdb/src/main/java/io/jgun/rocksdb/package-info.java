/**
 * A durable {@link io.jgun.store.Store} on RocksDB: {@link io.jgun.rocksdb.RocksStore}.
 *
 * <p>On disk, one record per field: key {@code enc(soul) 0x00 enc(key)} with a string encoding
 * whose byte order is JavaScript's string order ({@code KeyCodec}), value a versioned binary
 * {@code (state, value)} ({@code FieldCodec}, format 1); the {@code jgun-meta} column family records
 * the format version.
 *
 * <h2>Threading</h2>
 *
 * One writer thread per store owns HAM's read-modify-write and group-commits the queued puts in one
 * {@code WriteBatch} per round, completing their futures on that thread once the batch is durable.
 * Synchronous reads run on the caller's thread; asynchronous ones on a small reader pool. Queues are
 * bounded: past their caps, operations fail fast with {@link
 * io.jgun.store.StoreOverloadedException}.
 */
@NullMarked
package io.jgun.rocksdb;

import org.jspecify.annotations.NullMarked;
