package io.jgun.client;

/** A live listener registered by {@link Chain#on}; {@link #off()} stops it. */
public interface Subscription extends AutoCloseable {

  /** Stops deliveries; idempotent. A delivery already handed to the callback executor may still run. */
  void off();

  /** Same as {@link #off()}. */
  @Override
  default void close() {
    off();
  }
}
