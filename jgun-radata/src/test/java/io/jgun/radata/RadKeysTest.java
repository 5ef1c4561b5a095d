package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RadKeysTest {

  @Test
  void fileNamesAreEncodeUriComponentWithStarEscaped() {
    // names seen in the golden folders
    assertThat(RadKeys.fileName("alice\u001bnick")).isEqualTo("alice%1Bnick");
    assertThat(RadKeys.fileName("\u001c")).isEqualTo("%1C");
    assertThat(RadKeys.fileName("!")).isEqualTo("!");
    assertThat(RadKeys.fileName("a/b*c d\u001bx.y")).isEqualTo("a%2Fb%2Ac%20d%1Bx.y");
    // encodeURIComponent keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ); radisk also escapes *
    assertThat(RadKeys.fileName("-_.!~'()")).isEqualTo("-_.!~'()");
    assertThat(RadKeys.fileName("k\u00e9y \u2713")).isEqualTo("k%C3%A9y%20%E2%9C%93");
    assertThat(RadKeys.fileName("\ud83d\ude00+%")).isEqualTo("%F0%9F%98%80%2B%25");
    assertThat(RadKeys.fileName("lone \ud800")).as("encodeURIComponent throws URIError").isNull();
    assertThat(RadKeys.fileName("lone \udc00 low")).isNull();
  }

  @Test
  void fileNamesDecodeAsDecodeUriComponent() {
    assertThat(RadKeys.decodeFileName("alice%1Bnick")).isEqualTo("alice\u001bnick");
    assertThat(RadKeys.decodeFileName("a%2Fb%2Ac%20d")).isEqualTo("a/b*c d");
    assertThat(RadKeys.decodeFileName("a+b")).as("+ is not a space").isEqualTo("a+b");
    assertThat(RadKeys.decodeFileName("%f0%9f%98%80")).isEqualTo("\ud83d\ude00");
    assertThat(RadKeys.decodeFileName("%251B")).as("decoded once").isEqualTo("%1B");
    assertThat(RadKeys.decodeFileName("%")).isNull();
    assertThat(RadKeys.decodeFileName("%zz")).isNull();
    assertThat(RadKeys.decodeFileName("%C3")).as("truncated UTF-8").isNull();
    assertThat(RadKeys.decodeFileName("%ED%A0%80")).as("encoded surrogate").isNull();
    for (String s :
        new String[] {"k\u00e9y \u2713", "a/b*c d\u001bx", "\ud83d\ude00%+", "~!*'()"}) {
      assertThat(RadKeys.decodeFileName(RadKeys.fileName(s))).isEqualTo(s);
    }
  }

  @Test
  void keysSplitAtExactlyOneEsc() {
    assertThat(RadKeys.keyProblem("alice\u001bname")).isNull();
    assertThat(RadKeys.keyProblem("a\u001bb")).isNull();
    assertThat(RadKeys.keyProblem("alice")).contains("no ESC");
    assertThat(RadKeys.keyProblem("a\u001bb\u001bc")).contains("more than one ESC");
    assertThat(RadKeys.keyProblem("\u001bname")).contains("empty soul");
    assertThat(RadKeys.keyProblem("alice\u001b")).contains("empty field");
  }
}
