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

  /** The connection closed (cause is null for an orderly close). */
  void closed(Wire wire, @Nullable Throwable cause);
}
