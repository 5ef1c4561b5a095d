package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Put validation (docs/protocol.md §1.2, §3.3). The expected texts are Gun.js's own: each was
 * produced by feeding the same put to {@code root.on('in', msg)} of gun@0.2020.1241 and reading
 * {@code msg.err} (with a valid field after the bad one, since Gun.js loses the error of a last
 * field).
 */
class PutValidationTest {

  private static final MessageReader READER = new MessageReader();

  private static Message read(String put) {
    Frame f = READER.read("{\"#\":\"m1\",\"@\":\"a1\",\"put\":" + put + ",\"x\":1}");
    assertThat(f.error()).isNull();
    Message m = f.messages().get(0);
    // The rest of the message is read whatever the put.
    assertThat(m.id()).isEqualTo("m1");
    assertThat(m.ack()).isEqualTo("a1");
    assertThat(m.extra()).containsKey("x");
    return m;
  }

  private static String rejected(String put) {
    Message m = read(put);
    assertThat(m.put()).as("put of %s", put).isNull();
    assertThat(m.invalidPut()).as("reason for %s", put).isNotNull();
    return m.invalidPut();
  }

  private static Graph accepted(String put) {
    Message m = read(put);
    assertThat(m.invalidPut()).as("reason for %s", put).isNull();
    assertThat(m.put()).isNotNull();
    return m.put();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // node level
        "{\"abcdefghijkl\":null}                         | Error: Invalid graph! 'abcdefghi...' no node.",
        "{\"abcdefghijkl\":false}                        | Error: Invalid graph! 'abcdefghi...' no node.",
        "{\"abcdefghijkl\":0}                            | Error: Invalid graph! 'abcdefghi...' no node.",
        "{\"abcdefghijkl\":\"\"}                         | Error: Invalid graph! 'abcdefghi...' no node.",
        "{\"abcdefghijkl\":{\"a\":1}}                    | Error: Invalid graph! 'abcdefghi...' no meta.",
        "{\"abcdefghijkl\":\"x\"}                        | Error: Invalid graph! 'abcdefghi...' no meta.",
        "{\"abcdefghijkl\":[]}                           | Error: Invalid graph! 'abcdefghi...' no meta.",
        "{\"abcdefghijkl\":{\"_\":null}}                 | Error: Invalid graph! 'abcdefghi...' no meta.",
        "{\"abcdefghijkl\":{\"_\":\"x\"}}                | Error: Invalid graph! 'abcdefghi...' soul not same.",
        "{\"abcdefghijkl\":{\"_\":[1]}}                  | Error: Invalid graph! 'abcdefghi...' soul not same.",
        "{\"abcdefghijkl\":{\"_\":{}}}                   | Error: Invalid graph! 'abcdefghi...' soul not same.",
        "{\"abcdefghijkl\":{\"_\":{\"#\":\"abcdefghijk\",\">\":{}}}} | Error: Invalid graph! 'abcdefghi...' soul not same.",
        "{\"abcdefghijkl\":{\"_\":{\"#\":5,\">\":{}}}}   | Error: Invalid graph! 'abcdefghi...' soul not same.",
        "{\"abcdefghijkl\":{\"_\":{\"#\":\"abcdefghijkl\"}}} | Error: Invalid graph! 'abcdefghi...' no state.",
        "{\"abcdefghijkl\":{\"_\":{\"#\":\"abcdefghijkl\",\">\":5}}} | Error: Invalid graph! 'abcdefghi...' no state.",
        "{\"raw/node\":{\"_\":{\"#\":\"other/soul\",\">\":{\"f\":1}},\"f\":1}} | Error: Invalid graph! 'raw/node...' soul not same.",
        "{\"\":{\"_\":{\"#\":\"\",\">\":{}}}}             | Error: Invalid graph! '...' no soul.",
        "{\"\":null}                                     | Error: Invalid graph! '...' no soul.",
        // field level
        "{\"raw/node\":{\"_\":{\"#\":\"raw/node\",\">\":{}},\"d\":\"no state\"}} | Error: Invalid graph! 'd...' on 'raw/node...' no state.",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":\"1\"}},\"k\":1}}   | Error: Invalid graph! 'k...' on 's...' no state.",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":null}},\"k\":1}}    | Error: Invalid graph! 'k...' on 's...' no state.",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1e999}},\"k\":1}}   | Error: Invalid graph! 'k...' on 's...' no state.",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":-1e999}},\"k\":1}}  | Error: Invalid graph! 'k...' on 's...' no state.",
        "{\"raw/node\":{\"_\":{\"#\":\"raw/node\",\">\":{\"e\":1}},\"e\":[1,2]}} | `Error: Invalid graph! 'e...' on 'raw/node...' bad object '1,2...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"longfieldname\":1}},\"longfieldname\":{\"a\":1}}} | `Error: Invalid graph! 'longfield...' on 's...' bad object '[object O...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":\"a\",\"b\":1}}} | `Error: Invalid graph! 'k...' on 's...' bad object '[object O...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":\"\"}}}         | `Error: Invalid graph! 'k...' on 's...' bad object '[object O...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":5}}}          | `Error: Invalid graph! 'k...' on 's...' bad object '[object O...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{}}}                 | `Error: Invalid graph! 'k...' on 's...' bad object '[object O...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":[]}}                 | `Error: Invalid graph! 'k...' on 's...' bad object '...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":1e999}}              | `Error: Invalid graph! 'k...' on 's...' bad number 'Infinity...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":-1e999}}             | `Error: Invalid graph! 'k...' on 's...' bad number '-Infinity...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":[1,[2,[3,{}]],null,\"abc\",true]}} | `Error: Invalid graph! 'k...' on 's...' bad object '1,2,3,[ob...' `",
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":[null,null,\"ab\",null]}}          | `Error: Invalid graph! 'k...' on 's...' bad object ',,ab,...' `",
        // the first error in JavaScript key order: integer-like keys first
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"b\":1}},\"b\":[1],\"5\":[2],\"a\":[3]}} | Error: Invalid graph! '5...' on 's...' no state.",
        "{\"z\":{\"_\":{\"#\":\"z\",\">\":{}},\"b\":1},\"7\":{\"_\":{\"#\":\"7\",\">\":{}},\"c\":1}} | Error: Invalid graph! 'c...' on '7...' no state.",
        // the state is checked before the value
        "{\"s\":{\"_\":{\"#\":\"s\",\">\":{}},\"k\":[1]}} | Error: Invalid graph! 'k...' on 's...' no state.",
        // the put itself
        "\"x\"  | Error: Invalid graph! put is not an object.",
        "5      | Error: Invalid graph! put is not an object.",
        "[]     | Error: Invalid graph! put is not an object.",
        "true   | Error: Invalid graph! put is not an object.",
        "{\"s\":[]}   | Error: Invalid graph! 's...' no meta.",
      })
  void rejectedWithGunsWords(String put, String reason) {
    assertThat(rejected(put)).isEqualTo(reason);
  }

  @Test
  void cutCountsUtf16UnitsAndMaySplitAPair() {
    String soul = "\ud83d\ude00".repeat(5);
    assertThat(rejected("{\"" + soul + "\":{\"a\":1}}"))
        .isEqualTo("Error: Invalid graph! '\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d...' no meta.");
  }

  @Test
  void oneBadNodeRejectsTheWholePut() {
    String put =
        "{\"good\":{\"_\":{\"#\":\"good\",\">\":{\"a\":1}},\"a\":1},"
            + "\"bad\":{\"_\":{\"#\":\"bad\",\">\":{\"a\":1}},\"a\":1,\"b\":2},"
            + "\"good2\":{\"_\":{\"#\":\"good2\",\">\":{\"a\":1}},\"a\":1}}";
    assertThat(rejected(put)).isEqualTo("Error: Invalid graph! 'b...' on 'bad...' no state.");
  }

  @Test
  void allValueTypesAreAccepted() {
    Graph g =
        accepted(
            "{\"s\":{\"_\":{\">\":{\"t\":1,\"e\":2,\"n\":3.5,\"z\":-0,\"b\":4,\"f\":5,\"x\":6,\"l\":7,\"u\":1795520877934.001},\"#\":\"s\"},"
                + "\"t\":\"text\",\"e\":\"\",\"n\":-1.5e-7,\"z\":0,\"b\":true,\"f\":false,\"x\":null,\"l\":{\"#\":\"other\"},\"u\":1e21}}");
    Node s = g.node("s");
    assertThat(s.fields().keySet()).containsExactly("t", "e", "n", "z", "b", "f", "x", "l", "u");
    assertThat(s.field("t")).isEqualTo(new Field(Value.text("text"), 1));
    assertThat(s.field("e").value()).isEqualTo(Value.text(""));
    assertThat(s.field("n")).isEqualTo(new Field(Value.number(-1.5e-7), 3.5));
    assertThat(s.field("z")).isEqualTo(new Field(Value.number(0), 0)); // state -0 read as 0
    assertThat(s.field("b").value()).isEqualTo(Value.bool(true));
    assertThat(s.field("f").value()).isEqualTo(Value.bool(false));
    assertThat(s.field("x").value()).isEqualTo(Value.NULL);
    assertThat(s.field("l").value()).isEqualTo(Value.link("other"));
    assertThat(s.field("u")).isEqualTo(new Field(Value.number(1e21), 1795520877934.001));
  }

  @Test
  void extraStatesAndExtraMetaKeysAreIgnored() {
    Graph g = accepted("{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"a\":1,\"gone\":2,\"_\":3},\"x\":[1]},\"a\":1}}");
    assertThat(g.node("s").fields()).containsOnlyKeys("a");
  }

  @Test
  void emptyGraphAndEmptyNodeAreValid() {
    assertThat(accepted("{}").isEmpty()).isTrue();
    assertThat(accepted("{\"s\":{\"_\":{\"#\":\"s\",\">\":{}}}}").node("s").fields()).isEmpty();
  }

  @Test
  void underscoreIsTheMetaNeverAField() {
    // A repeated "_" replaces the earlier one, as in JSON.parse.
    Graph g = accepted("{\"s\":{\"_\":{\"#\":\"x\"},\"a\":1,\"_\":{\"#\":\"s\",\">\":{\"a\":1}}}}");
    assertThat(g.node("s").fields()).containsOnlyKeys("a");
    assertThat(rejected("{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"a\":1}},\"a\":1,\"_\":5}}"))
        .isEqualTo("Error: Invalid graph! 's...' soul not same.");
  }

  @Test
  void aLinkIsExactlyOneNonEmptyHash() {
    assertThat(accepted("{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":\"x\",\"#\":\"y\"}}}").node("s").field("k").value())
        .isEqualTo(Value.link("y"));
    rejected("{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":\"x\",\"#\":\"\"}}}");
    rejected("{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":\"x\",\".\":\"y\"}}}");
    rejected("{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":{\"#\":{\"#\":\"x\"}}}}");
  }

  @Test
  void putNullIsNoPutAtAll() {
    Message m = read("null");
    assertThat(m.put()).isNull();
    assertThat(m.invalidPut()).isNull();
  }

  @Test
  void nodesAndFieldsAreInTheirOrder() {
    Graph g =
        accepted(
            "{\"b\":{\"_\":{\"#\":\"b\",\">\":{\"y\":1,\"x\":1}},\"y\":1,\"x\":2},\"a\":{\"_\":{\"#\":\"a\",\">\":{}}}}");
    assertThat(List.copyOf(g.nodes().keySet())).containsExactly("b", "a");
    assertThat(g.node("b").fields().keySet()).containsExactly("y", "x");
  }
}
