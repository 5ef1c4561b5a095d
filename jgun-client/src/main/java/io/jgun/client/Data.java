package io.jgun.client;

import io.jgun.graph.Value;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Field values as plain Java data for callbacks and Jackson. */
final class Data {
  /** The largest integer a JavaScript number holds exactly (2^53). */
  private static final double SAFE = 9007199254740992d;

  private Data() {}

  /**
   * A {@code String}, a {@code Long} for integral numbers within ±2^53 (else a {@code Double}), a
   * {@code Boolean}, null for a tombstone, or {@code {"#": soul}} for a link.
   */
  static @Nullable Object of(Value v) {
    if (v instanceof Value.Text t) {
      return t.value();
    }
    if (v instanceof Value.Number n) {
      double d = n.value();
      if (d == Math.rint(d) && Math.abs(d) <= SAFE) {
        return (long) d;
      }
      return d;
    }
    if (v instanceof Value.Bool b) {
      return b.value();
    }
    if (v instanceof Value.Link l) {
      return Map.of("#", l.soul());
    }
    return null;
  }
}
