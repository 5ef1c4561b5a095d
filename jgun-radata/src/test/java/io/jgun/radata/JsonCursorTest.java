package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonCursor} accepts and rejects what {@code JSON.parse} does. */
class JsonCursorTest {

  /** Reads a whole text into a {@link Json} tree. */
  static Json parse(String text) throws JsonCursor.SyntaxError {
    JsonCursor c = new JsonCursor(text, 100);
    Json j = value(c, c.next());
    assertThat(c.next()).isNull();
    return j;
  }

  private static Json value(JsonCursor c, JsonCursor.Token t) throws JsonCursor.SyntaxError {
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Json> m = new LinkedHashMap<>();
          while (c.next() == JsonCursor.Token.NAME) {
            String k = c.text();
            m.put(k, value(c, c.next()));
          }
          return new Json.Obj(m);
        }
      case START_ARRAY:
        {
          List<Json> l = new ArrayList<>();
          JsonCursor.Token e;
          while ((e = c.next()) != JsonCursor.Token.END_ARRAY) {
            l.add(value(c, e));
          }
          return new Json.Arr(l);
        }
      case STRING:
        return Json.of(c.text());
      case NUMBER:
        return Json.of(c.number());
      case TRUE:
        return Json.TRUE;
      case FALSE:
        return Json.FALSE;
      case NULL:
        return Json.NULL;
      default:
        throw new AssertionError(t);
    }
  }

  @Test
  void readsJson() throws Exception {
    assertThat(parse(" {\"a\" : [1, -0.5e+3, true, false, null, \"x\"], \"\":{}}\n").toJs())
        .isEqualTo("{\"a\":[1,-500,true,false,null,\"x\"],\"\":{}}");
    assertThat(parse("[]")).isEqualTo(new Json.Arr(List.of()));
    assertThat(parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\""))
        .isEqualTo(Json.of("\"\\/\b\f\n\r\té"));
    assertThat(parse("1E2")).isEqualTo(Json.of(100));
    assertThat(parse("-0")).isEqualTo(Json.of(0));
    assertThat(parse("5e-324")).isEqualTo(Json.of(Double.MIN_VALUE));
    assertThat(parse("1795527062834.0051")).isEqualTo(Json.of(1795527062834.0051));
  }

  @Test
  void keepsLoneSurrogatesInNamesAndStrings() throws Exception {
    // JSON.stringify writes a radix edge that ends inside a surrogate pair this way
    Json j = parse("{\"\\ud83d\":{\"\\ude00x\":\"\\udc00\"}}");
    Json.Obj o = (Json.Obj) j;
    assertThat(o.fields()).containsOnlyKeys("\ud83d");
    assertThat(((Json.Obj) o.get("\ud83d")).get("\ude00x")).isEqualTo(Json.of("\udc00"));
  }

  @Test
  void outOfRangeNumbersAreInfinityAsInJavaScript() throws Exception {
    JsonCursor c = new JsonCursor("1e400", 10);
    assertThat(c.next()).isEqualTo(JsonCursor.Token.NUMBER);
    assertThat(c.number()).isInfinite();
    assertThat(c.text()).isEqualTo("1e400");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]", "[1 2]", "01", "1.",
        ".5", "-", "1e", "+1", "NaN", "Infinity", "tru", "nul", "{'a':1}", "{a:1}", "\"a",
            "\"\\x\"",
        "\"\\u12\"", "\"\\u12g4\"", "{} x", "[] []", "{\"a\":1}}", "[1]]", "\"\u0001\"", "\"\t\""
      })
  void rejectsWhatJsonParseRejects(String text) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(JsonCursor.SyntaxError.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":1,}|7|expected a property name",
        "{\"a\":1} x|8|data after the JSON value",
        "{\"a\":1|6|unexpected end of input",
        "[1,2|4|unexpected end of input"
      })
  void errorsSayWhereAndWhat(String text, int offset, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOfSatisfying(
            JsonCursor.SyntaxError.class,
            e -> {
              assertThat(e.offset).isEqualTo(offset);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void nestingIsBounded() {
    assertThatThrownBy(() -> parse("[".repeat(101) + "]".repeat(101)))
        .hasMessageContaining("nested deeper than 100");
  }

  /** What JSON.stringify (Json.toJs) writes, JsonCursor reads back. */
  @Property(tries = 300)
  void roundTrip(@ForAll("json") Json j) throws Exception {
    assertThat(parse(j.toJs()).toJs()).isEqualTo(j.toJs());
  }

  @Provide
  Arbitrary<Json> json() {
    Arbitrary<String> strings =
        Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(12);
    Arbitrary<Json> scalars =
        Arbitraries.oneOf(
            strings.map(Json::of),
            Arbitraries.doubles().map(Json::of),
            Arbitraries.of(Json.TRUE, Json.FALSE, Json.NULL));
    return Arbitraries.recursive(
        () -> scalars,
        inner ->
            Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Json) new Json.Arr(l)),
                Arbitraries.maps(strings, inner).ofMaxSize(4).map(m -> (Json) new Json.Obj(m))),
        0,
        3);
  }
}
