/**
 * The GUN graph and its conflict resolution: values, fields, nodes and graphs (docs/protocol.md
 * §1), the state clock and HAM (docs/protocol.md §2), and the in-memory graph every peer merges
 * puts into.
 *
 * <ul>
 *   <li>{@link io.jgun.graph.Value}, {@link io.jgun.graph.Field}, {@link io.jgun.graph.Node}, {@link
 *       io.jgun.graph.Graph}, {@link io.jgun.graph.Lex}: immutable data, safe to share between
 *       threads.
 *   <li>{@link io.jgun.graph.StateClock}: {@code Gun.state()} (§2.1), thread-safe, one per peer,
 *       time source injected.
 *   <li>{@link io.jgun.graph.Ham}: the per-field decision (§2.2, §8.20); stateless.
 *   <li>{@link io.jgun.graph.MemoryGraph} and its {@link io.jgun.graph.Deferrals} queue of future
 *       fields (§2.2 rule 1, §8.19): mutable.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * <p>A {@code MemoryGraph} and its {@code Deferrals} are <b>confined to one thread</b>, the mesh's
 * event thread, which runs every merge, every read of the graph and the single timer that drains
 * due deferrals ({@code nextDue()} → {@code applyDue(now)}). They take no locks; other threads hand
 * work to the owning thread. The immutable snapshots they return ({@code node()}, {@code
 * snapshot()}, a {@code MergeResult}) may be passed to any thread, e.g. to storage I/O. The {@code
 * StateClock} is the one shared mutable object: user threads take states from it for local writes
 * while the mesh thread takes the {@code now} of each merge.
 *
 * <h2>Time</h2>
 *
 * <p>Nothing here reads the system clock except {@code StateClock.system()}: HAM, merges and
 * deferrals take {@code now} as an argument (a state, in milliseconds since the epoch with Gun's
 * same-millisecond fraction), so they are deterministic under test.
 *
 * <h2>Divergences from Gun.js, on purpose</h2>
 *
 * <ul>
 *   <li>Gun.js arms one unbounded {@code setTimeout} per future field; here future fields wait in
 *       one queue with a cap on their number and on how far ahead they may be, and the owner arms
 *       one timer. Refusals are reported, not silent.
 *   <li>Gun.js takes a fresh {@code Gun.state()} per field during a put; a merge takes one {@code
 *       now}. This only moves the accept/defer boundary by fractions of a millisecond.
 *   <li>Gun.js's {@code faith} flag (data read back from the peer's own storage skips the
 *       equal-state check) is not modelled: such data passed HAM when it was stored.
 * </ul>
 */
@NullMarked
package io.jgun.graph;

import org.jspecify.annotations.NullMarked;
