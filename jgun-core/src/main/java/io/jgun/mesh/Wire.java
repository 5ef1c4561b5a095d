package io.jgun.mesh;

import org.jspecify.annotations.Nullable;

/**
 * One open connection to a peer, as the mesh sees it: a way to send text frames and to close. A
 * transport (jgun-netty) implements it; the mesh knows nothing of sockets.
 *
 * <p>Implementations are thread-safe: {@link #send} may be called from any thread and never blocks.
 */
public interface Wire {

  /**
   * Queues one text frame to be sent. Returns false, and sends nothing, when the wire is closed or
   * its outbound queue is over its cap; in the latter case the transport closes the wire (a peer
   * that cannot keep up is dropped rather than growing memory).
   */
  boolean send(String frame);

  /**
   * Bytes accepted by {@link #send} and not yet written to the network: how far the peer's reading
   * lags. The mesh conflates pushes to a peer whose queue is over a bound. A wire that does not
   * track it answers 0.
   */
  default long queuedBytes() {
    return 0;
  }

  /**
   * Stops (true) or resumes (false) reading frames from the peer: backpressure on one connection,
   * whose frames then wait in the network's buffers. Thread-safe. A wire that cannot pause ignores
   * it.
   */
  default void pauseReading(boolean pause) {}

  /** Closes the connection; idempotent. {@link WireListener#closed} follows. */
  void close();

  /** True while the connection is open. */
  boolean isOpen();

  /** True if this side dialed the connection (we are the client). */
  boolean outbound();

  /** The URL this side dialed, for outbound wires; null for accepted ones. */
  @Nullable String url();

  /** The remote address, for logs. */
  String remote();
}
