/**
 * The WebSocket transport on Netty: {@link io.jgun.netty.WebSocketServer} (the relay side,
 * docs/protocol.md §5.2) and {@link io.jgun.netty.WebSocketDialer} (the client side), both handing
 * connections to the mesh as {@link io.jgun.mesh.Wire}s. The mesh knows nothing of Netty; this
 * package knows nothing of GUN messages beyond "one text frame is one string" (docs/protocol.md
 * §4.1).
 *
 * <h2>Threading model</h2>
 *
 * <ul>
 *   <li>Each server and each dialer owns one Netty event loop group (native epoll when it loads,
 *       else NIO). Every connection is bound to one event loop thread for its whole life; all its
 *       state (handshake, fragment assembly, close handshake) is confined to that thread, so the
 *       handlers take no locks.
 *   <li>{@link io.jgun.mesh.WireListener} callbacks run on the connection's event loop, in order:
 *       {@code opened}, any number of {@code read} (the bytes of each socket read, before they
 *       are decoded) and {@code received} (and at most one {@code oversized}), then
 *       {@code closed} exactly once, whatever ended the connection (close frame, reset, error,
 *       timeout, shutdown). A connection that never finished its upgrade produces no callbacks
 *       (for a dial, the future fails instead). Listeners must not block: they hold up every
 *       connection sharing the thread.
 *   <li>{@link io.jgun.mesh.Wire#send} may be called from any thread and never waits for I/O: the
 *       frame is encoded on the caller's thread (at most twice for all the wires a fan-out sends
 *       the same string to), counted against the outbound cap, and put on the wire's queue (a short lock);
 *       one task on the event loop writes everything queued and flushes once, so a burst of sends
 *       costs one wake-up and one system call. {@code close} goes through the same queue, so
 *       frames sent before it are written before the close frame.
 *   <li>An upgraded server connection's pipeline holds one handler, {@code WireHandler}: Netty's
 *       frame decoder extended with the UTF-8 check and the hand-off to the wire; server frames
 *       are encoded by the wire itself. Idle connections are counted by the thousand, and each
 *       handler costs a context besides itself.
 *   <li>Bounded memory: a single inbound frame over the limit is refused from its header (never
 *       buffered); fragments are joined only up to the limit; the bytes a slow reader has not yet
 *       taken (our queue plus Netty's outbound buffer) are capped, past which the connection is
 *       dropped and {@code send} returns false; connections and handshake time are capped.
 *   <li>{@code close()} on a server or dialer blocks until its threads have stopped (so it must
 *       not be called from a listener callback); after it returns no callback runs.
 * </ul>
 *
 * <h2>Text</h2>
 *
 * <p>Only text frames carry GUN traffic. Outbound strings are encoded as UTF-8 the way Node and
 * browsers encode JavaScript strings: a lone surrogate (which UTF-8 cannot represent) is sent as
 * U+FFFD, where Java's own encoders would write {@code '?'}. Inbound text that is not valid UTF-8
 * (for instance a surrogate encoded as CESU-8) closes that connection with 1007, as the Node
 * {@code ws} server does; nothing else is affected. Binary frames close the connection with 1003.
 */
@NullMarked
package io.jgun.netty;

import org.jspecify.annotations.NullMarked;
