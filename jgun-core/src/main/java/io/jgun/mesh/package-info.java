/**
 * The DAM mesh (docs/protocol.md §4, §5.1): how a jgun peer exchanges messages with its peers.
 *
 * <p>{@link io.jgun.mesh.Mesh} is the relay's mesh: the {@code dam:'?'} handshake, batching,
 * dedup ({@link io.jgun.dam.Dedup}), GETs answered from a {@link io.jgun.mesh.GraphEngine} and
 * forwarded, acks routed to the asker, pushes to the peers subscribed to a soul ({@link
 * io.jgun.mesh.Subscriptions}), and outbound peers dialed through a {@link io.jgun.mesh.Dialer}
 * and re-dialed forever. Transports implement {@link io.jgun.mesh.Wire} and call a {@link
 * io.jgun.mesh.WireListener}; nothing here knows about sockets.
 *
 * <h2>Threading</h2>
 *
 * Transports call the listener on their I/O threads; frames are parsed there (in parallel across
 * connections) and the messages are handed to the mesh loop, a single thread that owns all mesh
 * state: peers, the dedup table, subscriptions, the graph engine, deferrals, batches and timers.
 * The classes here take no locks and are not thread-safe unless they say so ({@link
 * io.jgun.mesh.Wire} implementations and {@link io.jgun.mesh.MeshStats} are). A graph engine over
 * a store writes on the store's own thread and completes a durability future; the mesh sends the
 * ack when it completes, back on the loop. Time for HAM comes from an injected state clock; dedup
 * expiry is lazy, on the loop's own calls.
 */
@NullMarked
package io.jgun.mesh;

import org.jspecify.annotations.NullMarked;
