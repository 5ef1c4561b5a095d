package io.jgun.store;

/**
 * Called by a store under test before it writes a batch, with the batch's 1-based number: throws to
 * inject a write failure, blocks to hold a write.
 */
@FunctionalInterface
public interface BatchHook {
  void beforeWrite(long batch) throws Exception;

  /** A hook that does nothing. */
  BatchHook NONE = b -> {};

  /** A hook that fails batch {@code n} (only that one). */
  static BatchHook failing(long n) {
    return b -> {
      if (b == n) {
        throw new java.io.IOException("injected failure of batch " + n);
      }
    };
  }
}
