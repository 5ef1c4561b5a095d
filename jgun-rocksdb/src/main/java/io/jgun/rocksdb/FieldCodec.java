package io.jgun.rocksdb;

import io.jgun.graph.Field;
import io.jgun.graph.Value;

/**
 * A stored field, {@code (state, value)}, as bytes. Format version 1:
 *
 * <pre>
 *   byte 0      (version &lt;&lt; 4) | tag      version = 1
 *   bytes 1..8  state: IEEE 754 double, big-endian, raw bits (-0 is never stored: it becomes 0)
 *   bytes 9..   payload, by tag:
 *     0 null (tombstone)   nothing
 *     1 false              nothing
 *     2 true               nothing
 *     3 number             IEEE 754 double, big-endian, raw bits (-0 kept)
 *     4 text               the string in {@link KeyCodec}'s encoding (lossless, ASCII 1 byte a unit)
 *     5 link               the soul in {@link KeyCodec}'s encoding
 * </pre>
 *
 * So a boolean or tombstone takes 9 bytes, a number 17, a string of n ASCII characters 9 + n. A
 * reader refuses a version it does not know and a length that does not fit its tag, which the
 * store reports as corruption rather than guessing.
 */
final class FieldCodec {
  private FieldCodec() {}

  static final int VERSION = 1;
  static final int NULL = 0;
  static final int FALSE = 1;
  static final int TRUE = 2;
  static final int NUMBER = 3;
  static final int TEXT = 4;
  static final int LINK = 5;
  private static final int HEADER = 9;

  static byte[] encode(Field f) {
    Value v = f.value();
    byte[] out;
    int tag;
    if (v instanceof Value.Text) {
      String s = ((Value.Text) v).value();
      out = new byte[HEADER + KeyCodec.length(s)];
      KeyCodec.encode(s, out, HEADER);
      tag = TEXT;
    } else if (v instanceof Value.Number) {
      out = new byte[HEADER + 8];
      putLong(out, HEADER, Double.doubleToRawLongBits(((Value.Number) v).value()));
      tag = NUMBER;
    } else if (v instanceof Value.Bool) {
      out = new byte[HEADER];
      tag = ((Value.Bool) v).value() ? TRUE : FALSE;
    } else if (v instanceof Value.Link) {
      String s = ((Value.Link) v).soul();
      out = new byte[HEADER + KeyCodec.length(s)];
      KeyCodec.encode(s, out, HEADER);
      tag = LINK;
    } else {
      out = new byte[HEADER];
      tag = NULL;
    }
    out[0] = (byte) (VERSION << 4 | tag);
    putLong(out, 1, Double.doubleToRawLongBits(f.state()));
    return out;
  }

  /**
   * Decodes a stored field.
   *
   * @throws IllegalArgumentException if the bytes are not a field of a known version
   */
  static Field decode(byte[] b) {
    if (b.length < HEADER) {
      throw new IllegalArgumentException("stored field of " + b.length + " bytes is shorter than its header");
    }
    int version = (b[0] & 0xFF) >>> 4;
    if (version != VERSION) {
      throw new IllegalArgumentException("stored field has format version " + version + ", this reader knows " + VERSION);
    }
    int tag = b[0] & 0x0F;
    double state = Double.longBitsToDouble(getLong(b, 1));
    Value v;
    switch (tag) {
      case NULL:
        fixed(b, 0);
        v = Value.NULL;
        break;
      case FALSE:
        fixed(b, 0);
        v = Value.bool(false);
        break;
      case TRUE:
        fixed(b, 0);
        v = Value.bool(true);
        break;
      case NUMBER:
        fixed(b, 8);
        v = Value.number(Double.longBitsToDouble(getLong(b, HEADER)));
        break;
      case TEXT:
        v = Value.text(KeyCodec.decode(b, HEADER, b.length));
        break;
      case LINK:
        v = Value.link(KeyCodec.decode(b, HEADER, b.length));
        break;
      default:
        throw new IllegalArgumentException("stored field has unknown type tag " + tag);
    }
    return new Field(v, state);
  }

  private static void fixed(byte[] b, int payload) {
    if (b.length != HEADER + payload) {
      throw new IllegalArgumentException("stored field of " + b.length + " bytes, expected " + (HEADER + payload));
    }
  }

  private static void putLong(byte[] b, int at, long x) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) x;
      x >>>= 8;
    }
  }

  private static long getLong(byte[] b, int at) {
    long x = 0;
    for (int i = 0; i < 8; i++) {
      x = (x << 8) | (b[at + i] & 0xFF);
    }
    return x;
  }
}
