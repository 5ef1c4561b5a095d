package io.jgun.store;

/** An operation was asked of a store that is closed (or closing). */
public final class StoreClosedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreClosedException(String message) {
    super(message);
  }
}
