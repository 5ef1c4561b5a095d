package io.jgun.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JavaScript's {@code JSON.stringify} string escaping and property order. */
public final class JsonText {
  private JsonText() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The {@code JSON.stringify} text of the string {@code s}, quotes included. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    appendQuoted(out, s);
    return out.toString();
  }

  /**
   * The string quoted in {@code json[from, to)}, as {@link #quote} wrote it (the inverse of quote;
   * any JSON string escape is read).
   */
  public static String unquote(String json, int from, int to) {
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
      int simple = escaped(e);
      if (simple >= 0) {
        out.append((char) simple);
      } else if (e == 'u') {
        out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
        i += 4;
      } else {
        throw new IllegalArgumentException("bad escape \\" + e + " in " + json.substring(from, to));
      }
    }
    return out.toString();
  }

  /**
   * The character the JSON escape of {@code e} (a backslash, then {@code e}) stands for; -1 when
   * {@code e} is {@code u} (four hex digits follow) or makes no escape.
   */
  public static int escaped(char e) {
    switch (e) {
      case '"':
      case '\\':
      case '/':
        return e;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return -1;
    }
  }

  /**
   * Appends {@code s} quoted and escaped as {@code JSON.stringify} does (ES2019 well-formed): only
   * {@code "}, {@code \}, control characters below 0x20 and lone surrogates are escaped; {@code /}
   * and other non-ASCII characters are not.
   */
  public static void appendQuoted(StringBuilder out, String s) {
    out.append('"');
    int len = s.length();
    int start = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      String esc = null;
      boolean lone = false;
      if (c < 0x20 || c == '"' || c == '\\') {
        switch (c) {
          case '"':
            esc = "\\\"";
            break;
          case '\\':
            esc = "\\\\";
            break;
          case '\b':
            esc = "\\b";
            break;
          case '\f':
            esc = "\\f";
            break;
          case '\n':
            esc = "\\n";
            break;
          case '\r':
            esc = "\\r";
            break;
          case '\t':
            esc = "\\t";
            break;
          default:
            lone = true; // other control characters: \\u00XX
        }
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++; // a well-formed pair is written as is
          continue;
        }
        lone = true;
      } else {
        continue;
      }
      out.append(s, start, i);
      if (esc != null) {
        out.append(esc);
      } else if (lone) {
        out.append("\\u")
            .append(HEX[(c >> 12) & 0xF])
            .append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF])
            .append(HEX[c & 0xF]);
      }
      start = i + 1;
    }
    out.append(s, start, len);
    out.append('"');
  }

  /**
   * True if JavaScript treats {@code key} as an array index, which places it before all other keys
   * of an object, in ascending numeric order: "0" or a decimal without leading zero below 2^32-1.
   */
  public static boolean isArrayIndex(String key) {
    int len = key.length();
    if (len == 0 || len > 10) {
      return false;
    }
    char first = key.charAt(0);
    if (first == '0') {
      return len == 1;
    }
    long v = 0;
    for (int i = 0; i < len; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      v = v * 10 + (c - '0');
    }
    return v < 0xFFFFFFFFL;
  }

  /**
   * A copy of {@code fields} in JavaScript's property order: array-index keys ascending, then the
   * rest in their given order. Returns {@code fields} itself when it already is in that order.
   */
  public static <V> Map<String, V> jsOrder(Map<String, V> fields) {
    boolean seenOther = false;
    boolean needsSort = false;
    long lastIndex = -1;
    for (String k : fields.keySet()) {
      if (isArrayIndex(k)) {
        long v = Long.parseLong(k); // at most 10 digits: no overflow
        if (seenOther || v < lastIndex) {
          needsSort = true;
          break;
        }
        lastIndex = v;
      } else {
        seenOther = true;
      }
    }
    if (!needsSort) {
      return fields instanceof LinkedHashMap ? fields : new LinkedHashMap<>(fields);
    }
    List<String> indexKeys = new ArrayList<>();
    for (String k : fields.keySet()) {
      if (isArrayIndex(k)) {
        indexKeys.add(k);
      }
    }
    indexKeys.sort(JsonText::compareIndices);
    Map<String, V> out = new LinkedHashMap<>();
    for (String k : indexKeys) {
      out.put(k, fields.get(k));
    }
    for (Map.Entry<String, V> e : fields.entrySet()) {
      if (!isArrayIndex(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /**
   * The order of keys in the canonical (sorted) form used by the {@code ##} hash: JavaScript's
   * {@code Object.keys(v).sort()} re-inserted into an object, so array-index keys come first,
   * numerically, then the rest in UTF-16 code unit order.
   */
  public static int compareCanonical(String a, String b) {
    boolean ai = isArrayIndex(a);
    boolean bi = isArrayIndex(b);
    if (ai && bi) {
      return compareIndices(a, b);
    }
    if (ai != bi) {
      return ai ? -1 : 1;
    }
    return a.compareTo(b); // String.compareTo is UTF-16 code unit order
  }

  /** Numeric order of two array-index keys: they have no leading zeros, so shorter is smaller. */
  private static int compareIndices(String a, String b) {
    int byLength = Integer.compare(a.length(), b.length());
    return byLength != 0 ? byLength : a.compareTo(b);
  }
}
