package io.jgun.sea;

import io.jgun.json.JsNumber;
import io.jgun.json.Json;
import io.jgun.json.JsonText;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The JSON SEA reads and writes (docs/protocol.md §10.2): {@code JSON.parse} semantics for reading,
 * and two writers: the node relay's YSON order (object keys sorted by UTF-16 code units), which
 * jgun emits, and the browser's native {@code JSON.stringify} order, accepted when verifying. Also
 * WebCrypto's {@code TextEncoder} (lone surrogates become U+FFFD).
 */
final class SeaJson {
  private SeaJson() {}

  private static final int MAX_DEPTH = 256;

  /** Thrown for text that {@code JSON.parse} would refuse. */
  static final class NotJson extends Exception {
    private static final long serialVersionUID = 1L;

    NotJson(String why, int at) {
      super(why + " at " + at, null, false, false);
    }
  }

  /** The JSON text of {@code v} with object keys sorted by code unit, as YSON writes it. */
  static String sorted(Json v) {
    StringBuilder out = new StringBuilder();
    appendSorted(out, v);
    return out.toString();
  }

  private static void appendSorted(StringBuilder out, Json v) {
    if (v instanceof Json.Obj) {
      Map<String, Json> fields = new TreeMap<>(((Json.Obj) v).fields()); // String order = code units
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Json> e : fields.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        JsonText.appendQuoted(out, e.getKey());
        out.append(':');
        appendSorted(out, e.getValue());
      }
      out.append('}');
    } else if (v instanceof Json.Arr) {
      List<Json> items = ((Json.Arr) v).items();
      out.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendSorted(out, items.get(i));
      }
      out.append(']');
    } else {
      v.appendTo(out);
    }
  }

  /** True if some object inside {@code v} has keys whose JS order differs from sorted order. */
  static boolean orderMatters(Json v) {
    if (v instanceof Json.Obj) {
      String prev = null;
      for (Map.Entry<String, Json> e : ((Json.Obj) v).fields().entrySet()) {
        if (prev != null && prev.compareTo(e.getKey()) > 0) {
          return true;
        }
        prev = e.getKey();
        if (orderMatters(e.getValue())) {
          return true;
        }
      }
    } else if (v instanceof Json.Arr) {
      for (Json i : ((Json.Arr) v).items()) {
        if (orderMatters(i)) {
          return true;
        }
      }
    }
    return false;
  }

  /** SEA's text of a value it signs, hashes or encrypts: a string as is, anything else as JSON. */
  static String text(Json v) {
    return v instanceof Json.Str ? ((Json.Str) v).value() : sorted(v);
  }

  /**
   * SEA's parse step (docs/protocol.md §10.2): a {@code SEA{...}} string loses its prefix and is
   * parsed; any other string is parsed if it is JSON and kept otherwise; other values are returned
   * as they are.
   */
  static Json seaParse(Json v) {
    if (!(v instanceof Json.Str)) {
      return v;
    }
    String s = ((Json.Str) v).value();
    if (s.startsWith("SEA{")) {
      s = s.substring(3);
    }
    Json parsed = tryParse(s);
    return parsed != null ? parsed : v;
  }

  /** {@code JSON.parse(text)}, or null if it throws. */
  static @Nullable Json tryParse(String text) {
    try {
      return parse(text);
    } catch (NotJson e) {
      return null;
    }
  }

  /** {@code JSON.parse(text)}. */
  static Json parse(String text) throws NotJson {
    Parser p = new Parser(text);
    p.ws();
    Json v = p.value(0);
    p.ws();
    if (p.i != text.length()) {
      throw new NotJson("trailing characters", p.i);
    }
    return v;
  }

  /** UTF-8 as WebCrypto's {@code TextEncoder}: lone surrogates become U+FFFD (EF BF BD). */
  static byte[] utf8(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
    int len = s.length();
    for (int i = 0; i < len; i++) {
      int c = s.charAt(i);
      if (Character.isHighSurrogate((char) c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        c = Character.toCodePoint((char) c, s.charAt(++i));
      } else if (Character.isSurrogate((char) c)) {
        c = 0xFFFD;
      }
      if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      } else {
        out.write(0xF0 | (c >> 18));
        out.write(0x80 | ((c >> 12) & 0x3F));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    return out.toByteArray();
  }

  /** A strict JSON reader (ECMA-404, as {@code JSON.parse}). */
  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    Json value(int depth) throws NotJson {
      if (depth > MAX_DEPTH) {
        throw new NotJson("too deep", i);
      }
      if (i >= s.length()) {
        throw new NotJson("unexpected end", i);
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return Json.of(string());
        case 't':
          return literal("true", Json.TRUE);
        case 'f':
          return literal("false", Json.FALSE);
        case 'n':
          return literal("null", Json.NULL);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw new NotJson("unexpected character", i);
      }
    }

    Json literal(String word, Json v) throws NotJson {
      if (!s.startsWith(word, i)) {
        throw new NotJson("bad literal", i);
      }
      i += word.length();
      return v;
    }

    Json object(int depth) throws NotJson {
      i++; // {
      Map<String, Json> fields = new LinkedHashMap<>();
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return new Json.Obj(fields);
      }
      while (true) {
        ws();
        if (i >= s.length() || s.charAt(i) != '"') {
          throw new NotJson("expected a key", i);
        }
        String key = string();
        ws();
        expect(':');
        ws();
        Json v = value(depth + 1);
        if (!"__proto__".equals(key)) {
          fields.put(key, v); // a repeated key keeps its first place and its last value, as JS
        }
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect('}');
        return new Json.Obj(fields);
      }
    }

    Json array(int depth) throws NotJson {
      i++; // [
      List<Json> items = new ArrayList<>();
      ws();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return new Json.Arr(items);
      }
      while (true) {
        ws();
        items.add(value(depth + 1));
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect(']');
        return new Json.Arr(items);
      }
    }

    void expect(char c) throws NotJson {
      if (i >= s.length() || s.charAt(i) != c) {
        throw new NotJson("expected '" + c + "'", i);
      }
      i++;
    }

    String string() throws NotJson {
      i++; // "
      StringBuilder out = null;
      int start = i;
      while (true) {
        if (i >= s.length()) {
          throw new NotJson("unterminated string", i);
        }
        char c = s.charAt(i);
        if (c == '"') {
          String v = out == null ? s.substring(start, i) : out.append(s, start, i).toString();
          i++;
          return v;
        }
        if (c < 0x20) {
          throw new NotJson("control character in string", i);
        }
        if (c != '\\') {
          i++;
          continue;
        }
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(s, start, i);
        if (i + 1 >= s.length()) {
          throw new NotJson("bad escape", i);
        }
        char e = s.charAt(i + 1);
        i += 2;
        int simple = JsonText.escaped(e);
        if (simple >= 0) {
          out.append((char) simple);
          start = i;
          continue;
        }
        if (e != 'u') {
          throw new NotJson("bad escape", i);
        }
        if (i + 4 > s.length()) {
          throw new NotJson("bad unicode escape", i);
        }
        int code = 0;
        for (int k = 0; k < 4; k++) {
          int d = Character.digit(s.charAt(i + k), 16);
          if (d < 0) {
            throw new NotJson("bad unicode escape", i);
          }
          code = code * 16 + d;
        }
        out.append((char) code);
        i += 4;
        start = i;
      }
    }

    Json number() throws NotJson {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '0') {
        i++;
      } else if (!digits()) {
        throw new NotJson("bad number", start);
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        if (!digits()) {
          throw new NotJson("bad number", start);
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (!digits()) {
          throw new NotJson("bad number", start);
        }
      }
      double d = Double.parseDouble(s.substring(start, i)); // correctly rounded, as JS
      // JSON.parse yields Infinity for 1e400, which JSON.stringify writes as null.
      return Double.isFinite(d) ? Json.of(d) : Json.NULL;
    }

    boolean digits() {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return i > start;
    }
  }

  /** {@code String(v)} of a JSON number, as JS prints it. */
  static String number(double d) {
    return JsNumber.format(d);
  }
}
