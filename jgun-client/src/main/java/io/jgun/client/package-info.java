/**
 * The Java chain API: {@link io.jgun.client.Gun} (builder, peers, local store) and {@link
 * io.jgun.client.Chain} ({@code get}, {@code put}, {@code set}, {@code unset}, {@code once}, {@code
 * on}, {@code off}, {@code map} with a key filter or a transform, {@code back}, {@code not}, lex
 * chains), as in Gun.js (docs/protocol.md §6), typed reads of your own records ({@code
 * once(Class)}, {@code on(Class, …)}, and {@link io.jgun.client.TypedItems} for the items of a set,
 * from {@code map(Class)}; nested records are read from their linked nodes), and the user system
 * {@link io.jgun.client.User} (create, auth, leave, recall, delete; signed writes into the user's
 * souls; docs/protocol.md §10.4).
 *
 * <h2>Threading model</h2>
 *
 * <ul>
 *   <li>Every {@link io.jgun.client.Gun} owns one loop thread ({@code jgun-client-loop}) that holds
 *       all its state: the local graph, the connections, the requests in flight, the outbox and its
 *       journal, the listeners. Public methods never block: they hand a task to the loop and return
 *       a future or a handle. The engine's components (package-private, one idea each, assembled
 *       by {@code Engine}) are confined to it, and the methods that must run there check it.
 *   <li>Netty's I/O threads parse frames, verify the SEA signatures in them ahead of the
 *       firewall's verdict (the costly part), and pass them and connection events to the loop.
 *   <li>Listener callbacks ({@link io.jgun.client.Chain#on}, {@link io.jgun.client.Chain#not}) and
 *       the completion of every returned future run on the <em>callback executor</em>: by default
 *       one daemon thread per instance ({@code jgun-client-callbacks}), or the executor given to
 *       {@link io.jgun.client.Gun.Builder#callbackExecutor}. Tasks reach it one at a time, in
 *       order (whatever the executor's thread count), so a callback may block the next callbacks
 *       but never the loop or the network. A callback cannot wait for another callback of the same
 *       instance: {@code join()} or {@code get()} on an incomplete future of the same {@code Gun}
 *       inside a listener or a future's stage throws {@link IllegalStateException} at once rather
 *       than wait forever.
 * </ul>
 *
 * <h2>Offline first</h2>
 *
 * Writes go to the local graph at once (memory, or a {@link io.jgun.store.Store} such as
 * jgun-rocksdb's RocksStore), are sent to every connected peer and kept until a peer acknowledges
 * them; on every (re)connection the unacknowledged ones are sent again and live reads re-subscribe.
 * Reads answer after the connected peers answered. With none connected, a read waits up to the
 * read timeout for one (Gun.js's reads wait for their peers too) while the first connection is
 * being made, or when the local graph has nothing to answer; then it answers from the local graph,
 * or fails with {@link io.jgun.client.GunException.NotConnected} when that has nothing.
 *
 * <p>A relay does not acknowledge a put that changes nothing, so a write whose acknowledgement was
 * lost (it reached the relay, then the connection or the process went down) would never be
 * acknowledged by its re-sends. So on every (re)connection, before re-sending, the instance also
 * reads back from that peer the fields of the pending writes it had already sent (or replayed from
 * a journal): one field GET per distinct field, at most 1,000 per connection; and it reads back a
 * write whose ack timeout passed while a peer was connected (its future has failed with {@link
 * io.jgun.client.GunException.Timeout} by then, but the write still settles). A write of which the
 * peer holds every field at the written state or a newer one (at the same state, a value HAM would
 * not replace by the written one) counts as acknowledged by that peer ({@link
 * io.jgun.client.Ack#confirmedByRead()}); a not-found or an older state leaves it pending, and the
 * re-sent put is acknowledged as usual.
 *
 * <p>The unacknowledged writes are also kept in a journal file when the instance has one ({@link
 * io.jgun.client.Gun.Builder#outbox(io.jgun.client.DurableOutbox)}, chosen explicitly: e.g. inside
 * a RocksStore's directory): each is forced to disk before it is sent, so after a restart or a crash
 * the next instance on the same journal sends (and gets acknowledged) the offline writes of the
 * last one.
 *
 * <h2>SEA's checks</h2>
 *
 * Like every Gun.js peer with SEA, each instance runs SEA's firewall (docs/protocol.md §10.6,
 * {@link io.jgun.sea.SeaFirewall}) itself: a local write it refuses fails with {@link
 * io.jgun.client.GunException.Forbidden} and is neither stored nor sent; fields from peers it
 * refuses are dropped before reads and listeners see them. {@link
 * io.jgun.client.Gun.Builder#seaFirewall(boolean)} turns it off; {@link io.jgun.client.PutOptions}
 * carries a write certificate (docs/protocol.md §10.5).
 */
@NullMarked
package io.jgun.client;

import org.jspecify.annotations.NullMarked;
