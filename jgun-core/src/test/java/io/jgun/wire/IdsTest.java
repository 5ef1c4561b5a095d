package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern ID_CHARS = Pattern.compile("[0-9A-XZa-z]*");

  private final Ids ids = new Ids(new SplittableRandom(1241));

  @Test
  void alphabetIsGunsSixtyOneCharactersWithoutCapitalY() {
    assertThat(Ids.ALPHABET).isEqualTo(ALPHABET);
    assertThat(Ids.ALPHABET).hasSize(61).doesNotContain("Y");
    assertThat(Ids.ALPHABET.chars().distinct().count()).isEqualTo(61);
  }

  @Test
  void lengths() {
    for (int len = 0; len <= 40; len++) {
      assertThat(ids.random(len)).hasSize(len).matches(ID_CHARS);
    }
    assertThat(ids.messageId()).hasSize(9).matches(ID_CHARS);
    assertThat(ids.pid()).hasSize(9).matches(ID_CHARS);
    assertThat(ids.setKey()).hasSize(7).matches(ID_CHARS);
    assertThatThrownBy(() -> ids.random(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyCharacterIsDrawnAndNeverY() {
    int[] counts = new int[128];
    int draws = 61 * 10_000;
    for (int i = 0; i < draws / 9; i++) {
      for (char c : ids.messageId().toCharArray()) {
        counts[c]++;
      }
    }
    int total = (draws / 9) * 9;
    assertThat(counts['Y']).isZero();
    double expected = total / 61.0;
    double chi2 = 0;
    for (char c : ALPHABET.toCharArray()) {
      assertThat(counts[c]).as("count of %s", c).isPositive();
      chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
    }
    int inAlphabet = 0;
    for (char c : ALPHABET.toCharArray()) {
      inAlphabet += counts[c];
    }
    assertThat(inAlphabet).isEqualTo(total);
    // 60 degrees of freedom: the 99.99th percentile is about 111
    assertThat(chi2).isLessThan(111);
  }

  @Test
  void everyPositionIsUniformToo() {
    // The ten characters of one 64-bit draw must not be correlated by position.
    int n = 61 * 2000;
    int[][] counts = new int[12][128];
    for (int i = 0; i < n; i++) {
      String s = ids.random(12);
      for (int p = 0; p < 12; p++) {
        counts[p][s.charAt(p)]++;
      }
    }
    double expected = n / 61.0;
    for (int p = 0; p < 12; p++) {
      double chi2 = 0;
      for (char c : ALPHABET.toCharArray()) {
        chi2 += (counts[p][c] - expected) * (counts[p][c] - expected) / expected;
      }
      assertThat(chi2).as("position %d", p).isLessThan(111);
    }
  }

  @Test
  void aSeededGeneratorGivesTheSameIds() {
    Ids a = new Ids(new SplittableRandom(7));
    Ids b = new Ids(new SplittableRandom(7));
    for (int i = 0; i < 100; i++) {
      assertThat(a.messageId()).isEqualTo(b.messageId());
    }
    assertThat(Ids.secure().messageId()).hasSize(9).matches(ID_CHARS);
  }

  @Test
  void soulOfAnIntegralStateIsEightBase36CharactersAndTwelveRandom() {
    String soul = ids.soul(1795520877934.0);
    // like the observed mwumrs6mmEMzlcPkpbxj
    assertThat(soul).hasSize(20).startsWith("mwumrs6m");
    assertThat(soul.substring(8)).matches(ID_CHARS);
  }

  @Test
  void soulOfAFractionalStateKeepsTheFractionDigitsWithoutThePoint() {
    String soul = ids.soul(1795520877934.001);
    assertThat(soul).startsWith("mwumrs6m01a").hasSize(11 + 12).doesNotContain(".");
  }

  @Test
  void soulRejectsNonFiniteStates() {
    assertThatThrownBy(() -> ids.soul(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ids.soul(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void radix36AgreesWithNodeOnEveryVector() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int count = 0;
    JsonFactory json = new JsonFactory();
    try (InputStream in =
            Objects.requireNonNull(
                IdsTest.class.getResourceAsStream("/vectors/radix36.jsonl"),
                "vectors/radix36.jsonl");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        double d = Double.NaN;
        String s = null;
        try (JsonParser p = json.createParser(line)) {
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("d")) {
              d = p.getDoubleValue();
            } else {
              s = p.getText();
            }
          }
        }
        count++;
        String got = Ids.radix36(d);
        if (!got.equals(s)) {
          mismatches.add(d + ": node " + s + ", jgun " + got);
        }
      }
    }
    assertThat(count).isGreaterThan(3000);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void radix36Basics() {
    assertThat(Ids.radix36(0)).isEqualTo("0");
    assertThat(Ids.radix36(35)).isEqualTo("z");
    assertThat(Ids.radix36(36)).isEqualTo("10");
    assertThat(Ids.radix36(0.5)).isEqualTo("0.i");
    assertThat(Ids.radix36(1795520877934.0)).isEqualTo("mwumrs6m");
    assertThat(Ids.radix36(1795520877934.002)).isEqualTo("mwumrs6m.02j");
  }
}
