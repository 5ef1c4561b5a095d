package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

  @Test
  void wellFormedTextIsReturnedAsIs() {
    String s = "plain ascii, é, 漢字, 😀";
    assertThat(Utf8Text.wellFormed(s)).isSameAs(s);
    assertThat(Utf8Text.wellFormed("")).isSameAs("");
  }

  @Test
  void loneSurrogatesBecomeReplacementCharactersLikeJavaScriptEncoders() {
    assertThat(Utf8Text.wellFormed("\uD800")).isEqualTo("\uFFFD");
    assertThat(Utf8Text.wellFormed("\uDC00")).isEqualTo("\uFFFD");
    assertThat(Utf8Text.wellFormed("a\uD83D")).isEqualTo("a\uFFFD");
    assertThat(Utf8Text.wellFormed("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD"); // reversed pair
    assertThat(Utf8Text.wellFormed("😀\uD800😀")).isEqualTo("😀\uFFFD😀");
    // Node: Buffer.from('a\ud800b').toString('hex') === '61efbfbd62'
    assertThat(Utf8Text.wellFormed("a\uD800b").getBytes(StandardCharsets.UTF_8))
        .containsExactly(0x61, 0xEF, 0xBF, 0xBD, 0x62);
  }
}
