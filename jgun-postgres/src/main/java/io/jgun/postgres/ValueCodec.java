package io.jgun.postgres;

import io.jgun.graph.Value;
import io.jgun.json.JsonText;
import org.jspecify.annotations.Nullable;

/**
 * A field value in its two columns: {@code val}, the {@code JSON.stringify} text (UTF-16BE, {@link
 * Utf16}) that HAM's equal-state tie-break compares, and {@code num}, the number itself for a number
 * (the text of {@code -0} is {@code 0}, so the text alone would lose it), else SQL NULL.
 * JSON text never holds a lone surrogate or a control character ({@link
 * io.jgun.json.JsonText#quote} escapes them), so {@link JsonText#unquote} decodes it.
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
      return Value.text(JsonText.unquote(json, 0, json.length()));
    }
    String linkStart = "{\"#\":";
    if (json.startsWith(linkStart) && json.endsWith("}")) {
      return Value.link(JsonText.unquote(json, linkStart.length(), json.length() - 1));
    }
    throw new IllegalArgumentException("not a stored value: " + json);
  }
}
