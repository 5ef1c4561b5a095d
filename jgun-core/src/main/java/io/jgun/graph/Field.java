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
}
