package io.jgun.graph;

import static io.jgun.graph.Ham.Decision.ACCEPT;
import static io.jgun.graph.Ham.Decision.DEFER;
import static io.jgun.graph.Ham.Decision.DROP_HISTORICAL;
import static io.jgun.graph.Ham.Decision.DROP_SAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Ham.Decision;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HamTest {

  private static final double NOW = 1795520969763.0;
  private static final double S = 1795520969000.0;

  private static Decision sameState(Value incoming, Value current) {
    return Ham.decide(S, incoming, S, current, NOW);
  }

  /** Equal-state tie-breaks of docs/protocol.md §2.2 and §8.20: the first value beats the second. */
  static Stream<Arguments> beats() {
    return Stream.of(
        Arguments.of(Value.text("b"), Value.text("a")),
        Arguments.of(Value.text("ab"), Value.text("a")),
        Arguments.of(Value.number(9), Value.number(10)), // "9" > "10" as text
        Arguments.of(Value.number(2), Value.number(1.5)),
        Arguments.of(Value.number(-10), Value.number(-1)), // "-1" is a prefix of "-10"
        Arguments.of(Value.bool(true), Value.bool(false)),
        Arguments.of(Value.link("a"), Value.text("zzz")), // {"#"…} beats any string
        Arguments.of(Value.link("a"), Value.bool(true)),
        Arguments.of(Value.link("b"), Value.link("a")),
        Arguments.of(Value.NULL, Value.bool(false)),
        Arguments.of(Value.bool(true), Value.NULL),
        Arguments.of(Value.bool(false), Value.number(123)),
        Arguments.of(Value.number(0), Value.number(-5)), // digits beat '-'
        Arguments.of(Value.number(-5), Value.text("~~~")), // '-' beats '"'
        // JSON text, not the raw string: "a\"" is "a\"" whose 3rd char '\' (0x5C) > '#' (0x23)
        Arguments.of(Value.text("a\""), Value.text("a#")),
        // UTF-16 code units, not code points: U+FFFF (0xFFFF) > U+1F600 (0xD83D 0xDE00)
        Arguments.of(Value.text("\uFFFF"), Value.text("\uD83D\uDE00")));
  }

  @ParameterizedTest(name = "{0} beats {1}")
  @MethodSource("beats")
  void equalStateGreaterJsonTextWins(Value winner, Value loser) {
    assertThat(sameState(winner, loser)).isEqualTo(ACCEPT);
    assertThat(sameState(loser, winner)).isEqualTo(DROP_SAME);
  }

  @Test
  void crossTypeOrderIsByFirstCharacterOfTheJson() {
    // "… < - < digits < false < null < true < {"#"…}
    List<Value> ascending =
        List.of(
            Value.text("zzz"),
            Value.number(-1),
            Value.number(0),
            Value.number(9),
            Value.bool(false),
            Value.NULL,
            Value.bool(true),
            Value.link("a"));
    for (int i = 0; i < ascending.size(); i++) {
      for (int j = 0; j < ascending.size(); j++) {
        Decision d = sameState(ascending.get(j), ascending.get(i));
        assertThat(d)
            .as("%s against held %s", ascending.get(j).json(), ascending.get(i).json())
            .isEqualTo(j > i ? ACCEPT : DROP_SAME);
      }
    }
  }

  @Test
  void identicalValuesAreANoOp() {
    assertThat(sameState(Value.text("x"), Value.text("x"))).isEqualTo(DROP_SAME);
    assertThat(sameState(Value.link("a/b"), Value.link("a/b"))).isEqualTo(DROP_SAME);
    assertThat(sameState(Value.number(0), Value.number(-0.0))).isEqualTo(DROP_SAME);
    assertThat(sameState(Value.number(-0.0), Value.number(0))).isEqualTo(DROP_SAME);
    assertThat(sameState(Value.NULL, Value.NULL)).isEqualTo(DROP_SAME);
    assertThat(sameState(Value.bool(true), Value.bool(true))).isEqualTo(DROP_SAME);
  }

  @Test
  void olderStateIsDroppedWhateverTheValue() {
    assertThat(Ham.decide(S - 1, Value.link("z"), S, Value.text("a"), NOW))
        .isEqualTo(DROP_HISTORICAL);
    assertThat(Ham.decide(S - 0.001, Value.text("b"), S, Value.text("a"), NOW))
        .isEqualTo(DROP_HISTORICAL);
  }

  @Test
  void newerStateWinsWhateverTheValue() {
    assertThat(Ham.decide(S + 1, Value.text("a"), S, Value.link("z"), NOW)).isEqualTo(ACCEPT);
    assertThat(Ham.decide(S + 0.001, Value.NULL, S, Value.bool(true), NOW)).isEqualTo(ACCEPT);
  }

  @Test
  void absentFieldIsAccepted() {
    assertThat(Ham.decide(S, Value.text(""), Double.NEGATIVE_INFINITY, null, NOW))
        .isEqualTo(ACCEPT);
    assertThat(Ham.decide(-1e300, Value.NULL, Double.NEGATIVE_INFINITY, null, NOW))
        .isEqualTo(ACCEPT);
    assertThat(Ham.decide(new Field(Value.text("x"), S), null, NOW)).isEqualTo(ACCEPT);
  }

  @Test
  void futureStateIsDeferredBeforeAnyOtherRule() {
    assertThat(Ham.decide(NOW + 0.001, Value.text("a"), S, Value.text("b"), NOW)).isEqualTo(DEFER);
    // Gun.js checks the future first, even for a state that is also older than the held one
    assertThat(Ham.decide(NOW + 5, Value.text("a"), NOW + 10, Value.text("b"), NOW))
        .isEqualTo(DEFER);
    assertThat(Ham.decide(NOW, Value.text("a"), S, Value.text("b"), NOW))
        .as("a state equal to now is not future")
        .isEqualTo(ACCEPT);
  }

  @Test
  void deferDelayIsCappedAtTheLongestTimer() {
    assertThat(Ham.deferDelay(NOW + 3000, NOW)).isEqualTo(3000.0);
    assertThat(Ham.deferDelay(NOW + 2147483647.0, NOW)).isEqualTo(2147483647.0);
    assertThat(Ham.deferDelay(NOW + 1e12, NOW)).isEqualTo(2147483647.0);
    assertThat(Ham.deferDelay(Double.MAX_VALUE, NOW)).isEqualTo(2147483647.0);
  }

  @Test
  void fieldOverloadAgreesWithTheExplodedOne() {
    Field held = new Field(Value.text("a"), S);
    assertThat(Ham.decide(new Field(Value.text("b"), S), held, NOW)).isEqualTo(ACCEPT);
    assertThat(Ham.decide(new Field(Value.text("a"), S), held, NOW)).isEqualTo(DROP_SAME);
    assertThat(Ham.decide(new Field(Value.text("z"), S - 1), held, NOW)).isEqualTo(DROP_HISTORICAL);
    assertThat(Ham.decide(new Field(Value.text("z"), NOW + 1), held, NOW)).isEqualTo(DEFER);
  }
}
