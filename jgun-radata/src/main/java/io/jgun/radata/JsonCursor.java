package io.jgun.radata;

import org.jspecify.annotations.Nullable;

/**
 * A pull reader of JSON text with JavaScript's {@code JSON.parse} grammar and values, for RAD
 * files.
 *
 * <p>Why not Jackson: RAD keys are split into radix edges at arbitrary UTF-16 code units, so an
 * edge label can end inside a surrogate pair, and {@code JSON.stringify} writes such a label with a
 * lone {@code \ud83d} escape. {@code JSON.parse} accepts that; Jackson (2.21+) rejects lone
 * surrogates in property names. This reader keeps them, as JavaScript does, and reports errors with
 * their character offset.
 */
final class JsonCursor {

  /** The kinds of token. */
  enum Token {
    START_OBJECT,
    END_OBJECT,
    START_ARRAY,
    END_ARRAY,
    NAME,
    STRING,
    NUMBER,
    TRUE,
    FALSE,
    NULL
  }

  /** The text is not JSON. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    SyntaxError(String message, int offset) {
      super(message);
      this.offset = offset;
    }
  }

  private static final int VALUE = 0; // a value is expected (or ']' right after '[')
  private static final int NAME = 1; // a name is expected (or '}' right after '{')
  private static final int AFTER = 2; // a value ended: ',' or the container's end is expected
  private static final int DONE = 3; // the top-level value ended

  private final String s;
  private final int maxDepth;
  private int pos;
  private int state = VALUE;
  private boolean opened; // the container was just opened: its end may follow at once
  private boolean[] objects = new boolean[16]; // per open container: object (true) or array
  private int depth;
  private String text = "";
  private int tokenStart;

  JsonCursor(String s, int maxDepth) {
    this.s = s;
    this.maxDepth = maxDepth;
  }

  /** The next token, or null at the end of the text (after the one top-level value). */
  @Nullable Token next() throws SyntaxError {
    skipSpace();
    tokenStart = pos;
    switch (state) {
      case VALUE:
        if (opened && !objects[depth - 1] && peek() == ']') {
          pos++;
          return close(Token.END_ARRAY);
        }
        return value();
      case NAME:
        {
          int c = peek();
          if (opened && c == '}') {
            pos++;
            return close(Token.END_OBJECT);
          }
          if (c != '"') {
            throw error(c < 0 ? "unexpected end of input" : "expected a property name");
          }
          text = string();
          skipSpace();
          if (peek() != ':') {
            throw error("expected ':' after a property name");
          }
          pos++;
          state = VALUE;
          opened = false;
          return Token.NAME;
        }
      case AFTER:
        {
          if (depth == 0) {
            state = DONE;
            return next();
          }
          int c = peek();
          boolean object = objects[depth - 1];
          if (c == ',') {
            pos++;
            state = object ? NAME : VALUE;
            opened = false;
            return next();
          }
          if (c == (object ? '}' : ']')) {
            pos++;
            return close(object ? Token.END_OBJECT : Token.END_ARRAY);
          }
          throw error(
              c < 0 ? "unexpected end of input" : "expected ',' or '" + (object ? '}' : ']') + "'");
        }
      default:
        if (pos < s.length()) {
          throw error("data after the JSON value");
        }
        return null;
    }
  }

  /** The decoded text of the last NAME or STRING, the raw text of the last NUMBER. */
  String text() {
    return text;
  }

  /** The last NUMBER as {@code JSON.parse} reads it (Infinity when out of range; -0 as 0). */
  double number() {
    return Double.parseDouble(text) + 0.0;
  }

  /** The offset of the last token. */
  int offset() {
    return tokenStart;
  }

  private Token close(Token t) {
    depth--;
    opened = false;
    state = AFTER;
    return t;
  }

  private Token open(boolean object) throws SyntaxError {
    if (depth == maxDepth) {
      throw error("nested deeper than " + maxDepth);
    }
    if (depth == objects.length) {
      boolean[] bigger = new boolean[depth * 2];
      System.arraycopy(objects, 0, bigger, 0, depth);
      objects = bigger;
    }
    objects[depth++] = object;
    opened = true;
    state = object ? NAME : VALUE;
    pos++;
    return object ? Token.START_OBJECT : Token.START_ARRAY;
  }

  private Token value() throws SyntaxError {
    int c = peek();
    opened = false;
    switch (c) {
      case '{':
        return open(true);
      case '[':
        return open(false);
      case '"':
        text = string();
        state = AFTER;
        return Token.STRING;
      case 't':
        literal("true");
        return Token.TRUE;
      case 'f':
        literal("false");
        return Token.FALSE;
      case 'n':
        literal("null");
        return Token.NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          number(c);
          state = AFTER;
          return Token.NUMBER;
        }
        throw error(c < 0 ? "unexpected end of input" : "unexpected character");
    }
  }

  private void literal(String word) throws SyntaxError {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
    state = AFTER;
  }

  private void number(int first) throws SyntaxError {
    int start = pos;
    if (first == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (digit(peek())) {
      while (digit(peek())) {
        pos++;
      }
    } else {
      throw error("a number without digits");
    }
    if (peek() == '.') {
      pos++;
      if (!digit(peek())) {
        throw error("no digit after the decimal point");
      }
      while (digit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digit(peek())) {
        throw error("no digit in the exponent");
      }
      while (digit(peek())) {
        pos++;
      }
    }
    text = s.substring(start, pos);
  }

  private static boolean digit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The string starting at the quote at {@code pos}; leaves {@code pos} after its end. */
  private String string() throws SyntaxError {
    int start = ++pos;
    // fast path: no escapes
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '"') {
        return s.substring(start, pos++);
      }
      if (c == '\\') {
        break;
      }
      if (c < 0x20) {
        throw error("a control character in a string");
      }
      pos++;
    }
    StringBuilder b = new StringBuilder(pos - start + 16).append(s, start, pos);
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("a control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= s.length()) {
        break;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          b.append(e);
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          {
            if (pos + 4 > s.length()) {
              throw error("a short \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos + i), 16);
              if (d < 0) {
                throw error("a bad \\u escape");
              }
              v = v << 4 | d;
            }
            pos += 4;
            b.append((char) v); // lone surrogates included, as JSON.parse keeps them
            break;
          }
        default:
          pos--;
          throw error("a bad escape");
      }
    }
    throw error("an unterminated string");
  }

  private int peek() {
    return pos < s.length() ? s.charAt(pos) : -1;
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private SyntaxError error(String message) {
    return new SyntaxError(message, Math.min(pos, s.length()));
  }
}
