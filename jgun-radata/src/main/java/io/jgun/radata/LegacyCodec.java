package io.jgun.radata;

import io.jgun.json.Json;
import io.jgun.json.JsonText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The separator-framed encoding of v0.2019 RAD (docs/protocol.md §11.3), used with {@code \x1F} for
 * the records of a text file and with ESC for the {@code value>state} leaves of that era.
 *
 * <p>A field is {@code sep×n type body sep}: the separator is repeated once more for each separator
 * inside the body, so the body ends at the n-th separator after the type character. Types: {@code
 * "} string, {@code #} link, {@code +} number ({@code true} when the body is empty), {@code -}
 * false, space null.
 */
final class LegacyCodec {
  private LegacyCodec() {}

  /** The record separator of v0.2019 text files. */
  static final char UNIT_SEPARATOR = '\u001f';

  /**
   * A framed field found in a text.
   *
   * @param before the text between the search start and the field's first separator
   * @param type the type character
   * @param body the text of the field
   * @param end the index just after the field
   */
  record Framed(String before, char type, String body, int end) {}

  /** A field that could not be decoded. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /**
   * The next framed field at or after {@code from}, null when no separator follows.
   *
   * @throws Malformed when a separator run is not followed by a type and a closing separator
   */
  static @Nullable Framed next(String text, int from, char sep) throws Malformed {
    int start = text.indexOf(sep, from);
    if (start < 0) {
      return null;
    }
    int j = start;
    int n = 0;
    while (j < text.length() && text.charAt(j) == sep) {
      n++;
      j++;
    }
    if (j >= text.length()) {
      throw new Malformed("a field at character " + start + " has no type");
    }
    int k = j;
    for (int c = 0; c < n; c++) {
      k = text.indexOf(sep, k + 1);
      if (k < 0) {
        throw new Malformed("the field at character " + start + " is not closed");
      }
    }
    return new Framed(text.substring(from, start), text.charAt(j), text.substring(j + 1, k), k + 1);
  }

  /**
   * The value of a whole framed text ({@code Radisk.decode} of one field, e.g. {@code
   * \x1B+29\x1B}): the text must start with the separator; a missing closing separator ends the
   * body at the end of the text, as Gun.js does.
   */
  static Json decodeWhole(String text, char sep) throws Malformed {
    if (text.isEmpty() || text.charAt(0) != sep) {
      throw new Malformed("not a framed value: " + shorten(text));
    }
    int j = 0;
    int n = 0;
    while (j < text.length() && text.charAt(j) == sep) {
      n++;
      j++;
    }
    if (j >= text.length()) {
      throw new Malformed("a framed value without type");
    }
    int k = j;
    for (int c = 0; c < n && k >= 0; c++) {
      k = text.indexOf(sep, k + 1);
    }
    if (k < 0) {
      k = text.length();
    }
    return typed(text.charAt(j), text.substring(j + 1, k));
  }

  /** The value of a field with the given type character and body. */
  static Json typed(char type, String body) throws Malformed {
    switch (type) {
      case '"':
        return Json.of(body);
      case '#':
        {
          Map<String, Json> link = new LinkedHashMap<>();
          link.put("#", Json.of(body));
          return new Json.Obj(link);
        }
      case '+':
        return body.isEmpty() ? Json.TRUE : Json.of(parseFloat(body));
      case '-':
        return Json.FALSE;
      case ' ':
        return Json.NULL;
      default:
        throw new Malformed("unknown field type " + shorten(String.valueOf(type)));
    }
  }

  private static final Pattern JS_FLOAT =
      Pattern.compile("^[+-]?(?:Infinity|(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)");

  /** JavaScript's {@code parseFloat}, restricted to finite results. */
  static double parseFloat(String s) throws Malformed {
    Matcher m = JS_FLOAT.matcher(s.stripLeading());
    if (!m.find()) {
      throw new Malformed("not a number: " + shorten(s));
    }
    String g = m.group();
    double d = g.endsWith("Infinity") ? Double.POSITIVE_INFINITY : Double.parseDouble(g);
    if (!Double.isFinite(d)) {
      throw new Malformed("the number " + shorten(s) + " is out of range");
    }
    return d + 0.0;
  }

  static String shorten(String s) {
    return JsonText.quote(s.length() > 60 ? s.substring(0, 60) + "…" : s);
  }
}
