package io.jgun.store;

/**
 * A storage operation failed: the future of a write or read completes with this (or a subclass),
 * and opening a store throws it. The message names the store (its path, for a disk store) and the
 * cause.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
