package io.jgun.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.JsNumber;
import io.jgun.json.JsonText;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code put} of a message straight from the parser into a {@link Graph}, validating it
 * with Gun.js's rules and words (docs/protocol.md §1.2, §3.3; root.js {@code put} and valid.js):
 *
 * <ul>
 *   <li>per soul, in JavaScript key order: the node must be an object ({@code no node.} when
 *       falsy, else {@code no meta.}), have a {@code _} ({@code no meta.} when absent or falsy),
 *       {@code _['#']} equal to the soul ({@code soul not same.}), and {@code _['>']} an object
 *       ({@code no state.});
 *   <li>per field except {@code _}, in JavaScript key order: a state that is a finite number
 *       ({@code no state.}) and a valid value ({@code bad <typeof> '<String(v), 9 chars>...' }).
 * </ul>
 *
 * <p>Texts are Gun.js's: {@code Error: Invalid graph! '<soul, 9 chars>...' <reason>} for node
 * errors and {@code Error: Invalid graph! '<key>...' on '<soul>...' <reason>} for field errors.
 * jgun is stricter than Gun.js in three ways, all documented in the package: the first error
 * rejects the whole put (Gun.js may already have applied earlier fields), a state must be a finite
 * number (Gun.js only requires it to be present), and an empty soul is an error ({@code no soul.};
 * Gun.js silently stops at it).
 */
final class GraphReader {
  private GraphReader() {}

  static final String ERR = "Error: Invalid graph!";

  /** The put read: either a graph, or the reason it was rejected, or neither (put absent). */
  record Result(@Nullable Graph graph, @Nullable String error) {}

  static final Result ABSENT = new Result(null, null);

