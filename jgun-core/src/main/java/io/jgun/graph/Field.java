package io.jgun.graph;

import java.util.Objects;

/**
 * One field of a node: its value and its HAM state (a JavaScript number of milliseconds since the
 * epoch, possibly with a fraction, docs/protocol.md §2.1).
 */
public record Field(Value value, double state) {
  public Field {
    Objects.requireNonNull(value, "value");
    if (!Double.isFinite(state)) {
      throw new IllegalArgumentException("state must be a finite number: " + state);
    }
  }

  /**
   * This field as a graph stores it: a state of -0 becomes 0. HAM treats them as equal (JavaScript
   * {@code ===}) and JSON prints both as {@code 0}, but {@link #equals} tells them apart, which
   * would make a stored graph depend on arrival order.
   */
  public Field stored() {
    return Double.doubleToRawLongBits(state) == Long.MIN_VALUE ? new Field(value, 0.0) : this;
  }
}
