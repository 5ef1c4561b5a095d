package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.json.Json;
import org.junit.jupiter.api.Test;

class LegacyCodecTest {
  private static final char US = '\u001f';
  private static final char ESC = '\u001b';

  @Test
  void fieldsEndAtTheNthSeparatorAfterTheirType() throws Exception {
    // "a\x1Fb" holds one separator, so it is framed by two: \x1F\x1F"a\x1Fb\x1F
    String text = "x" + US + US + "\"a" + US + "b" + US + "rest";
    LegacyCodec.Framed f = LegacyCodec.next(text, 0, US);
    assertThat(f.before()).isEqualTo("x");
    assertThat(f.type()).isEqualTo('"');
    assertThat(f.body()).isEqualTo("a" + US + "b");
    assertThat(text.substring(f.end())).isEqualTo("rest");
    assertThat(LegacyCodec.next("no separator", 0, US)).isNull();
    assertThatThrownBy(() -> LegacyCodec.next("a" + US + "\"open", 0, US))
        .isInstanceOf(LegacyCodec.Malformed.class)
        .hasMessageContaining("not closed");
    assertThatThrownBy(() -> LegacyCodec.next("a" + US, 0, US))
        .isInstanceOf(LegacyCodec.Malformed.class)
        .hasMessageContaining("no type");
  }

  @Test
  void types() throws Exception {
    assertThat(LegacyCodec.decodeWhole(ESC + "\"Bob!" + ESC, ESC)).isEqualTo(Json.of("Bob!"));
    assertThat(LegacyCodec.decodeWhole(ESC + "+29" + ESC, ESC)).isEqualTo(Json.of(29));
    assertThat(LegacyCodec.decodeWhole(ESC + "+" + ESC, ESC)).isEqualTo(Json.TRUE);
    assertThat(LegacyCodec.decodeWhole(ESC + "-" + ESC, ESC)).isEqualTo(Json.FALSE);
    assertThat(LegacyCodec.decodeWhole(ESC + " " + ESC, ESC)).isEqualTo(Json.NULL);
    assertThat(LegacyCodec.decodeWhole(ESC + "#soul" + ESC, ESC).toJs())
        .isEqualTo("{\"#\":\"soul\"}");
    assertThat(LegacyCodec.decodeWhole(ESC + "+1549776205172.5", ESC))
        .as("an unclosed last field runs to the end, as Radisk.decode does")
        .isEqualTo(Json.of(1549776205172.5));
    assertThat(LegacyCodec.decodeWhole("" + ESC + ESC + "\"a" + ESC + "b" + ESC, ESC))
        .isEqualTo(Json.of("a" + ESC + "b"));
    assertThatThrownBy(() -> LegacyCodec.decodeWhole(ESC + "?x" + ESC, ESC))
        .hasMessageContaining("unknown field type");
    assertThatThrownBy(() -> LegacyCodec.decodeWhole("+1", ESC))
        .hasMessageContaining("not a framed");
  }

  @Test
  void numbersAreParsedAsJavaScriptsParseFloat() throws Exception {
    assertThat(LegacyCodec.parseFloat("42")).isEqualTo(42);
    assertThat(LegacyCodec.parseFloat("-1.5e3")).isEqualTo(-1500);
    assertThat(LegacyCodec.parseFloat(" .5")).isEqualTo(0.5);
    assertThat(LegacyCodec.parseFloat("12abc")).isEqualTo(12);
    assertThat(LegacyCodec.parseFloat("1e+21")).isEqualTo(1e21);
    assertThat(LegacyCodec.parseFloat("5e-324")).isEqualTo(Double.MIN_VALUE);
    assertThat(LegacyCodec.parseFloat("-0")).isEqualTo(0.0);
    assertThatThrownBy(() -> LegacyCodec.parseFloat("abc")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> LegacyCodec.parseFloat("Infinity"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> LegacyCodec.parseFloat("1e400")).hasMessageContaining("out of range");
  }
}
