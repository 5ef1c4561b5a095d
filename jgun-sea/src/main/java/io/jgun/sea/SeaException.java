package io.jgun.sea;

/**
 * Why a SEA operation could not produce a result. Where Gun.js's SEA returns {@code undefined}
 * (and logs), jgun either returns an empty {@link java.util.Optional} (verify and decrypt, whose
 * failure is an ordinary outcome) or throws this exception with a {@link Kind} (sign, encrypt,
 * work, secret, certify, whose failure means bad input).
 */
public final class SeaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure. */
  public enum Kind {
    /** A key string is not a P-256 key in Gun's form (wrong length, bad base64url, not on the curve). */
    INVALID_KEY,
    /** The input cannot be processed (for example signing {@code undefined}, a certificate without certificants or policy). */
    INVALID_INPUT,
    /** The JDK refused an operation that should work (missing algorithm); a bug or a broken JDK. */
    CRYPTO
  }

  private final Kind kind;

  public SeaException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SeaException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
