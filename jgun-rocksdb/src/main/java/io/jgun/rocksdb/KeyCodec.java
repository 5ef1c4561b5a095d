package io.jgun.rocksdb;

/**
 * Strings as bytes whose unsigned order is JavaScript's string order (UTF-16 code units), and the
 * key layout built on them.
 *
 * <h2>String encoding</h2>
 *
 * Each UTF-16 code unit {@code c} of the string (a surrogate is encoded alone, like any other unit;
 * this is CESU-8 with the two lowest units escaped) becomes:
 *
 * <pre>
 *   0x0000          01 01
 *   0x0001          01 02
 *   0x0002..0x007F  c                         (1 byte: ASCII stays ASCII)
 *   0x0080..0x07FF  110xxxxx 10xxxxxx          (as UTF-8)
 *   0x0800..0xFFFF  1110xxxx 10xxxxxx 10xxxxxx (as UTF-8, surrogates included)
 * </pre>
 *
 * The unit encodings increase with {@code c} and none is a prefix of another, so comparing two
 * encodings byte by byte (unsigned) is comparing the strings unit by unit, which is {@link
 * String#compareTo} and JavaScript's {@code <}. Plain UTF-8 is not: it puts U+E000..U+FFFF before
 * the supplementary characters, which JavaScript sorts among the surrogates D800..DFFF. The
 * encoding of a prefix is a prefix of the encoding, and it never contains the bytes {@code 0x00}
 * (the separator below) or {@code 0xFF} (a byte above every encoding, for exclusive upper bounds).
 * It is lossless for every Java string, lone surrogates included.
 *
 * <h2>Keys</h2>
 *
 * A field is stored under {@code enc(soul) 0x00 enc(key)}. The separator sorts below every encoded
 * unit, so keys sort by soul first (a soul before the souls it is a prefix of), then by key, and the
 * fields of one soul are the contiguous range {@code [enc(soul) 00, enc(soul) 01)}.
 */
final class KeyCodec {
  private KeyCodec() {}

  /** The byte between a soul and a key. */
  static final byte SEPARATOR = 0x00;

  /** How many bytes {@code s} encodes to. */
  static int length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x02 ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
  }

  /** Writes the encoding of {@code s} into {@code out} at {@code at}; returns the position after. */
  static int encode(String s, byte[] out, int at) {
    int p = at;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x02) {
        out[p++] = 0x01;
        out[p++] = (byte) (c + 1);
      } else if (c < 0x80) {
        out[p++] = (byte) c;
      } else if (c < 0x800) {
        out[p++] = (byte) (0xC0 | (c >> 6));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      } else {
        out[p++] = (byte) (0xE0 | (c >> 12));
        out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  /** The encoding of {@code s}. */
  static byte[] encode(String s) {
    byte[] out = new byte[length(s)];
    encode(s, out, 0);
    return out;
  }

  /**
   * Decodes {@code b[from..to)}.
   *
   * @throws IllegalArgumentException if the bytes are not an encoding
   */
  static String decode(byte[] b, int from, int to) {
    StringBuilder s = new StringBuilder(to - from);
    int p = from;
    while (p < to) {
      int b0 = b[p] & 0xFF;
      if (b0 == 0x01) {
        int b1 = byteAt(b, p + 1, to);
        if (b1 != 0x01 && b1 != 0x02) {
          throw malformed(p);
        }
        s.append((char) (b1 - 1));
        p += 2;
      } else if (b0 >= 0x02 && b0 < 0x80) {
        s.append((char) b0);
        p++;
      } else if (b0 >= 0xC2 && b0 <= 0xDF) {
        s.append((char) (((b0 & 0x1F) << 6) | cont(b, p + 1, to)));
        p += 2;
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        int c = ((b0 & 0x0F) << 12) | (cont(b, p + 1, to) << 6) | cont(b, p + 2, to);
        if (c < 0x800) {
          throw malformed(p);
        }
        s.append((char) c);
        p += 3;
      } else {
        throw malformed(p);
      }
    }
    return s.toString();
  }

  private static int byteAt(byte[] b, int i, int to) {
    if (i >= to) {
      throw new IllegalArgumentException("truncated string encoding at byte " + i);
    }
    return b[i] & 0xFF;
  }

  private static int cont(byte[] b, int i, int to) {
    int x = byteAt(b, i, to);
    if ((x & 0xC0) != 0x80) {
      throw malformed(i);
    }
    return x & 0x3F;
  }

  private static IllegalArgumentException malformed(int at) {
    return new IllegalArgumentException("malformed string encoding at byte " + at);
  }

  /** {@code enc(soul) 00}: the prefix of every field key of {@code soul}. */
  static byte[] soulPrefix(String soul) {
    byte[] out = new byte[length(soul) + 1];
    out[encode(soul, out, 0)] = SEPARATOR;
    return out;
  }

  /** {@code enc(soul) 00 enc(key)}: where a field is stored. */
  static byte[] fieldKey(String soul, String key) {
    byte[] out = new byte[length(soul) + 1 + length(key)];
    int p = encode(soul, out, 0);
    out[p++] = SEPARATOR;
    encode(key, out, p);
    return out;
  }

  /** {@code prefix} followed by the encoding of {@code s} and then {@code tail} bytes. */
  static byte[] concat(byte[] prefix, String s, byte... tail) {
    byte[] out = new byte[prefix.length + length(s) + tail.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    int p = encode(s, out, prefix.length);
    System.arraycopy(tail, 0, out, p, tail.length);
    return out;
  }

  /** {@code b} with {@code tail} appended. */
  static byte[] plus(byte[] b, byte... tail) {
    byte[] out = java.util.Arrays.copyOf(b, b.length + tail.length);
    System.arraycopy(tail, 0, out, b.length, tail.length);
    return out;
  }

  /** Where the soul of a stored key ends (the separator's index), or -1 if the key has none. */
  static int soulEnd(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] == SEPARATOR) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code b} starts with {@code prefix}. */
  static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }
}
