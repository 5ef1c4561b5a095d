package io.jgun.postgres;

/**
 * Strings as UTF-16BE bytes: two bytes per code unit, high byte first. PostgreSQL compares {@code
 * bytea} with {@code memcmp} and then by length, which on these bytes is exactly JavaScript's string
 * order ({@link String#compareTo}: by UTF-16 code unit, a prefix first). A {@code text} column in the
 * {@code C} collation would compare by code point instead, which puts U+10000 and above after
 * U+E000..U+FFFF where JavaScript puts them before, and could not hold a lone surrogate at all.
 * Unlike {@link java.nio.charset.StandardCharsets#UTF_16BE}, this never replaces a lone surrogate.
 */
final class Utf16 {
  private Utf16() {}

  static byte[] encode(String s) {
    int n = s.length();
    byte[] out = new byte[2 * n];
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      out[2 * i] = (byte) (c >>> 8);
      out[2 * i + 1] = (byte) c;
    }
    return out;
  }

  static String decode(byte[] b) {
    if ((b.length & 1) != 0) {
      throw new IllegalArgumentException("UTF-16BE text of odd length " + b.length);
    }
    char[] out = new char[b.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (char) (((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF));
    }
    return new String(out);
  }
}
