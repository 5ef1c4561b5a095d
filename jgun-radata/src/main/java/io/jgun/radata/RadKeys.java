package io.jgun.radata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * RAD keys and file names (docs/protocol.md §11.1, §11.2): the key of a field is {@code soul + ESC
 * + field}; a data file is named {@code encodeURIComponent(firstKey)} with {@code *} also escaped.
 */
final class RadKeys {
  private RadKeys() {}

  /** The separator between soul and field in a RAD key. */
  static final char ESC = '\u001b';

  /** The name of the first data file (radisk's {@code opt.code.from}). */
  static final String FIRST_FILE = "!";

  /** The name on disk of the directory index: {@code encodeURIComponent("\x1C")}. */
  static final String INDEX_FILE = "%1C";

  /**
   * Why {@code key} is not {@code soul ESC field} with both parts non-empty, or null when it is.
   */
  static @Nullable String keyProblem(String key) {
    int esc = key.indexOf(ESC);
    if (esc < 0) {
      return "no ESC between soul and field";
    }
    if (key.indexOf(ESC, esc + 1) >= 0) {
      return "more than one ESC (souls and fields cannot contain ESC)";
    }
    if (esc == 0) {
      return "empty soul";
    }
    if (esc == key.length() - 1) {
      return "empty field name";
    }
    return null;
  }

  /**
   * radisk's {@code ename}: {@code encodeURIComponent(name)} with {@code *} as {@code %2A}; null
   * when the name holds a lone surrogate ({@code encodeURIComponent} throws then).
   */
  static @Nullable String fileName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return null;
      }
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    StringBuilder s = new StringBuilder(bytes.length + 8);
    for (byte value : bytes) {
      int b = value & 0xff;
      if (unreserved(b)) {
        s.append((char) b);
      } else {
        s.append('%').append(HEX[b >> 4]).append(HEX[b & 15]);
      }
    }
    return s.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** {@code encodeURIComponent}'s unreserved set, minus {@code *} (radisk escapes it). */
  private static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '!'
        || c == '~'
        || c == '\''
        || c == '('
        || c == ')';
  }

  /**
   * JavaScript's {@code decodeURIComponent}: {@code %XX} runs decoded as UTF-8, everything else
   * kept (unlike {@link java.net.URLDecoder}, {@code +} stays a plus). Null when JavaScript would
   * throw a {@code URIError} (a bad escape or invalid UTF-8).
   */
  static @Nullable String decodeFileName(String name) {
    if (name.indexOf('%') < 0) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length());
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      run.reset();
      while (i < name.length() && name.charAt(i) == '%') {
        if (i + 2 >= name.length()) {
          return null;
        }
        int hi = Character.digit(name.charAt(i + 1), 16);
        int lo = Character.digit(name.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        run.write(hi << 4 | lo);
        i += 3;
      }
      try {
        out.append(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(run.toByteArray())));
      } catch (CharacterCodingException e) {
        return null;
      }
    }
    return out.toString();
  }
}
