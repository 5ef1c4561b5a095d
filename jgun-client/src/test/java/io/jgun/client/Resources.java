package io.jgun.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a test opened (clients, relays), closed in reverse order after each test: a field of the
 * test class marked {@code @AutoClose}.
 */
final class Resources implements AutoCloseable {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Keeps {@code c} to close after the test, and returns it. */
  <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  @Override
  public void close() {
    Collections.reverse(open);
    Exception first = null;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (first != null) {
      throw new IllegalStateException("closing what the test opened failed", first);
    }
  }
}
