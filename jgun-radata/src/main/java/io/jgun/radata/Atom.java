package io.jgun.radata;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.util.Objects;

/**
 * One field of one node as a radata folder stores it: RAD key {@code soul + ESC + key}, value and
 * HAM state.
 *
 * @param soul the node's soul (never empty, never contains ESC)
 * @param key the field name (never empty, never contains ESC)
 * @param field the value and its state
 * @param file the file it was read from (the name on disk, e.g. {@code !} or {@code alice%1Bnick};
 *     for an rfs temp file its name in the parent folder)
 */
public record Atom(String soul, String key, Field field, String file) {
  public Atom {
    Objects.requireNonNull(soul, "soul");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(file, "file");
  }

  /** The value (a shortcut for {@code field().value()}). */
  public Value value() {
    return field.value();
  }

  /** The HAM state (a shortcut for {@code field().state()}). */
  public double state() {
    return field.state();
  }

  /** The RAD key: {@code soul + ESC + key}. */
  public String radKey() {
    return soul + RadKeys.ESC + key;
  }
}
