package io.jgun.client;

/** Why a chain operation failed; the futures of {@link Chain} fail with one of these. */
public abstract sealed class GunException extends RuntimeException
    permits GunException.InvalidData, GunException.Timeout, GunException.PeerError, GunException.Closed {

  GunException(String message, Throwable cause) {
    super(message, cause);
  }

  GunException(String message) {
    super(message);
  }

  /** The data cannot be written (an array, a non-finite number, a primitive at the root…); nothing was sent. */
  public static final class InvalidData extends GunException {
    InvalidData(String message) {
      super(message);
    }

    InvalidData(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * No acknowledgement (or answer) came in time. For a write, the data is kept in the local store
   * and still sent, and re-sent after reconnects, until a peer acknowledges it.
   */
  public static final class Timeout extends GunException {
    Timeout(String message) {
      super(message);
    }
  }

  /** A peer answered with {@code err}. */
  public static final class PeerError extends GunException {
    private final String peer;

    PeerError(String peer, String message) {
      super(message);
      this.peer = peer;
    }

    /** The URL of the peer that refused. */
    public String peer() {
      return peer;
    }
  }

  /** The {@link Gun} instance was closed before the operation completed. */
  public static final class Closed extends GunException {
    Closed() {
      super("this Gun instance is closed");
    }
  }
}
