/**
 * The wire format (docs/protocol.md §3, §4.1, §7): {@link io.jgun.wire.Message} and {@link
 * io.jgun.wire.Get}, the typed GUN message; {@link io.jgun.wire.MessageReader}, which turns a
 * WebSocket text frame into a {@link io.jgun.wire.Frame} of messages with bounded work and
 * validates every {@code put} graph in Gun.js's words; and {@link io.jgun.wire.MessageWriter},
 * which writes messages as {@code JSON.stringify} would, with the canonical (key-sorted) {@code
 * put} text that the {@code ##} hash covers.
 *
 * <p>Reading never throws on a peer's input: a frame that is not JSON, too long, too deep or too
 * crowded is a {@link io.jgun.wire.Frame.FrameError}; an invalid put is a reason on its message.
 * Put validation follows Gun.js's root.js with three deliberate differences: the first error
 * rejects the whole put (Gun.js may already have applied earlier fields, and loses the error when
 * the bad field is the last one), a field's state must be a finite number (Gun.js only requires
 * one), and an empty soul is an error (Gun.js silently stops reading the put there).
 *
 * <p>Everything here is immutable or stateless and safe to use from any thread.
 */
@NullMarked
package io.jgun.wire;

import org.jspecify.annotations.NullMarked;
