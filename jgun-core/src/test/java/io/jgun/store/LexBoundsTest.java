package io.jgun.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Lex;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LexBounds}: the interval holds every string the Lex matches, quirks included. */
class LexBoundsTest {

  @Test
  void everyMatchLiesInsideTheInterval() {
    Random r = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      Lex lex = new Lex(
          r.nextInt(5) == 0 ? StoreContract.str(r, 2) : null,
          r.nextInt(3) == 0 ? StoreContract.str(r, 2) : null,
          r.nextInt(3) == 0 ? StoreContract.str(r, 2) : null,
          r.nextInt(3) == 0 ? StoreContract.str(r, 2) : null,
          null, false);
      LexBounds b = LexBounds.of(lex);
      for (int j = 0; j < 50; j++) {
        String t = StoreContract.str(r, 3);
        if (lex.matches(t)) {
          assertThat(b).as("%s matches %s", lex, t).isNotNull();
          assertThat(b.below(t) || b.above(t)).as("%s matches %s outside %s", lex, t, b).isFalse();
        }
      }
    }
  }

  @Test
  void intervalsOfTheCommonForms() {
    assertThat(LexBounds.of(Lex.exact("a")).toString()).isEqualTo("[\"a\", \"a\"]");
    assertThat(LexBounds.of(Lex.prefix("ab")).toString()).isEqualTo("[\"ab\", \"ac\")");
    assertThat(LexBounds.of(Lex.range("a", "c")).toString()).isEqualTo("[\"a\", \"c\"]");
    assertThat(LexBounds.of(Lex.range(null, "c")).toString()).isEqualTo("[-inf, \"c\"]");
    assertThat(LexBounds.of(Lex.range("", null)).toString()).isEqualTo("[\"\", +inf)");
    assertThat(LexBounds.of(Lex.range(null, null))).isNull();
    // a > prefix reaches beyond <: "b…" matches {>: "b", <: "a"}
    assertThat(LexBounds.of(Lex.range("b", "a")).toString()).isEqualTo("[\"b\", \"c\")");
  }

  @Test
  void successorIsTheLeastStringAboveAPrefix() {
    assertThat(LexBounds.successor("ab")).isEqualTo("ac");
    assertThat(LexBounds.successor("a\uFFFF")).isEqualTo("b");
    assertThat(LexBounds.successor("\uFFFF\uFFFF")).isNull();
    assertThat(LexBounds.successor("")).isNull();
  }
}
