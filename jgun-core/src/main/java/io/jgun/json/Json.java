package io.jgun.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed JSON value, kept for the parts of a message jgun does not interpret (unknown fields,
 * {@code ok}, {@code err}, {@code %}) so that they can be forwarded unchanged.
 *
 * <p>Serialization ({@link #toJs()}) is JavaScript's {@code JSON.stringify}: numbers formatted by
 * {@link JsNumber}, strings escaped by {@link JsonText}, and object keys in JavaScript's property
 * order (integer-like keys first in ascending numeric order, then the others in insertion order),
 * which is the order a Gun.js peer would produce after parsing the same text.
 */
public sealed interface Json {

  /** Appends this value's {@code JSON.stringify} text to {@code out}. */
  void appendTo(StringBuilder out);

  /** This value's {@code JSON.stringify} text. */
  default String toJs() {
    StringBuilder out = new StringBuilder();
    appendTo(out);
    return out.toString();
  }

  /**
   * This value as plain Java data, the inverse of {@link #fromPlain}: a {@code String}, a {@code
   * Long} for an integral number within ±2^53 (else a {@code Double}), a {@code Boolean}, null, an
   * ordered {@code Map<String, Object>} or a {@code List<Object>} (both unmodifiable).
   */
  default @Nullable Object toPlain() {
    if (this instanceof Str s) {
      return s.value();
    }
    if (this instanceof Num n) {
      double d = n.value();
      return d == Math.rint(d) && Math.abs(d) <= 9007199254740992d ? (Object) (long) d : (Object) d;
    }
    if (this instanceof Bool b) {
      return b.value();
    }
    if (this instanceof Arr a) {
      List<@Nullable Object> out = new ArrayList<>();
      a.items().forEach(j -> out.add(j.toPlain()));
      return Collections.unmodifiableList(out);
    }
    if (this instanceof Obj o) {
      Map<String, @Nullable Object> out = new LinkedHashMap<>();
      o.fields().forEach((k, j) -> out.put(k, j.toPlain()));
      return Collections.unmodifiableMap(out);
    }
    return null;
  }

  /** JSON {@code null}. */
  Json NULL = new Null();

  /** JSON {@code true}. */
  Json TRUE = new Bool(true);

  /** JSON {@code false}. */
  Json FALSE = new Bool(false);

  static Json of(String s) {
    return new Str(s);
  }

  static Json of(double d) {
    return new Num(d);
  }

  static Json of(boolean b) {
    return b ? TRUE : FALSE;
  }

  /**
   * Plain Java data as JSON: a {@code String}, a finite {@code Number} (as the double JavaScript
   * would hold), a {@code Boolean}, null, a {@code Map} with string keys, or a {@code List} of these
   * (a {@link Json} stays as it is). So that printing {@code fromPlain(data).toJs()} gives what
   * {@code JSON.stringify} prints ({@code 1e+21}, not Java's {@code 1.0E21}).
   *
   * @throws IllegalArgumentException for anything else (a non-finite number, a key that is not a
   *     string, another type), naming it
   */
  static Json fromPlain(@Nullable Object value) {
    if (value == null) {
      return NULL;
    }
    if (value instanceof Json j) {
      return j;
    }
    if (value instanceof String s) {
      return of(s);
    }
    if (value instanceof Boolean b) {
      return of(b.booleanValue());
    }
    if (value instanceof Number n) {
      return of(n.doubleValue());
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Json> fields = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException("not a JSON object key: " + e.getKey());
        }
        fields.put(k, fromPlain(e.getValue()));
      }
      return new Obj(fields);
    }
    if (value instanceof List<?> l) {
      List<Json> items = new ArrayList<>();
      for (Object o : l) {
        items.add(fromPlain(o));
      }
      return new Arr(items);
    }
    throw new IllegalArgumentException("not plain JSON data: a " + value.getClass().getName());
  }

  /** A JSON string. */
  record Str(String value) implements Json {
    /** The {@code JSON.stringify} text, as for every {@link Json}. */
    @Override
    public String toString() {
      return toJs();
    }

    public Str {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public void appendTo(StringBuilder out) {
      JsonText.appendQuoted(out, value);
    }
  }

  /** A finite JSON number (JSON has no NaN or infinity). */
  record Num(double value) implements Json {
    /** The {@code JSON.stringify} text, as for every {@link Json}. */
    @Override
    public String toString() {
      return toJs();
    }

    public Num {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("not a finite number: " + value);
      }
    }

    @Override
    public void appendTo(StringBuilder out) {
      JsNumber.appendTo(out, value);
    }
  }

  /** A JSON boolean. */
  record Bool(boolean value) implements Json {
    /** The {@code JSON.stringify} text, as for every {@link Json}. */
    @Override
    public String toString() {
      return toJs();
    }

    @Override
    public void appendTo(StringBuilder out) {
      out.append(value ? "true" : "false");
    }
  }

  /** JSON {@code null}. Use {@link Json#NULL}. */
  final class Null implements Json {
    private Null() {}

    @Override
    public void appendTo(StringBuilder out) {
      out.append("null");
    }

    @Override
    public String toString() {
      return "null";
    }
  }

  /** A JSON array. */
  record Arr(List<Json> items) implements Json {
    /** The {@code JSON.stringify} text, as for every {@link Json}. */
    @Override
    public String toString() {
      return toJs();
    }

    public Arr {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public void appendTo(StringBuilder out) {
      out.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        items.get(i).appendTo(out);
      }
      out.append(']');
    }
  }

  /**
   * A JSON object. Duplicate keys keep the last value (as {@code JSON.parse} does); iteration order
   * is JavaScript's property order.
   */
  record Obj(Map<String, Json> fields) implements Json {
    /** The {@code JSON.stringify} text, as for every {@link Json}. */
    @Override
    public String toString() {
      return toJs();
    }

    public Obj {
      fields = Collections.unmodifiableMap(JsonText.jsOrder(fields));
    }

    public static Obj empty() {
      return new Obj(new LinkedHashMap<>());
    }

    /** The value of {@code key}, or null when this object has no such key. */
    public @Nullable Json get(String key) {
      return fields.get(key);
    }

    @Override
    public void appendTo(StringBuilder out) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Json> e : fields.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        JsonText.appendQuoted(out, e.getKey());
        out.append(':');
        e.getValue().appendTo(out);
      }
      out.append('}');
    }
  }
}
