package io.jgun.store;

/**
 * A write was refused because it would take the store past its capacity (a {@link MemoryStore}'s
 * cap on fields). Nothing of the refused write was applied.
 */
public final class StoreFullException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreFullException(String message) {
    super(message);
  }
}
