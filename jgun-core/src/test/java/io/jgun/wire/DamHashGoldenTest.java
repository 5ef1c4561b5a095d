package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every reply a stock Gun.js relay sent with a {@code ##} in the captured traffic (test resources
 * {@code io/jgun/wire/golden}): the hash matches {@link DamHash#hashPut}, and the put text on the wire is
 * {@link DamHash#canonicalJson} verbatim (docs/protocol.md §4.6).
 */
class DamHashGoldenTest {
  private static final JsonFactory JSON = new JsonFactory();

  @Test
  void everyCapturedHashMatches() throws IOException {
    Path frames = GoldenFramesTest.goldenDir();
    List<Path> files;
    try (Stream<Path> s = Files.list(frames)) {
      files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
    int checked = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String raw = rawFrame(line);
        if (raw == null || !raw.contains("\"##\"")) {
          continue;
        }
        for (Reply r : replies(raw)) {
          assertThat(DamHash.hashPut(r.put)).as("%s: %s", file.getFileName(), raw).isEqualTo(r.hash);
          assertThat(raw).contains("\"put\":" + DamHash.canonicalJson(r.put));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  private record Reply(Graph put, int hash) {}

  private static @Nullable String rawFrame(String line) throws IOException {
    try (JsonParser p = JSON.createParser(line)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("raw")) {
          return p.getText();
        }
        p.skipChildren();
      }
    }
    return null;
  }

  /** The messages of a frame (one object or a batch array) that carry both put and ##. */
  private static List<Reply> replies(String raw) throws IOException {
    List<Reply> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(raw)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          message(p, out);
        }
      } else {
        message(p, out);
      }
    }
    return out;
  }

  private static void message(JsonParser p, List<Reply> out) throws IOException {
    Graph put = null;
    Integer hash = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("put")) {
        put = graph(p);
      } else if (name.equals("##")) {
        hash = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
    if (put != null && hash != null) {
      out.add(new Reply(put, hash));
    }
  }

  private static Graph graph(JsonParser p) throws IOException {
    Map<String, Node> nodes = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String soul = p.currentName();
      p.nextToken();
      Map<String, Double> states = new LinkedHashMap<>();
      Map<String, Value> values = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        if (key.equals("_")) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String meta = p.currentName();
            p.nextToken();
            if (meta.equals(">")) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                states.put(k, p.getDoubleValue());
              }
            }
          }
        } else if (t == JsonToken.START_OBJECT) {
          p.nextToken();
          p.nextToken();
          values.put(key, Value.link(p.getText()));
          p.nextToken();
        } else if (t == JsonToken.VALUE_STRING) {
          values.put(key, Value.text(p.getText()));
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          values.put(key, Value.number(p.getDoubleValue()));
        } else if (t == JsonToken.VALUE_NULL) {
          values.put(key, Value.NULL);
        } else {
          values.put(key, Value.bool(p.getBooleanValue()));
        }
      }
      Map<String, Field> fields = new LinkedHashMap<>();
      values.forEach((k, v) -> fields.put(k, new Field(v, states.get(k))));
      nodes.put(soul, new Node(soul, fields));
    }
    return new Graph(nodes);
  }
}
