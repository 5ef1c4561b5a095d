package io.jgun.graph;

import io.jgun.json.JsNumber;
import io.jgun.json.JsonText;
import java.util.Objects;

/**
 * A field value of a GUN node (docs/protocol.md §1.2): a string, a finite number, a boolean, {@code
 * null} (the tombstone of a deleted field) or a link to another node. Nothing else is valid on the
 * wire.
 */
public sealed interface Value {

  /** The tombstone of a deleted field. */
  Value NULL = new Null();

  /** The {@code JSON.stringify} text of this value, used by HAM's equal-state tie-break (§2.2). */
  String json();

  static Value text(String s) {
    return new Text(s);
  }

  /** A number value; throws {@link IllegalArgumentException} for NaN and infinities. */
  static Value number(double d) {
    return new Number(d);
  }

  static Value bool(boolean b) {
    return b ? Bool.TRUE : Bool.FALSE;
  }

  static Value link(String soul) {
    return new Link(soul);
  }

  /** A string value (any string, including the empty one). */
  record Text(String value) implements Value {
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String json() {
      return JsonText.quote(value);
    }
  }

  /** A finite number. {@code -0} is kept as a double but prints as {@code 0}, as in JavaScript. */
  record Number(double value) implements Value {
    public Number {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("not a finite number: " + value);
      }
    }

    @Override
    public String json() {
      return JsNumber.format(value);
    }

    @Override
    public boolean equals(Object o) {
      // JavaScript ===: -0 equals 0 (and NaN never occurs here)
      return o instanceof Number && ((Number) o).value == value;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(value == 0 ? 0.0 : value);
    }
  }

  /** A boolean. */
  record Bool(boolean value) implements Value {
    static final Bool TRUE = new Bool(true);
    static final Bool FALSE = new Bool(false);

    @Override
    public String json() {
      return value ? "true" : "false";
    }
  }

  /** The tombstone: the field was deleted ({@code put(null)}). Use {@link Value#NULL}. */
  final class Null implements Value {
    private Null() {}

    @Override
    public String json() {
      return "null";
    }

    @Override
    public String toString() {
      return "null";
    }
  }

  /** A link (relation) to the node with the given soul: {@code {"#": soul}} on the wire. */
  record Link(String soul) implements Value {
    public Link {
      Objects.requireNonNull(soul, "soul");
      if (soul.isEmpty()) {
        throw new IllegalArgumentException("a link needs a non-empty soul");
      }
    }

    @Override
    public String json() {
      return "{\"#\":" + JsonText.quote(soul) + "}";
    }
  }
}
