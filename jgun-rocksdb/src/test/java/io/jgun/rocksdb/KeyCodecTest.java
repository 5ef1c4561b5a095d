package io.jgun.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link KeyCodec}: byte order is JavaScript (UTF-16) order, lossless, prefix-preserving. */
class KeyCodecTest {

  /** Strings weighted towards the boundaries of the encoding and of UTF-16 vs code point order. */
  static String randomString(Random r) {
    char[] interesting = {0, 1, 2, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFE, 0xFFFF, 'a', 'z'};
    int n = r.nextInt(6);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(4)) {
        case 0: b.append(interesting[r.nextInt(interesting.length)]); break;
        case 1: b.appendCodePoint(0x10000 + r.nextInt(0x100000)); break;
        case 2: b.append((char) r.nextInt(0x10000)); break;
        default: b.append((char) ('a' + r.nextInt(3))); break;
      }
    }
    return b.toString();
  }

  @Test
  void byteOrderIsStringOrder() {
    Random r = new Random(1);
    for (int i = 0; i < 200_000; i++) {
      String a = randomString(r);
      String b = randomString(r);
      int expected = Integer.signum(a.compareTo(b));
      assertThat(Integer.signum(Arrays.compareUnsigned(KeyCodec.encode(a), KeyCodec.encode(b))))
          .as("%s vs %s", a, b).isEqualTo(expected);
      // keys: by soul first (souls are non-empty), then by key
      String k1 = randomString(r);
      String k2 = randomString(r);
      int keyOrder = a.equals(b) ? Integer.signum(k1.compareTo(k2)) : expected;
      assertThat(Integer.signum(Arrays.compareUnsigned(KeyCodec.fieldKey("s" + a, k1), KeyCodec.fieldKey("s" + b, k2))))
          .as("(%s, %s) vs (%s, %s)", a, k1, b, k2).isEqualTo(keyOrder);
    }
  }

  @Test
  void utf8WouldGetTheSupplementaryCharactersWrong() {
    String emoji = "\uD83D\uDE00"; // U+1F600
    String pua = "\uE000";
    assertThat(emoji.compareTo(pua)).isNegative(); // JavaScript order
    assertThat(Arrays.compareUnsigned(emoji.getBytes(StandardCharsets.UTF_8), pua.getBytes(StandardCharsets.UTF_8)))
        .isPositive(); // UTF-8 disagrees
    assertThat(Arrays.compareUnsigned(KeyCodec.encode(emoji), KeyCodec.encode(pua))).isNegative();
  }

  @Test
  void roundTripsEveryStringAndKeepsPrefixes() {
    Random r = new Random(2);
    for (int i = 0; i < 100_000; i++) {
      String s = randomString(r);
      byte[] e = KeyCodec.encode(s);
      assertThat(KeyCodec.decode(e, 0, e.length)).isEqualTo(s);
      assertThat(e.length).isEqualTo(KeyCodec.length(s));
      for (byte x : e) {
        assertThat(x).isNotEqualTo((byte) 0x00).isNotEqualTo((byte) 0xFF);
      }
      String p = s.substring(0, r.nextInt(s.length() + 1));
      assertThat(KeyCodec.startsWith(e, KeyCodec.encode(p))).isTrue();
    }
    assertThat(KeyCodec.encode("abc")).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(KeyCodec.encode("\u0000\u0001")).containsExactly(1, 1, 1, 2);
  }

  @Test
  void splitsKeysAtTheSeparator() {
    byte[] k = KeyCodec.fieldKey("a\u0000b", "c");
    int end = KeyCodec.soulEnd(k);
    assertThat(KeyCodec.decode(k, 0, end)).isEqualTo("a\u0000b");
    assertThat(KeyCodec.decode(k, end + 1, k.length)).isEqualTo("c");
  }

  @Test
  void refusesMalformedBytes() {
    assertThatThrownBy(() -> KeyCodec.decode(new byte[] {(byte) 0xC2}, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCodec.decode(new byte[] {0x01, 0x05}, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCodec.decode(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, 0, 3))
        .isInstanceOf(IllegalArgumentException.class); // overlong
    assertThatThrownBy(() -> KeyCodec.decode(new byte[] {(byte) 0xF0}, 0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
