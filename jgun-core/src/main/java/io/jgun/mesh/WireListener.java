package io.jgun.mesh;

import org.jspecify.annotations.Nullable;

/**
 * Receives a transport's events. A transport calls these on its own I/O threads, in order per
 * wire: {@code opened}, then any number of {@code received}, then {@code closed} exactly once.
 * Implementations must not block.
 */
public interface WireListener {

  /** A connection is open and ready to send. */
  void opened(Wire wire);

  /** A text frame arrived. */
  void received(Wire wire, String frame);

  /**
   * {@code bytes} arrived from the network for {@code wire}, before they are decoded into frames:
   * a listener that meters clients charges them here, so a client over its byte rate has its
   * reading paused ({@link Wire#pauseReading}) while a large frame is still arriving rather than
   * after it was assembled and parsed. A transport that reports reads calls this before the
   * {@link #received} of any frame those bytes complete; one that does not leaves the listener to
   * count each frame's characters instead.
   */
  default void read(Wire wire, int bytes) {}

  /**
   * A peer sent a message larger than the transport's limit ({@code bytes} is how large it was
   * known to be when refused: at least the limit plus one). The transport never buffers such a
   * message; it closes the wire with status 1009 right after this returns, and anything sent from
   * here (the mesh answers {@code {"dam":"!","err":"Message too big!"}}, docs/protocol.md §4.1)
   * goes out before the close frame. No {@link #received} follows for that message.
   */
  default void oversized(Wire wire, long bytes) {}

  /** The connection closed (cause is null for an orderly close). */
  void closed(Wire wire, @Nullable Throwable cause);
}
