package io.jgun.netty;

import java.io.IOException;

/**
 * Why a wire closed when it did not close in an orderly way: the WebSocket close status that was
 * sent or received (RFC 6455 §7.4), and a reason. Passed as the cause to {@link
 * io.jgun.mesh.WireListener#closed}; orderly closes (status 1000 or 1001, or a local {@code
 * close()}) pass null instead.
 *
 * <p>Statuses used by this transport: 1002 protocol error, 1003 binary frame refused, 1006 the
 * connection dropped without a close frame, 1007 invalid UTF-8, 1008 outbound cap exceeded (a peer
 * too slow to read; no close frame is sent), 1009 message too big, and any status a peer sent.
 */
public final class WireClosedException extends IOException {

  /** Protocol error. */
  public static final int PROTOCOL_ERROR = 1002;
  /** A data frame of a type we do not accept (binary). */
  public static final int UNSUPPORTED_DATA = 1003;
  /** The connection dropped without a close frame (never sent on the wire). */
  public static final int ABNORMAL = 1006;
  /** A text frame that is not valid UTF-8. */
  public static final int INVALID_PAYLOAD = 1007;
  /** A policy was violated; here: the outbound cap was exceeded. */
  public static final int POLICY_VIOLATION = 1008;
  /** A message larger than the frame limit. */
  public static final int MESSAGE_TOO_BIG = 1009;

  private final int status;
  private final String reason;

  /** Creates one; {@code reason} is a short human-readable text. */
  public WireClosedException(int status, String reason) {
    super(status + " " + reason);
    this.status = status;
    this.reason = reason;
  }

  /** The close status. */
  public int status() {
    return status;
  }

  /** The reason text. */
  public String reason() {
    return reason;
  }

  /**
   * No stack trace: the status says what happened, and every dropped connection makes one (10,000
   * clients going away at once would otherwise fill 10,000 stack traces on the I/O threads).
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
