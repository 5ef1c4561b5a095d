package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Lex;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames that are not what they should be: each gives a clear error and nothing escapes. */
class MessageReaderTest {

  private static final MessageReader READER = new MessageReader();
  private static final Frame.FrameError MALFORMED =
      new Frame.FrameError(Frame.Kind.MALFORMED, "DAM JSON parse error.");

  private static Message one(String frame) {
    Frame f = READER.read(frame);
    assertThat(f.error()).as("error for %s", frame).isNull();
    assertThat(f.messages()).as("messages of %s", frame).hasSize(1);
    return f.messages().get(0);
  }

  // --- framing ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{\"#\":\"rp9badjs",
        "{\"#\":\"a\"",
        "[{\"#\":\"a\"}",
        "[{\"#\":\"a\"},",
        "{\"#\":\"a\"} x",
        "{\"#\":\"a\"}}",
        "{\"#\":\"a\"}{\"#\":\"b\"}",
        "[] []",
        "{\"#\":NaN}",
        "{\"#\":Infinity}",
        "{'#':'a'}",
        "{\"#\":'a'}",
        "{#:\"a\"}",
        "{\"#\":\"a\",}",
        "[1,]",
        "{\"#\":01}",
        "{\"#\":\"a\" /* c */}",
        "{\"#\":\"a\nb\"}",
        "{\"#\":\"\\x\"}",
        "\"just a string\"",
        "42",
        "null",
        "true",
        "false",
        "\uFEFF{}",
        "x{}",
      })
  void notAFrame(String frame) {
    Frame f = READER.read(frame);
    assertThat(f.error()).isEqualTo(MALFORMED);
    assertThat(f.messages()).isEmpty();
  }

  @Test
  void emptyArrayIsAValidEmptyFrame() {
    Frame f = READER.read("[]");
    assertThat(f.error()).isNull();
    assertThat(f.messages()).isEmpty();
    assertThat(f.skipped()).isZero();
    assertThat(READER.read(" \r\n\t[ ] \n").error()).isNull();
  }

  @Test
  void whitespaceAroundAnObjectIsFine() {
    assertThat(one(" \n {\"#\":\"a\"} \t").id()).isEqualTo("a");
  }

  @Test
  void arrayElementsThatAreNotObjectsAreSkippedAndCounted() {
    Frame f =
        READER.read(
            "[1,{\"#\":\"a\"},\"x\",null,[{\"#\":\"nested\"}],true,{\"#\":\"b\",\"get\":{\"#\":\"s\"}},[],{}]");
    assertThat(f.error()).isNull();
    assertThat(f.messages()).extracting(Message::id).containsExactly("a", "b", null);
    assertThat(f.skipped()).isEqualTo(6);
    assertThat(f.messages().get(1).get().exactSoul()).isEqualTo("s");
  }

  @Test
  void anArrayOfOnlyGarbage() {
    Frame f = READER.read("[1,2.5,\"s\",null,false,[[[]]]]");
    assertThat(f.error()).isNull();
    assertThat(f.messages()).isEmpty();
    assertThat(f.skipped()).isEqualTo(6);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void hundredThousandOpeningBracketsAreTooDeepNotAStackOverflow() {
    String deep = "[".repeat(100_000);
    Frame f = READER.read(deep);
    assertThat(f.error().kind()).isEqualTo(Frame.Kind.TOO_DEEP);
    assertThat(f.messages()).isEmpty();
    String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    assertThat(READER.read(deepObjects).error().kind()).isEqualTo(Frame.Kind.TOO_DEEP);
    String deepInPut = "{\"put\":{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":" + "[".repeat(100_000) + "}";
    assertThat(READER.read(deepInPut).error().kind()).isEqualTo(Frame.Kind.TOO_DEEP);
  }

  @Test
  void depthLimitCountsTheFrameAsOne() {
    MessageReader r = new MessageReader(MessageReader.Limits.defaults().withMaxDepth(3));
    assertThat(r.read("{\"a\":{\"b\":{}}}").error()).isNull();
    assertThat(r.read("{\"a\":{\"b\":{\"c\":1}}}").error()).isNull();
    assertThat(r.read("{\"a\":{\"b\":{\"c\":{}}}}").error().kind()).isEqualTo(Frame.Kind.TOO_DEEP);
    assertThat(r.read("[{\"a\":[]}]").error()).isNull();
    assertThat(r.read("[{\"a\":[[]]}]").error().kind()).isEqualTo(Frame.Kind.TOO_DEEP);
    // A put in an array frame needs six levels.
    String put = "[{\"put\":{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":\"t\"}}}}]";
    assertThat(new MessageReader(MessageReader.Limits.defaults().withMaxDepth(6)).read(put).error()).isNull();
    assertThat(new MessageReader(MessageReader.Limits.defaults().withMaxDepth(5)).read(put).error().kind())
        .isEqualTo(Frame.Kind.TOO_DEEP);
  }

  @Test
  void aHundredMegabyteFrameIsTooBigWithoutBeingParsed() {
    String huge = "[" + " ".repeat(100_000_000 - 2) + "]";
    assertThat(huge).hasSize(100_000_000);
    Frame f = READER.read(huge);
    assertThat(f.error()).isEqualTo(new Frame.FrameError(Frame.Kind.TOO_BIG, "Message too big!"));
    Frame g = new MessageReader(MessageReader.GUN_MAX_FRAME_CHARS, 64, 10_000).read(huge);
    assertThat(g.error().kind()).isEqualTo(Frame.Kind.TOO_BIG);
  }

  @Test
  void frameLengthLimitIsInclusive() {
    MessageReader r = new MessageReader(MessageReader.Limits.defaults().withMaxFrameChars(10));
    assertThat(r.read("{\"#\":\"12\"}").error()).isNull(); // 10 chars
    assertThat(r.read("{\"#\":\"123\"}").error().kind()).isEqualTo(Frame.Kind.TOO_BIG);
  }

  @Test
  void tooManyElementsInAnArray() {
    MessageReader r = new MessageReader(MessageReader.Limits.defaults().withMaxMessages(3));
    assertThat(r.read("[{},{},{}]").messages()).hasSize(3);
    Frame f = r.read("[{},{},{},{}]");
    assertThat(f.error().kind()).isEqualTo(Frame.Kind.TOO_MANY);
    assertThat(f.messages()).isEmpty();
    assertThat(r.read("[1,2,3,4]").error().kind()).isEqualTo(Frame.Kind.TOO_MANY);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new MessageReader.Limits(0, 64, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MessageReader(10, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MessageReader().limits()).isEqualTo(MessageReader.Limits.defaults());
    assertThat(MessageReader.Limits.defaults().maxFrameChars()).isEqualTo(10 * 1024 * 1024);
  }

  @Test
  void longStringsAndKeysUpToTheFrameLimitAreFine() {
    String big = "x".repeat(3_000_000);
    Message m = one("{\"#\":\"" + big + "\",\"" + big + "\":1}");
    assertThat(m.id()).hasSize(3_000_000);
    assertThat(m.extra()).containsKey(big);
  }

  // --- typed fields -------------------------------------------------------------------------

  @Test
  void idsAreStringsOrNumbersAsTheirJavaScriptText() {
    assertThat(one("{\"#\":\"abc\",\"@\":\"def\"}").id()).isEqualTo("abc");
    assertThat(one("{\"#\":123}").id()).isEqualTo("123");
    assertThat(one("{\"#\":1.50}").id()).isEqualTo("1.5");
    assertThat(one("{\"#\":1e21}").id()).isEqualTo("1e+21");
    assertThat(one("{\"#\":12345678901234567890}").id()).isEqualTo("12345678901234567000");
    assertThat(one("{\"#\":1e400}").id()).isEqualTo("Infinity");
    assertThat(one("{\"@\":-7}").ack()).isEqualTo("-7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "[\"a\"]", "true", "false", "null", "\"\"", "0", "-0", "0.0"})
  void idsOfOtherTypesOrFalsyAreAbsent(String v) {
    Message m = one("{\"#\":" + v + ",\"@\":" + v + ",\"dam\":" + v + "}");
    assertThat(m.id()).isNull();
    assertThat(m.ack()).isNull();
    assertThat(m.dam()).isNull();
    assertThat(m.extra()).isEmpty();
  }

  @Test
  void hashIsAnInt32OrKeptAsAnExtraField() {
    assertThat(one("{\"##\":1068460185}").hash()).isEqualTo(1068460185);
    assertThat(one("{\"##\":-2147483648}").hash()).isEqualTo(Integer.MIN_VALUE);
    assertThat(one("{\"##\":2147483647}").hash()).isEqualTo(Integer.MAX_VALUE);
    assertThat(one("{\"##\":5.0}").hash()).isEqualTo(5);
    assertThat(one("{\"##\":-0}").hash()).isEqualTo(0);
    Message big = one("{\"##\":2147483648}");
    assertThat(big.hash()).isNull();
    assertThat(big.extra()).containsExactly(Map.entry("##", Json.of(2147483648.0)));
    assertThat(MessageWriter.write(big)).isEqualTo("{\"##\":2147483648}");
    assertThat(one("{\"##\":1.5}").extra()).containsExactly(Map.entry("##", Json.of(1.5)));
    assertThat(one("{\"##\":\"12\"}").extra()).containsExactly(Map.entry("##", Json.of("12")));
    // a later ## replaces an earlier one, whichever its type
    Message twice = one("{\"##\":\"x\",\"##\":7}");
    assertThat(twice.hash()).isEqualTo(7);
    assertThat(twice.extra()).isEmpty();
    Message back = one("{\"##\":7,\"##\":\"x\"}");
    assertThat(back.hash()).isNull();
    assertThat(back.extra()).containsExactly(Map.entry("##", Json.of("x")));
  }

  @Test
  void wrongTypesForTypedFieldsAreDropped() {
    Message m =
        one("{\"#\":{},\"@\":[1],\"dam\":1,\"pid\":true,\"><\":{\"a\":1},\"get\":5,\"x\":1}");
    assertThat(m.id()).isNull();
    assertThat(m.ack()).isNull();
    assertThat(m.dam()).isNull();
    assertThat(m.pid()).isNull();
    assertThat(m.route()).isNull();
    assertThat(m.get()).isNull();
    assertThat(m.extra()).containsExactly(Map.entry("x", Json.of(1)));
    assertThat(one("{\"get\":\"soul\"}").get()).isNull();
    assertThat(one("{\"get\":null}").get()).isNull();
    assertThat(one("{\"get\":[]}").get()).isNull();
  }

  @Test
  void okErrAndMoreKeepAnyJson() {
    Message m = one("{\"ok\":{\"@\":9,\"/\":1},\"err\":null,\"%\":1}");
    assertThat(m.ok()).isEqualTo(new Json.Obj(Map.of("@", Json.of(9), "/", Json.of(1))));
    assertThat(m.err()).isSameAs(Json.NULL);
    assertThat(m.more()).isEqualTo(Json.of(1));
    assertThat(one("{\"err\":\"Error: x\"}").err()).isEqualTo(Json.of("Error: x"));
    assertThat(one("{\"ok\":[1,\"a\",{}]}").ok()).isInstanceOf(Json.Arr.class);
  }

  @Test
  void unknownFieldsAreKeptInOrderAndJsonKeyOrderApplies() {
    Message m = one("{\"FOO\":1,\"b\":{\"z\":1,\"2\":2,\"a\":3,\"1\":4},\"DBG\":[true,null]}");
    assertThat(m.extra().keySet()).containsExactly("FOO", "b", "DBG");
    assertThat(((Json.Obj) m.extra().get("b")).fields().keySet()).containsExactly("1", "2", "z", "a");
    assertThat(m.extra().get("DBG")).isEqualTo(new Json.Arr(List.of(Json.TRUE, Json.NULL)));
  }

  @Test
  void aRepeatedKeyKeepsTheLastValueInTheFirstPlace() {
    Message m = one("{\"#\":\"a\",\"x\":1,\"y\":2,\"#\":\"b\",\"x\":3}");
    assertThat(m.id()).isEqualTo("b");
    assertThat(m.extra()).containsExactly(Map.entry("x", Json.of(3)), Map.entry("y", Json.of(2)));
    assertThat(one("{\"#\":\"a\",\"#\":{}}").id()).isNull();
    Message puts =
        one("{\"put\":{\"s\":1},\"put\":{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":2}}}");
    assertThat(puts.invalidPut()).isNull();
    assertThat(puts.put().node("s").field("k").value()).isEqualTo(Value.number(2));
    Message putThenNull = one("{\"put\":{\"s\":1},\"put\":null}");
    assertThat(putThenNull.put()).isNull();
    assertThat(putThenNull.invalidPut()).isNull();
  }

  @Test
  void hugeNumbersOutsideAPutBecomeNullAsJsonStringifyWouldWriteThem() {
    Message m = one("{\"x\":1e999,\"ok\":-1e999}");
    assertThat(m.extra().get("x")).isSameAs(Json.NULL);
    assertThat(m.ok()).isSameAs(Json.NULL);
  }

  @Test
  void loneSurrogatesAreKeptAndEscapedAgainOnOutput() {
    Message m = one("{\"#\":\"a\\ud800b\",\"x\":\"\\udc00\",\"put\":{\"s\\ud83d\":{\"_\":{\"#\":\"s\\ud83d\",\">\":{\"\\ude00\":1}},\"\\ude00\":\"\\ud83d\\ude00\"}}}");
    assertThat(m.id()).isEqualTo("a\ud800b");
    assertThat(m.extra().get("x")).isEqualTo(Json.of("\udc00"));
    assertThat(m.put().node("s\ud83d").field("\ude00").value()).isEqualTo(Value.text("\ud83d\ude00"));
    String out = MessageWriter.write(m);
    assertThat(out)
        .isEqualTo("{\"#\":\"a\\ud800b\",\"put\":{\"s\\ud83d\":{\"_\":{\"#\":\"s\\ud83d\",\">\":{\"\\ude00\":1}},\"\\ude00\":\"\ud83d\ude00\"}},\"x\":\"\\udc00\"}");
    // A raw (unescaped) lone surrogate in the Java string reads the same.
    assertThat(one("{\"#\":\"a\ud800b\"}").id()).isEqualTo("a\ud800b");
  }

  @Test
  void escapedLoneSurrogatesInKeysAreRead() {
    // Jackson alone refuses these keys; JSON.parse accepts them and JSON.stringify writes them.
    Message m = one("{\"\\ud83d\":1,\"\\uDE00x\":2,\"p\\ud83d\\ude00\":3,\"q\\\\ud800\":4}");
    assertThat(m.extra().keySet()).containsExactly("\ud83d", "\ude00x", "p\ud83d\ude00", "q\\ud800");
    assertThat(MessageWriter.write(m))
        .isEqualTo("{\"p\ud83d\ude00\":3,\"q\\\\ud800\":4,\"\\ud83d\":1,\"\\ude00x\":2}");
  }

  @Test
  void surrogateRewriteLeavesEverythingElseAlone() {
    String plain = "{\"a\":\"\\u0041\\\\\\\"\\n\\ud7ff\\ue000\\\\ud800\"}";
    assertThat(MessageReader.rawSurrogates(plain)).isSameAs(plain);
    String bs = "\\";
    String input = "\"" + bs + "ud800" + bs + bs + bs + "uDFFF" + bs + "u0041" + bs;
    String expected = "\"" + (char) 0xD800 + bs + bs + (char) 0xDFFF + bs + "u0041" + bs;
    assertThat(MessageReader.rawSurrogates(input)).isEqualTo(expected);
    assertThat(MessageReader.rawSurrogates("\\ud80")).isEqualTo("\\ud80");
  }

  // --- get ----------------------------------------------------------------------------------

  @Test
  void getWithExactSoulAndKey() {
    Get g = one("{\"get\":{\"#\":\"config/app\",\".\":\"theme\"},\"#\":\"x\"}").get();
    assertThat(g.exactSoul()).isEqualTo("config/app");
    assertThat(g.exactKey()).isEqualTo("theme");
    assertThat(g.limit()).isNull();
    assertThat(g.reverse()).isFalse();
  }

  @Test
  void getWithLexes() {
    Get g =
        one("{\"get\":{\"#\":{\"*\":\"user/\",\"%\":5,\"-\":1},\".\":{\">\":\"apricot\",\"<\":\"banana\",\"=\":\"b\"},\"%\":100,\"-\":true,\"+\":9}}")
            .get();
    assertThat(g.soul()).isEqualTo(new Lex(null, "user/", null, null, 5.0, true));
    assertThat(g.key()).isEqualTo(new Lex("b", null, "apricot", "banana", null, false));
    assertThat(g.limit()).isEqualTo(100.0);
    assertThat(g.reverse()).isTrue();
    assertThat(g.exactSoul()).isNull();
    assertThat(g.raw().fields()).containsKey("+");
  }

  @Test
  void getWithBadLexesKeepsTheRawObject() {
    Get g = one("{\"get\":{\"#\":5,\".\":{\"*\":1},\"%\":\"10\",\"-\":\"\"}}").get();
    assertThat(g.soul()).isNull();
    assertThat(g.key()).isNull();
    assertThat(g.limit()).isNull();
    assertThat(g.reverse()).isFalse();
    assertThat(MessageWriter.write(one("{\"get\":{\"#\":5,\".\":{\"*\":1}}}")))
        .isEqualTo("{\"get\":{\"#\":5,\".\":{\"*\":1}}}");
    Get empty = one("{\"get\":{}}").get();
    assertThat(empty.soul()).isNull();
    assertThat(empty.raw().fields()).isEmpty();
    assertThat(one("{\"get\":{\"#\":{}}}").get().soul()).isEqualTo(new Lex(null, null, null, null, null, false));
  }

  @Test
  void getReverseFollowsJavaScriptTruthiness() {
    Map<String, Boolean> cases = new LinkedHashMap<>();
    cases.put("1", true);
    cases.put("0", false);
    cases.put("\"x\"", true);
    cases.put("\"\"", false);
    cases.put("null", false);
    cases.put("{}", true);
    cases.put("[]", true);
    cases.put("false", false);
    cases.forEach(
        (v, expected) -> assertThat(one("{\"get\":{\"#\":\"s\",\"-\":" + v + "}}").get().reverse()).as(v).isEqualTo(expected));
  }
}
