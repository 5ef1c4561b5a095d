package io.jgun.store;

/**
 * A write or read was refused at once because the store's queue is full: the caller should shed
 * load (answer the put with an {@code err} ack, slow down) rather than retry in a tight loop. Nothing
 * of the refused operation was applied.
 */
public final class StoreOverloadedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreOverloadedException(String message) {
    super(message);
  }
}
