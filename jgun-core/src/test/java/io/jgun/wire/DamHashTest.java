package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DamHashTest {

  /** docs/protocol.md §7 string vectors. */
  @ParameterizedTest
  @CsvSource({"'', 0", "a, 97", "abc, 96354", "hello, 99162322", "'Hello, World!', 1498789909", "été, 227742", "😀, 1772899"})
  void hashesStringsAsGunDoes(String s, int expected) {
    assertThat(DamHash.hash(s)).isEqualTo(expected);
  }

  /** The formula of docs/protocol.md §7, literally: c = int32((c << 5) - c + unit), also over 32768-unit chunks. */
  @Property(tries = 2000)
  void hashIsTheSpecFormula(@ForAll String s) {
    int c = 0;
    for (int start = 0; start < s.length(); start += 32768) {
      for (int i = start; i < Math.min(s.length(), start + 32768); i++) {
        c = (c << 5) - c + s.charAt(i);
      }
    }
    assertThat(DamHash.hash(s)).isEqualTo(c);
  }

  /** The captured reply of frames-02: sorted text and the ## seen on the wire (docs/protocol.md §7). */
  @Test
  void aliceVector() {
    double t = 1795520872832.0;
    Graph put = Graph.of(Node.builder("user/alice")
        .put("score", Value.number(1.5), t)
        .put("name", Value.text("Alice"), t)
        .put("age", Value.number(30), t)
        .put("admin", Value.bool(true), t)
        .build());
    String text = "{\"user/alice\":{\"_\":{\"#\":\"user/alice\",\">\":{\"admin\":1795520872832,\"age\":1795520872832,"
        + "\"name\":1795520872832,\"score\":1795520872832}},\"admin\":true,\"age\":30,\"name\":\"Alice\",\"score\":1.5}}";
    assertThat(DamHash.canonicalJson(put)).isEqualTo(text);
    assertThat(DamHash.hashPut(put)).isEqualTo(1068460185);
  }

  @Test
  void configVector() {
    Graph put = Graph.of(Node.builder("config/app").put("theme", Value.text("dark"), 1795520874804.0).build());
    assertThat(DamHash.canonicalJson(put))
        .isEqualTo("{\"config/app\":{\"_\":{\"#\":\"config/app\",\">\":{\"theme\":1795520874804}},\"theme\":\"dark\"}}");
    assertThat(DamHash.hashPut(put)).isEqualTo(313217722);
  }

  @Test
  void integerKeysComeFirstAndUnderscoreSortsAmongFields() {
    Graph put = Graph.of(Node.builder("n")
        .put("b", Value.NULL, 4)
        .put("A", Value.link("x"), 5)
        .put("10", Value.text("ten"), 1)
        .put("9", Value.text("nine"), 2)
        .put("1", Value.text("one"), 3.5)
        .build());
    assertThat(DamHash.canonicalJson(put))
        .isEqualTo("{\"n\":{\"1\":\"one\",\"9\":\"nine\",\"10\":\"ten\",\"A\":{\"#\":\"x\"},"
            + "\"_\":{\"#\":\"n\",\">\":{\"1\":3.5,\"9\":2,\"10\":1,\"A\":5,\"b\":4}},\"b\":null}}");
    assertThat(DamHash.canonicalJson(Graph.empty())).isEqualTo("{}");
  }

  /** dam-hash.jsonl (scripts/gen-hash-vectors.js): put graphs, node's sorted text and hash. */
  @Test
  void matchesNodeOnGeneratedGraphs() throws IOException {
    JsonFactory factory = new JsonFactory();
    int count = 0;
    for (String line : lines("/vectors/dam-hash.jsonl")) {
      Graph put = null;
      String canonical = null;
      int hash = 0;
      try (JsonParser p = factory.createParser(line)) {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if (name.equals("put")) {
            continue; // the same graph as JSON text, for people
          } else if (name.equals("entries")) {
            put = readGraph(p);
          } else if (name.equals("canonical")) {
            canonical = p.getText();
          } else {
            hash = p.getIntValue();
          }
        }
      }
      assertThat(put).isNotNull();
      assertThat(DamHash.canonicalJson(put)).as(line).isEqualTo(canonical);
      assertThat(DamHash.hashPut(put)).as(line).isEqualTo(hash);
      count++;
    }
    assertThat(count).isGreaterThan(300);
  }

  /** [[soul, [[key, value, state], ...]], ...] where a value is a JSON scalar or {"#": soul}. */
  private static Graph readGraph(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_ARRAY);
    Map<String, Node> nodes = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.START_ARRAY) {
      p.nextToken();
      String soul = p.getText();
      expect(p.nextToken(), JsonToken.START_ARRAY);
      Map<String, Field> fields = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.START_ARRAY) {
        p.nextToken();
        String key = p.getText();
        JsonToken t = p.nextToken();
        Value value;
        if (t == JsonToken.START_OBJECT) {
          expect(p.nextToken(), JsonToken.FIELD_NAME);
          p.nextToken();
          value = Value.link(p.getText());
          expect(p.nextToken(), JsonToken.END_OBJECT);
        } else if (t == JsonToken.VALUE_STRING) {
          value = Value.text(p.getText());
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          value = Value.number(p.getDoubleValue());
        } else if (t == JsonToken.VALUE_NULL) {
          value = Value.NULL;
        } else {
          value = Value.bool(p.getBooleanValue());
        }
        p.nextToken();
        fields.put(key, new Field(value, p.getDoubleValue()));
        expect(p.nextToken(), JsonToken.END_ARRAY);
      }
      nodes.put(soul, new Node(soul, fields));
      expect(p.nextToken(), JsonToken.END_ARRAY);
    }
    return new Graph(nodes);
  }

  private static void expect(JsonToken got, JsonToken want) {
    assertThat(got).isEqualTo(want);
  }

  private static List<String> lines(String resource) throws IOException {
    InputStream in = DamHashTest.class.getResourceAsStream(resource);
    assertThat(in).as(resource).isNotNull();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> out = new ArrayList<>();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(line);
      }
      return out;
    }
  }
}
