package io.jgun.postgres;

import io.jgun.graph.Value;
import org.jspecify.annotations.Nullable;

/**
 * A field value in its two columns: {@code val}, the {@code JSON.stringify} text (UTF-16BE, {@link
 * Utf16}) that HAM's equal-state tie-break compares, and {@code num}, the number itself for a number
 * (the text of {@code -0} is {@code 0}, so the text alone would lose it), else SQL NULL.
 * JSON text never holds a lone surrogate or a control character ({@link
 * io.jgun.json.JsonText#quote} escapes them), so decoding needs only the escapes that quote writes.
 */
final class ValueCodec {
  private ValueCodec() {}

  static byte[] val(Value v) {
    return Utf16.encode(v.json());
  }

  static @Nullable Double num(Value v) {
    return v instanceof Value.Number ? ((Value.Number) v).value() : null;
  }

  /** The value stored as {@code val} and {@code num} (null unless a number). */
  static Value decode(byte[] val, @Nullable Double num) {
    if (num != null) {
      return Value.number(num);
    }
    String json = Utf16.decode(val);
    switch (json) {
      case "null":
        return Value.NULL;
      case "true":
        return Value.bool(true);
      case "false":
        return Value.bool(false);
      default:
        break;
    }
    if (json.startsWith("\"")) {
      return Value.text(unquote(json, 0, json.length()));
    }
    String linkStart = "{\"#\":";
    if (json.startsWith(linkStart) && json.endsWith("}")) {
      return Value.link(unquote(json, linkStart.length(), json.length() - 1));
    }
    throw new IllegalArgumentException("not a stored value: " + json);
  }

  /** The string quoted in {@code json[from, to)}, as {@link io.jgun.json.JsonText#quote} wrote it. */
  static String unquote(String json, int from, int to) {
    if (to - from < 2 || json.charAt(from) != '"' || json.charAt(to - 1) != '"') {
      throw new IllegalArgumentException("not a JSON string: " + json.substring(from, to));
    }
    StringBuilder out = new StringBuilder(to - from - 2);
    for (int i = from + 1; i < to - 1; i++) {
      char c = json.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = json.charAt(++i);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
          break;
        default:
          throw new IllegalArgumentException("bad escape \\" + e + " in " + json.substring(from, to));
      }
    }
    return out.toString();
  }
}
