/**
 * The DAM mesh (spec §4): how a jgun instance exchanges messages with its peers. For now this is
 * the transport contract ({@link io.jgun.mesh.Wire}, {@link io.jgun.mesh.WireListener}) and the
 * table of seen message ids ({@link io.jgun.mesh.Dedup}); framing, batching, the {@code dam}
 * handshake and routing come later, built on them.
 *
 * <h2>Threading</h2>
 *
 * The mesh state (the dedup table, the peers and their routing hints) is confined to one thread,
 * the mesh loop: transports hand frames over to it and never touch that state themselves, so the
 * classes here take no locks and are not thread-safe unless they say so ({@link
 * io.jgun.mesh.Wire} implementations are). Time comes from an injected clock and nothing here
 * starts a timer thread: expiry is lazy, on the loop's own calls.
 */
@NullMarked
package io.jgun.mesh;

import org.jspecify.annotations.NullMarked;
