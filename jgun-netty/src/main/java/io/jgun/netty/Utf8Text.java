package io.jgun.netty;

/**
 * Makes a Java string encodable as UTF-8 the way JavaScript does: a lone surrogate (which UTF-8
 * cannot carry) becomes U+FFFD, as Node's {@code Buffer.from(string)} and the browsers' {@code
 * TextEncoder} do. Java's own encoders, and Netty's {@code ByteBufUtil.writeUtf8}, would write
 * {@code '?'} instead, which a Gun.js peer would never produce.
 */
final class Utf8Text {

  static final char REPLACEMENT = '\uFFFD';

  private Utf8Text() {}

  /** Returns {@code s} itself when it is well formed (the common case: no copy), else a repair. */
  static String wellFormed(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return repair(s, i);
        }
      }
    }
    return s;
  }

  private static String repair(String s, int from) {
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, from);
    int n = s.length();
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) {
        out.append(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(REPLACEMENT);
      }
    }
    return out.toString();
  }
}
