package io.jgun.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jgun.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class LexTest {

  private static final JsonFactory JSON = new JsonFactory();

  /** One line of vectors/lex.jsonl: Gun.js's String.match(t, o) = m. */
  private record Vector(String t, Json o, boolean m) {}

  private static List<Vector> vectors() throws IOException {
    List<Vector> out = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(
                LexTest.class.getResourceAsStream("/vectors/lex.jsonl"), "vectors/lex.jsonl");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try (JsonParser p = JSON.createParser(line)) {
          String t = null;
          Json o = null;
          Boolean m = null;
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken tok = p.nextToken();
            switch (name) {
              case "t":
                t = p.getText();
                break;
              case "m":
                m = tok == JsonToken.VALUE_TRUE;
                break;
              case "o":
                if (tok == JsonToken.VALUE_STRING) {
                  o = Json.of(p.getText());
                } else {
                  Map<String, Json> fields = new LinkedHashMap<>();
                  while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    fields.put(k, Json.of(p.getText()));
                  }
                  o = new Json.Obj(fields);
                }
                break;
              default:
                throw new IllegalStateException("unexpected field " + name + " in " + line);
            }
          }
          out.add(new Vector(Objects.requireNonNull(t), Objects.requireNonNull(o), m));
        }
      }
    }
    return out;
  }

  @Test
  void matchesAgreesWithGunJsOnEveryVector() throws IOException {
    List<Vector> vectors = vectors();
    assertThat(vectors).hasSizeGreaterThan(5000);
    List<String> mismatches = new ArrayList<>();
    int trues = 0;
    for (Vector v : vectors) {
      Lex lex = Lex.fromJson(v.o());
      assertThat(lex).as("lex of %s", v.o().toJs()).isNotNull();
      if (lex.matches(v.t()) != v.m()) {
        mismatches.add(v.o().toJs() + " on " + Json.of(v.t()).toJs() + ": Gun.js says " + v.m());
      }
      if (v.m()) {
        trues++;
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(trues).as("both answers are represented").isBetween(100, vectors.size() - 100);
  }

  @Test
  void matchesTheDocumentedCases() {
    assertThat(Lex.prefix("ap").matches("apple")).isTrue();
    assertThat(Lex.prefix("ap").matches("banana")).isFalse();
    assertThat(Lex.range("apricot", "banana").matches("apricot")).isTrue();
    assertThat(Lex.range("apricot", "banana").matches("banana")).isTrue();
    assertThat(Lex.range("apricot", "banana").matches("b")).isTrue();
    assertThat(Lex.range("apricot", "banana").matches("cherry")).isFalse();
    assertThat(Lex.exact("k").matches("k")).isTrue();
    assertThat(Lex.exact("k").matches("kk")).isFalse();
    // JavaScript truthiness: an empty exact condition matches nothing, not even the empty string
    assertThat(Lex.exact("").matches("")).isFalse();
    // an empty condition matches nothing
    assertThat(new Lex(null, null, null, null, null, false).matches("x")).isFalse();
    // an empty '>' is a prefix of everything, so the range's upper end is not applied
    assertThat(Lex.range("", "b").matches("z")).isTrue();
    // a string starting with '>' matches even when above '<'
    assertThat(Lex.range("b", "a").matches("bc")).isTrue();
    // UTF-16 order: U+FFFF sorts above a surrogate pair
    assertThat(Lex.range("\uD83D\uDE00", null).matches("\uFFFF")).isTrue();
  }

  @Test
  void fromJsonReadsStringsAndObjects() {
    assertThat(Lex.fromJson(Json.of("k"))).isEqualTo(Lex.exact("k"));
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("*", Json.of("ap"));
    m.put(">", Json.of("a"));
    m.put("<", Json.of("b"));
    m.put("=", Json.of("e"));
    m.put("%", Json.of(50));
    m.put("-", Json.of(1));
    m.put("+", Json.of("ignored"));
    assertThat(Lex.fromJson(new Json.Obj(m))).isEqualTo(new Lex("e", "ap", "a", "b", 50.0, true));
    assertThat(Lex.fromJson(Json.Obj.empty()))
        .isEqualTo(new Lex(null, null, null, null, null, false));
  }

  @Test
  void fromJsonReadsReverseByJavaScriptTruthiness() {
    assertThat(reverseOf(Json.TRUE)).isTrue();
    assertThat(reverseOf(Json.of(1))).isTrue();
    assertThat(reverseOf(Json.of("x"))).isTrue();
    assertThat(reverseOf(Json.Obj.empty())).isTrue();
    assertThat(reverseOf(new Json.Arr(List.of()))).isTrue();
    assertThat(reverseOf(Json.FALSE)).isFalse();
    assertThat(reverseOf(Json.of(0))).isFalse();
    assertThat(reverseOf(Json.of(""))).isFalse();
    assertThat(reverseOf(Json.NULL)).isFalse();
  }

  private static boolean reverseOf(Json minus) {
    Lex lex = Lex.fromJson(new Json.Obj(Map.of("*", Json.of("a"), "-", minus)));
    assertThat(lex).isNotNull();
    return lex.reverse();
  }

  @Test
  void fromJsonIgnoresANonNumericLimit() {
    Lex lex = Lex.fromJson(new Json.Obj(Map.of("*", Json.of("a"), "%", Json.of("50"))));
    assertThat(lex).isEqualTo(Lex.prefix("a"));
  }

  @Test
  void fromJsonRejectsWhatItCannotRepresent() {
    assertThat(Lex.fromJson(Json.of(5))).isNull();
    assertThat(Lex.fromJson(Json.TRUE)).isNull();
    assertThat(Lex.fromJson(Json.NULL)).isNull();
    assertThat(Lex.fromJson(new Json.Arr(List.of(Json.of("a"))))).isNull();
    for (String key : List.of("=", "*", ">", "<")) {
      assertThat(Lex.fromJson(new Json.Obj(Map.of(key, Json.of(5))))).as(key).isNull();
      assertThat(Lex.fromJson(new Json.Obj(Map.of(key, Json.NULL)))).as(key).isNull();
    }
  }

  @Test
  void toJsonRoundTrips() {
    List<Lex> lexes =
        List.of(
            Lex.exact("k"),
            Lex.prefix("user/"),
            Lex.range("a", null),
            Lex.range(null, "b"),
            Lex.range("a", "b").withLimit(9.0).withReverse(true),
            new Lex("", "", "", "", 0.5, false));
    for (Lex lex : lexes) {
      assertThat(Lex.fromJson(lex.toJson())).isEqualTo(lex);
    }
    assertThat(Lex.range("a", "b").withLimit(100.0).withReverse(true).toJson().toJs())
        .isEqualTo("{\">\":\"a\",\"<\":\"b\",\"%\":100,\"-\":1}");
  }

  @Test
  void withersAndIsExact() {
    Lex lex = Lex.prefix("a").withLimit(5.0).withReverse(true);
    assertThat(lex.limit()).isEqualTo(5.0);
    assertThat(lex.reverse()).isTrue();
    assertThat(lex.withLimit(null).limit()).isNull();
    assertThat(lex.withReverse(false).reverse()).isFalse();
    assertThat(lex.prefix()).isEqualTo("a");
    assertThat(Lex.exact("a").isExact()).isTrue();
    assertThat(Lex.exact("a").withLimit(3.0).isExact()).isTrue();
    assertThat(new Lex("a", "a", null, null, null, false).isExact()).isFalse();
    assertThat(Lex.prefix("a").isExact()).isFalse();
  }

  @Test
  void budgetCostIsStringLengthOrNine() {
    assertThat(Lex.budgetCost(Value.text("apple"))).isEqualTo(5);
    assertThat(Lex.budgetCost(Value.text("\uD83D\uDE00"))).isEqualTo(2); // UTF-16 units
    assertThat(Lex.budgetCost(Value.text(""))).isEqualTo(9); // ('').length || 9
    assertThat(Lex.budgetCost(Value.number(123456789012.0))).isEqualTo(9);
    assertThat(Lex.budgetCost(Value.bool(true))).isEqualTo(9);
    assertThat(Lex.budgetCost(Value.NULL)).isEqualTo(9);
    assertThat(Lex.budgetCost(Value.link("a/very/long/soul/name"))).isEqualTo(9);
  }

  @Test
  void budgetFollowsStoreJs() {
    assertThat(Lex.budget(null, true)).isEqualTo(1);
    assertThat(Lex.budget(null, false)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Lex.budget(50.0, true)).isEqualTo(50);
    assertThat(Lex.budget(50.0, false)).isEqualTo(50);
    assertThat(Lex.budget(100_000.0, true)).isEqualTo(100_000);
    assertThat(Lex.budget(100_001.0, true)).isEqualTo(1); // replaced, not capped
    assertThat(Lex.budget(0.0, true)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Lex.budget(0.0, false)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Lex.budget(-5.0, true)).isEqualTo(-5);
  }

  @Test
  void budgetSpentAlwaysTakesTheFirstFieldAndTheOneThatCrosses() {
    assertThat(Lex.budgetSpent(1, 0)).isFalse();
    assertThat(Lex.budgetSpent(-5, 0)).isFalse();
    assertThat(Lex.budgetSpent(1, 5)).isTrue();
    assertThat(Lex.budgetSpent(10, 9)).isFalse();
    assertThat(Lex.budgetSpent(10, 10)).isTrue();
    assertThat(Lex.budgetSpent(Double.POSITIVE_INFINITY, Long.MAX_VALUE)).isFalse();
  }

  @Test
  void aPrefixGetWithoutPercentAnswersTheFirstMatchOnly() {
    // frames-07: {"*":"ap"} over apple, apricot, banana answers only apple (docs/protocol.md §8.13)
    Map<String, Value> node = new LinkedHashMap<>();
    node.put("apple", Value.text("red"));
    node.put("apricot", Value.text("orange"));
    node.put("banana", Value.text("yellow"));
    assertThat(answer(node, Lex.prefix("ap"), null)).containsExactly("apple");
    assertThat(answer(node, Lex.prefix("ap"), 4.0)).containsExactly("apple", "apricot");
    assertThat(answer(node, Lex.prefix("ap"), 3.0)).containsExactly("apple");
    assertThat(answer(node, Lex.range("a", "z"), 100.0))
        .containsExactly("apple", "apricot", "banana");
  }

  private static List<String> answer(Map<String, Value> node, Lex lex, Double percent) {
    double budget = Lex.budget(percent, true);
    long spent = 0;
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Value> e : node.entrySet()) {
      if (!lex.matches(e.getKey())) {
        continue;
      }
      if (Lex.budgetSpent(budget, spent)) {
        break;
      }
      keys.add(e.getKey());
      spent += Lex.budgetCost(e.getValue());
    }
    return keys;
  }

  @Test
  void aLimitIsGivenAsAnIntegerOrADouble() {
    assertThat(Lex.prefix("ap").withLimit(100)).isEqualTo(Lex.prefix("ap").withLimit(100.0));
    assertThat(Lex.prefix("ap").withLimit(100).limit()).isEqualTo(100.0);
    assertThat(Lex.prefix("ap").withLimit(100).withLimit(null).limit()).isNull();
  }
}
