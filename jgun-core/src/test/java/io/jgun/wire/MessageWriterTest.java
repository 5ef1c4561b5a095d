package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer's output, compared with what Gun.js / node wrote for the same values. */
class MessageWriterTest {

  private static final MessageReader READER = new MessageReader();

  /** Vectors from {@code scripts/gen-canonical-put-vectors.js}: graph text, canonical text, ##. */
  @Test
  void canonicalPutMatchesNode() throws IOException {
    List<String> lines;
    try (InputStream in = getClass().getResourceAsStream("/vectors/canonical-put.jsonl")) {
      assertThat(in).as("vectors/canonical-put.jsonl").isNotNull();
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
    for (String line : lines) {
      @SuppressWarnings("unchecked")
      Map<String, Object> v = (Map<String, Object>) TreeJson.parse(line);
      String input = (String) v.get("input");
      String canonical = (String) v.get("canonical");
      int hash = ((Double) v.get("hash")).intValue();
      Frame f = READER.read("{\"#\":\"r\",\"@\":\"q\",\"##\":" + hash + ",\"put\":" + input + "}");
      Message m = f.messages().get(0);
      assertThat(m.invalidPut()).as(input).isNull();
      assertThat(DamHash.canonicalJson(m.put())).isEqualTo(canonical);
      assertThat(canonical.hashCode()).isEqualTo(hash);
      // The reply carries the very same text.
      assertThat(MessageWriter.write(m))
          .isEqualTo("{\"#\":\"r\",\"##\":" + hash + ",\"@\":\"q\",\"put\":" + canonical + "}");
    }
  }

  @Test
  void putWithoutHashIsWrittenInFieldOrderMetaFirst() {
    Node n =
        Node.builder("user/alice")
            .put("name", Value.text("Alice"), 1795520872832.0)
            .put("Age", Value.number(30), 1795520877934.001)
            .put("1", Value.link("x"), 2)
            .put("nil", Value.NULL, 3)
            .build();
    Message m = Message.builder().id("a").put(Graph.of(n)).build();
    assertThat(MessageWriter.write(m))
        .isEqualTo(
            "{\"#\":\"a\",\"put\":{\"user/alice\":{\"_\":{\"#\":\"user/alice\",\">\":{\"name\":1795520872832,\"Age\":1795520877934.001,\"1\":2,\"nil\":3}},"
                + "\"name\":\"Alice\",\"Age\":30,\"1\":{\"#\":\"x\"},\"nil\":null}}}");
    // The same put with a ## is canonical: "1" first, "Age" before "_", the rest after it.
    assertThat(MessageWriter.write(m.toBuilder().hash(5).build()))
        .isEqualTo(
            "{\"#\":\"a\",\"##\":5,\"put\":{\"user/alice\":{\"1\":{\"#\":\"x\"},\"Age\":30,\"_\":{\"#\":\"user/alice\",\">\":{\"1\":2,\"Age\":1795520877934.001,\"name\":1795520872832,\"nil\":3}},"
                + "\"name\":\"Alice\",\"nil\":null}}}");
  }

  @Test
  void keysAreWrittenInCanonicalOrderWithExtrasMergedIn() {
    Message m =
        Message.builder()
            .put(Graph.empty())
            .pid("p")
            .ok(Json.TRUE)
            .get(Get.of(new Json.Obj(Map.of("#", Json.of("s")))))
            .err("e")
            .dam("?")
            .ack("q")
            .route("a,b")
            .more(Json.of(1))
            .hash(-1)
            .id("i")
            .extra("zz", Json.of(1))
            .extra("FOO", Json.of(1))
            .extra("$", Json.of(2))
            .extra("10", Json.of(3))
            .extra("9", Json.of(4))
            .extra("ok2", Json.NULL)
            .build();
    assertThat(MessageWriter.write(m))
        .isEqualTo(
            "{\"9\":4,\"10\":3,\"#\":\"i\",\"##\":-1,\"$\":2,\"%\":1,\"><\":\"a,b\",\"@\":\"q\",\"FOO\":1,\"dam\":\"?\","
                + "\"err\":\"e\",\"get\":{\"#\":\"s\"},\"ok\":true,\"ok2\":null,\"pid\":\"p\",\"put\":{},\"zz\":1}");
  }

  @Test
  void anExtraFieldNamedLikeASetTypedFieldIsNotWrittenTwice() {
    Message m = Message.builder().id("i").hash(3).extra("##", Json.of(1.5)).extra("#", Json.of("j")).build();
    assertThat(MessageWriter.write(m)).isEqualTo("{\"#\":\"i\",\"##\":3}");
    Message unset = Message.builder().extra("##", Json.of(1.5)).build();
    assertThat(MessageWriter.write(unset)).isEqualTo("{\"##\":1.5}");
  }

  @Test
  void emptyMessageAndBatches() {
    Message empty = Message.builder().build();
    assertThat(MessageWriter.write(empty)).isEqualTo("{}");
    assertThat(MessageWriter.writeBatch(List.of())).isEqualTo("[]");
    Message a = Message.builder().id("a").build();
    Message b = Message.builder().id("b").ack("a").ok(Json.of(1)).build();
    String batch = MessageWriter.writeBatch(List.of(a, b, empty));
    assertThat(batch).isEqualTo("[{\"#\":\"a\"},{\"#\":\"b\",\"@\":\"a\",\"ok\":1},{}]");
    assertThat(READER.read(batch).messages()).containsExactly(a, b, empty);
  }

  @Test
  void stringsAreEscapedAsJsonStringifyDoes() {
    String s = "q\"b\\s/\b\f\n\r\t\u0000\u001f\u007f\u2028é😀\ud800x\udfff";
    Message m = Message.builder().id(s).build();
    assertThat(MessageWriter.write(m))
        .isEqualTo("{\"#\":\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u2028é😀\\ud800x\\udfff\"}");
    assertThat(READER.read(MessageWriter.write(m)).messages().get(0).id()).isEqualTo(s);
  }

  @Test
  void numbersAreWrittenAsJavaScriptDoes() {
    Node n =
        Node.builder("s")
            .put("a", Value.number(30), 1795520877934.001)
            .put("b", Value.number(1e21), 1)
            .put("c", Value.number(1.5e-7), 1)
            .put("d", Value.number(-0.0), 1)
            .put("e", Value.number(5e-324), 1)
            .put("f", Value.number(123456789012345680000.0), 1)
            .build();
    String text = MessageWriter.write(Message.builder().put(Graph.of(n)).build());
    assertThat(text)
        .isEqualTo(
            "{\"put\":{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"a\":1795520877934.001,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1}},"
                + "\"a\":30,\"b\":1e+21,\"c\":1.5e-7,\"d\":0,\"e\":5e-324,\"f\":123456789012345680000}}}");
  }

  @Test
  void aGetIsWrittenFromItsRawObject() {
    Map<String, Json> lex = new LinkedHashMap<>();
    lex.put("*", Json.of("ap"));
    lex.put("%", Json.of(5));
    Map<String, Json> raw = new LinkedHashMap<>();
    raw.put("#", Json.of("idx/words"));
    raw.put(".", new Json.Obj(lex));
    raw.put("unknown", new Json.Arr(List.of(Json.of(1))));
    Get get = Get.of(new Json.Obj(raw));
    assertThat(get.key()).isEqualTo(new Lex(null, "ap", null, null, 5.0, false));
    assertThat(MessageWriter.write(Message.builder().get(get).id("g").build()))
        .isEqualTo("{\"#\":\"g\",\"get\":{\"#\":\"idx/words\",\".\":{\"*\":\"ap\",\"%\":5},\"unknown\":[1]}}");
  }

  @Test
  void invalidPutReasonIsNotWritten() {
    Message m = READER.read("{\"#\":\"x\",\"put\":{\"s\":null}}").messages().get(0);
    assertThat(m.invalidPut()).isNotNull();
    assertThat(MessageWriter.write(m)).isEqualTo("{\"#\":\"x\"}");
  }

  @Test
  void manyNodesRoundTrip() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Node.Builder b = Node.builder("n/" + i);
      for (int k = 0; k < 10; k++) {
        b.put("k" + k, Value.number(i * 10 + k + 0.25), 1795520877934.0 + k);
      }
      nodes.add(b.build());
    }
    Message m = Message.builder().id("big").put(Graph.of(nodes.toArray(new Node[0]))).build();
    String text = MessageWriter.write(m);
    assertThat(READER.read(text).messages()).containsExactly(m);
    Message hashed = m.toBuilder().hash(DamHash.canonicalJson(m.put()).hashCode()).build();
    assertThat(READER.read(MessageWriter.write(hashed)).messages()).containsExactly(hashed);
  }
}
