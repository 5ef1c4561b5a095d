package io.jgun.wire;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jgun.json.Json;
import io.jgun.json.JsNumber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Small helpers over Jackson's streaming parser shared by the message and graph readers. Every
 * method starts at a value's first token (already read) and leaves the parser on its last token.
 * Recursion is bounded by the parser's nesting limit, which Jackson checks before a container's
 * first token is returned.
 */
final class JsonReading {
  private JsonReading() {}

  /** The value starting at {@code t} as a {@link Json} tree. */
  static Json readValue(JsonParser p, @Nullable JsonToken t) throws IOException {
    if (t == null) {
      throw new JsonParseException(p, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT:
        return readObject(p);
      case START_ARRAY:
        {
          List<Json> items = new ArrayList<>();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            items.add(readValue(p, e));
          }
          return new Json.Arr(items);
        }
      case VALUE_STRING:
        return Json.of(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        {
          double d = number(p);
          // JSON.parse turns a literal like 1e400 into Infinity, which JSON.stringify writes as
          // null: forwarding null is what a Gun.js peer would do.
          return Double.isFinite(d) ? Json.of(d) : Json.NULL;
        }
      case VALUE_TRUE:
        return Json.TRUE;
      case VALUE_FALSE:
        return Json.FALSE;
      case VALUE_NULL:
        return Json.NULL;
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /** The object whose START_OBJECT was just read. Duplicate keys keep the last value. */
  static Json.Obj readObject(JsonParser p) throws IOException {
    Map<String, Json> fields = new LinkedHashMap<>();
    while (nextName(p)) {
      String name = p.currentName();
      fields.put(name, readValue(p, p.nextToken()));
    }
    return new Json.Obj(fields);
  }

  /**
   * Moves to the next key of the current object: true on a key (the parser is on it), false at
   * the object's end.
   */
  static boolean nextName(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.FIELD_NAME) {
      return true;
    }
    if (t == JsonToken.END_OBJECT) {
      return false;
    }
    throw new JsonParseException(p, "unexpected token " + t);
  }

  /** Skips the value starting at {@code t}, containers included. */
  static void skip(JsonParser p, @Nullable JsonToken t) throws IOException {
    if (t == null) {
      throw new JsonParseException(p, "unexpected end of input");
    }
    if (t.isStructStart()) {
      p.skipChildren();
    }
  }

  /**
   * The current number token as JavaScript's {@code JSON.parse} reads it: the nearest double
   * (Infinity when out of range), with -0 read as 0 (they print the same and compare equal).
   */
  static double number(JsonParser p) throws IOException {
    return p.getDoubleValue() + 0.0;
  }

  /**
   * JavaScript's falsiness of the scalar at {@code t}: {@code null}, {@code false}, {@code 0} and
   * {@code ""}. Containers are truthy. Does not move the parser.
   */
  static boolean falsy(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NULL:
      case VALUE_FALSE:
        return true;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue() == 0;
      case VALUE_STRING:
        return p.getTextLength() == 0;
      default:
        return false;
    }
  }

  /**
   * Appends JavaScript's {@code String(v)} of the value at {@code t} (an array joins its elements
   * with commas, null elements as empty, objects as {@code [object Object]}), consuming the value
   * but appending only while {@code out} is shorter than {@code cap}: Gun.js quotes at most the
   * first 9 characters in its error texts.
   */
  static void appendJsString(JsonParser p, JsonToken t, StringBuilder out, int cap, boolean inArray)
      throws IOException {
    switch (t) {
      case START_OBJECT:
        p.skipChildren();
        append(out, "[object Object]", cap);
        return;
      case START_ARRAY:
        {
          boolean first = true;
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == null) {
              throw new JsonParseException(p, "unexpected end of input");
            }
            if (!first) {
              append(out, ",", cap);
            }
            first = false;
            appendJsString(p, e, out, cap, true);
          }
          return;
        }
      case VALUE_STRING:
        append(out, p.getText(), cap);
        return;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        if (out.length() < cap) {
          append(out, JsNumber.format(number(p)), cap);
        }
        return;
      case VALUE_TRUE:
        append(out, "true", cap);
        return;
      case VALUE_FALSE:
        append(out, "false", cap);
        return;
      case VALUE_NULL:
        if (!inArray) {
          append(out, "null", cap);
        }
        return;
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  private static void append(StringBuilder out, String s, int cap) {
    int room = cap - out.length();
    if (room > 0) {
      out.append(s, 0, Math.min(room, s.length()));
    }
  }
}
