package io.jgun.relay;

import org.jspecify.annotations.Nullable;

/** A minimal JSON writer for the status endpoint: objects, arrays, strings, numbers, null. */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder(4096);
  /** Whether the next member or element needs a comma before it. */
  private boolean comma;

  JsonWriter begin() {
    separate();
    out.append('{');
    comma = false;
    return this;
  }

  JsonWriter end() {
    out.append('}');
    comma = true;
    return this;
  }

  JsonWriter array() {
    separate();
    out.append('[');
    comma = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    comma = true;
    return this;
  }

  /** A member's name; its value follows. */
  JsonWriter key(String name) {
    separate();
    string(name);
    out.append(':');
    comma = false;
    return this;
  }

  JsonWriter field(String name, @Nullable Object value) {
    return key(name).value(value);
  }

  JsonWriter value(@Nullable Object value) {
    separate();
    if (value == null) {
      out.append("null");
    } else if (value instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(value.toString());
    }
    comma = true;
    return this;
  }

  private void separate() {
    if (comma) {
      out.append(',');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