  /** Reads the put whose first token is {@code t}, consuming all of it. */
  static Result read(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return ABSENT;
    }
    if (t != JsonToken.START_OBJECT) {
      JsonReading.skip(p, t);
      return new Result(null, ERR + " put is not an object.");
    }
    // All nodes are read before any is judged: Gun.js reports the first error in JavaScript key
    // order, which puts integer-like souls first whatever their position in the text.
    Map<String, Object> nodes = new LinkedHashMap<>(); // soul -> Node, or String reason text
    while (JsonReading.nextName(p)) {
      String soul = p.currentName();
      nodes.put(soul, readNode(p, p.nextToken(), soul));
    }
    Map<String, Object> ordered = JsonText.jsOrder(nodes);
    Map<String, Node> graph = new LinkedHashMap<>(ordered.size() * 2);
    for (Map.Entry<String, Object> e : ordered.entrySet()) {
      Object n = e.getValue();
      if (n instanceof String) {
        return new Result(null, (String) n);
      }
      graph.put(e.getKey(), (Node) n);
    }
    return new Result(new Graph(graph), null);
  }

  /** A node, or the error text that rejects it. */
  private static Object readNode(JsonParser p, JsonToken t, String soul) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      boolean falsy = JsonReading.falsy(p, t);
      JsonReading.skip(p, t);
      return soul.isEmpty() ? nodeError(soul, "no soul.") : nodeError(soul, falsy ? "no node." : "no meta.");
    }
    Map<String, Object> values = new LinkedHashMap<>(); // key -> Value, or Bad
    Meta meta = null;
    while (JsonReading.nextName(p)) {
      String key = p.currentName();
      JsonToken vt = p.nextToken();
      if ("_".equals(key)) {
        meta = readMeta(p, vt); // a repeated "_" replaces the earlier one, as in JSON.parse
      } else {
        values.put(key, readValue(p, vt));
      }
    }
    if (soul.isEmpty()) {
      return nodeError(soul, "no soul.");
    }
    if (meta == null || meta.kind == Kind.FALSY) {
      return nodeError(soul, "no meta.");
    }
    // A truthy `_` that is not an object has no '#': Gun.js says "soul not same."
    if (meta.kind == Kind.OTHER || !soul.equals(meta.soul)) {
      return nodeError(soul, "soul not same.");
    }
    if (meta.states == null) {
      return nodeError(soul, "no state.");
    }
    Map<String, Field> fields = new LinkedHashMap<>(values.size() * 2);
    for (Map.Entry<String, Object> e : JsonText.jsOrder(values).entrySet()) {
      String key = e.getKey();
      Double state = meta.states.get(key);
      if (state == null || state.isNaN()) {
        return fieldError(key, soul, "no state.");
      }
      Object v = e.getValue();
      if (v instanceof Bad) {
        Bad bad = (Bad) v;
        return fieldError(key, soul, "bad " + bad.type + cut(bad.text));
      }
      fields.put(key, new Field((Value) v, state));
    }
    return new Node(soul, fields);
  }

  private enum Kind {
    FALSY,
    OTHER,
    OBJECT
  }

  /** What {@code _} held: its kind, its {@code #} if a string, its states if {@code >} is an object. */
  private static final class Meta {
    final Kind kind;
    @Nullable String soul;
    @Nullable Map<String, Double> states; // NaN: present but not a finite number

    Meta(Kind kind) {
      this.kind = kind;
    }
  }

  private static final Meta FALSY_META = new Meta(Kind.FALSY);
  private static final Meta OTHER_META = new Meta(Kind.OTHER);

  private static Meta readMeta(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      boolean falsy = JsonReading.falsy(p, t);
      JsonReading.skip(p, t);
      return falsy ? FALSY_META : OTHER_META;
    }
    Meta meta = new Meta(Kind.OBJECT);
    while (JsonReading.nextName(p)) {
      String key = p.currentName();
      JsonToken vt = p.nextToken();
      if ("#".equals(key)) {
        meta.soul = vt == JsonToken.VALUE_STRING ? p.getText() : null;
        JsonReading.skip(p, vt);
      } else if (">".equals(key)) {
        meta.states = vt == JsonToken.START_OBJECT ? readStates(p) : null;
        if (meta.states == null) {
          JsonReading.skip(p, vt);
        }
      } else {
        JsonReading.skip(p, vt);
      }
    }
    return meta;
  }

  private static Map<String, Double> readStates(JsonParser p) throws IOException {
    Map<String, Double> states = new HashMap<>();
    while (JsonReading.nextName(p)) {
      String key = p.currentName();
      JsonToken vt = p.nextToken();
      double state = Double.NaN;
      if (vt == JsonToken.VALUE_NUMBER_INT || vt == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = JsonReading.number(p);
        if (Double.isFinite(d)) {
          state = d;
        }
      } else {
        JsonReading.skip(p, vt);
      }
      states.put(key, state);
    }
    return states;
  }

  /** An invalid field value: its JavaScript {@code typeof} and the start of its {@code String()}. */
  private static final class Bad {
    final String type;
    final String text;

    Bad(String type, String text) {
      this.type = type;
      this.text = text;
    }
  }

  private static final Bad BAD_OBJECT = new Bad("object", "[object Object]");
  private static final int CUT = 9;

  /** A field value (docs/protocol.md §1.2): a {@link Value}, or a {@link Bad} saying why it is not one. */
  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_STRING:
        return Value.text(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        {
          double d = JsonReading.number(p);
          return Double.isFinite(d) ? Value.number(d) : new Bad("number", JsNumber.format(d));
        }
      case VALUE_TRUE:
        return Value.bool(true);
      case VALUE_FALSE:
        return Value.bool(false);
      case VALUE_NULL:
        return Value.NULL;
      case START_OBJECT:
        return readLink(p);
      case START_ARRAY:
        {
          StringBuilder text = new StringBuilder(CUT);
          JsonReading.appendJsString(p, t, text, CUT, false);
          return new Bad("object", text.toString());
        }
      default:
        JsonReading.skip(p, t);
        return BAD_OBJECT;
    }
  }

  /** A link: an object with exactly one key, {@code #}, a non-empty string (valid.js). */
  private static Object readLink(JsonParser p) throws IOException {
    String soul = null;
    boolean other = false;
    while (JsonReading.nextName(p)) {
      String key = p.currentName();
      JsonToken vt = p.nextToken();
      if ("#".equals(key)) {
        soul = vt == JsonToken.VALUE_STRING ? p.getText() : null; // the last "#" wins
      } else {
        other = true;
      }
      JsonReading.skip(p, vt);
    }
    return !other && soul != null && !soul.isEmpty() ? Value.link(soul) : BAD_OBJECT;
  }

  private static String nodeError(String soul, String reason) {
    return ERR + cut(soul) + reason;
  }

  private static String fieldError(String key, String soul, String reason) {
    return ERR + cut(key) + "on" + cut(soul) + reason;
  }

  /** Gun.js's {@code cut}: the first 9 UTF-16 units, quoted, with an ellipsis and spaces around. */
  private static String cut(String s) {
    return " '" + (s.length() > CUT ? s.substring(0, CUT) : s) + "...' ";
  }
}
