/**
 * A durable {@link io.jgun.store.Store} on PostgreSQL, {@link io.jgun.postgres.PostgresStore}, shared
 * by any number of relays, and its cross-relay change feed, {@link io.jgun.postgres.ChangeFeed}.
 *
 * <p>One row per field, keyed {@code (soul, key)}; strings are stored as UTF-16BE {@code bytea} so
 * that PostgreSQL's byte order is JavaScript's string order and lone surrogates survive
 * ({@code Utf16}). HAM runs inside PostgreSQL, in the {@code WHERE} of an {@code INSERT … ON CONFLICT
 * DO UPDATE} ({@code Writer}), so relays writing one field never race a read-modify-write.
 *
 * <h2>Threading</h2>
 *
 * One writer thread per store takes every queued put, group-commits them in one transaction and
 * completes their futures on that thread after {@code COMMIT}. Synchronous reads run on the caller's
 * thread with a pooled connection; asynchronous ones on a small reader pool with a bounded queue. A
 * change feed owns one thread and one connection of its own (LISTEN), and calls its consumer on that
 * thread. Queues and the connection pool are bounded: past their caps, operations fail fast with
 * {@link io.jgun.store.StoreOverloadedException} or, when PostgreSQL cannot be reached within the
 * pool's timeout, a {@link io.jgun.store.StoreException}.
 */
@NullMarked
package io.jgun.postgres;

import org.jspecify.annotations.NullMarked;
