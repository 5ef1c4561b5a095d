package io.jgun.client;

import org.jspecify.annotations.Nullable;

/** Why a chain or user operation failed; the futures of {@link Chain} and {@link User} fail with one of these. */
public abstract sealed class GunException extends RuntimeException
    permits GunException.InvalidData, GunException.Timeout, GunException.PeerError, GunException.Closed, GunException.AuthError, GunException.Forbidden,
        GunException.OutboxError, GunException.NotConnected, GunException.TypeMismatch {

  GunException(String message, @Nullable Throwable cause) {
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

  /**
   * A read could not ask anyone: peers are configured but none connected within the read timeout,
   * and the local graph has nothing there. Unlike an empty {@code Optional} (the connected peers
   * said "not found"), this says nothing about whether the data exists. {@link Unreachable} when
   * every peer's latest connection attempt failed.
   */
  public static sealed class NotConnected extends GunException permits Unreachable {
    private final java.util.List<String> peers;

    NotConnected(String message, java.util.List<String> peers) {
      super(message);
      this.peers = java.util.List.copyOf(peers);
    }

    /** The configured peer URLs. */
    public java.util.List<String> peers() {
      return peers;
    }
  }

  /**
   * A {@link NotConnected} where every configured peer failed its latest connection attempt (a
   * wrong URL, a relay that is down, no route); {@link #reasons()} says why for each. Connection
   * attempts go on in the background.
   */
  public static final class Unreachable extends NotConnected {
    private final java.util.Map<String, String> reasons;

    Unreachable(String message, java.util.Map<String, String> reasons) {
      super(message, java.util.List.copyOf(reasons.keySet()));
      this.reasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(reasons));
    }

    /** Peer URL → why its latest connection attempt failed, in configuration order. */
    public java.util.Map<String, String> reasons() {
      return reasons;
    }
  }

  /**
   * Data was read but cannot be converted to the type asked for ({@link Chain#once(Class)}, {@link
   * Chain#on(Class, java.util.function.BiConsumer)}): a field of the wrong kind, a missing
   * constructor argument… Nothing is wrong with the data itself; {@link #getCause()} is Jackson's
   * explanation.
   */
  public static final class TypeMismatch extends GunException {
    private final Class<?> type;
    private final String key;

    TypeMismatch(Class<?> type, String key, Throwable cause) {
      super("cannot read " + key + " as " + type.getSimpleName() + ": " + cause.getMessage(), cause);
      this.type = type;
      this.key = key;
    }

    /** The type the data was to be converted to. */
    public Class<?> type() {
      return type;
    }

    /** The key (or soul) of the data that did not convert. */
    public String key() {
      return key;
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

  /**
   * A {@link User} operation was refused; {@link #getMessage()} is Gun.js's text for the same
   * failure (docs/protocol.md §10.4), {@link #reason()} the typed form.
   */
  public static final class AuthError extends GunException {
    /** The kinds of refusal, with Gun.js's message for each. */
    public enum Reason {
      /** {@code create} without an alias. */
      NO_USER("No user."),
      /** {@code create} with a password shorter than 8 characters (UTF-16 units, as JavaScript counts). */
      PASSWORD_TOO_SHORT("Password too short!"),
      /** {@code create} found the alias already listed (aliases are not unique across the network; this is only what this peer saw). */
      ALREADY_CREATED("User already created!"),
      /** {@code auth}/{@code delete}: no account under the alias opens with the password (or the alias is unknown). */
      WRONG_USER_OR_PASSWORD("Wrong user or password."),
      /** Another create/auth/recall/delete of the same {@link User} is still running. */
      BUSY("User is already being created or authenticated!"),
      /** A session or pair that is not a valid SEA pair. */
      INVALID_PAIR("Invalid key pair.");

      private final String message;

      Reason(String message) {
        this.message = message;
      }

      /** Gun.js's error text. */
      public String message() {
        return message;
      }
    }

    private final Reason reason;

    AuthError(Reason reason) {
      super(reason.message());
      this.reason = reason;
    }

    AuthError(Reason reason, String detail) {
      super(reason.message() + " (" + detail + ")");
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /**
   * SEA's firewall (docs/protocol.md §10.6), run by this peer itself, refused the write; nothing
   * was stored or sent. {@link #getMessage()} is Gun.js's reason text exactly (e.g. {@code
   * "Unverified data."}, {@code "Certificate verification fail."}, {@code "Data hash not same as
   * hash!"}), {@link #soul()} and {@link #key()} name the first refused field. A relay refusing a
   * write that got past this peer (one built with the firewall off) answers with a {@link
   * PeerError} carrying the same texts.
   */
  public static final class Forbidden extends GunException {
    private final String soul;
    private final String key;

    Forbidden(String reason, String soul, String key) {
      super(reason);
      this.soul = soul;
      this.key = key;
    }

    /** Gun.js's reason text (the same as {@link #getMessage()}). */
    public String reason() {
      return java.util.Objects.requireNonNull(getMessage());
    }

    /** The soul of the first refused field. */
    public String soul() {
      return soul;
    }

    /** The key of the first refused field. */
    public String key() {
      return key;
    }
  }

  /**
   * The durable outbox journal ({@link Gun.Builder#outbox(java.nio.file.Path)}) cannot be used: it
   * is in use by another instance, is not a journal, is damaged other than at its torn tail, or
   * cannot be read, written or forced. {@link Gun.Builder#build()} throws it; a write whose journal
   * record could not be forced fails its {@link AckPolicy#LOCAL} future with it.
   */
  public static final class OutboxError extends GunException {
    private final java.nio.file.Path file;

    OutboxError(java.nio.file.Path file, String problem, @Nullable Throwable cause) {
      super("outbox journal " + file + " " + problem, cause);
      this.file = file;
    }

    /** The journal file. */
    public java.nio.file.Path file() {
      return file;
    }
  }
}
