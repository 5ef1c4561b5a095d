/**
 * The pieces of the DAM protocol (docs/protocol.md §4) that every jgun peer shares, relay and
 * client alike: the protocol's constants and error texts ({@link io.jgun.dam.DamProtocol}), the
 * table of seen message ids ({@link io.jgun.dam.Dedup}), the backoff between dials of a lost peer
 * ({@link io.jgun.dam.ReconnectPolicy}) and the timer that brings deferred future-state writes in
 * when they come due ({@link io.jgun.dam.DeferralTimer}).
 *
 * <p>Nothing here knows about sockets, threads or the graph: time, randomness and scheduling are
 * passed in, so each piece runs the same under a test's manual clock as on a live loop. None is
 * thread-safe; each is confined to its owner's event loop.
 */
@NullMarked
package io.jgun.dam;

import org.jspecify.annotations.NullMarked;
