package io.jgun.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTextTest {

  /** strings.txt: the UTF-16 code units of a string in hex, a tab, node's JSON.stringify of it. */
  @Test
  void quotesEveryNodeVectorIdentically() {
    List<String> lines = Vectors.lines("strings.txt");
    assertThat(lines).hasSizeGreaterThan(3000);
    List<String> failures = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      int tab = line.indexOf('\t');
      String s = fromHex(line.substring(0, tab));
      String expected = line.substring(tab + 1);
      sb.setLength(0);
      sb.append('x');
      JsonText.appendQuoted(sb, s);
      if (!JsonText.quote(s).equals(expected) || !sb.toString().equals("x" + expected)) {
        failures.add(line + " -> " + JsonText.quote(s));
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void quotesTrickyCharactersAsJsonStringifyDoes() {
    assertThat(JsonText.quote("")).isEqualTo("\"\"");
    assertThat(JsonText.quote("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
    assertThat(JsonText.quote("\b\f\n\r\t\u000b\u0000\u001f")).isEqualTo("\"\\b\\f\\n\\r\\t\\u000b\\u0000\\u001f\"");
    assertThat(JsonText.quote("\u007f\u2028\u2029\u00e9")).isEqualTo("\"\u007f\u2028\u2029\u00e9\"");
    assertThat(JsonText.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
    assertThat(JsonText.quote("\ud83d")).isEqualTo("\"\\ud83d\"");
    assertThat(JsonText.quote("\ude00")).isEqualTo("\"\\ude00\"");
    assertThat(JsonText.quote("\ude00\ud83d")).isEqualTo("\"\\ude00\\ud83d\"");
    assertThat(JsonText.quote("a\ud83d\ud83d\ude00b")).isEqualTo("\"a\\ud83d\ud83d\ude00b\"");
  }

  @ParameterizedTest
  @CsvSource({
    "0, true",
    "1, true",
    "10, true",
    "4294967294, true",
    "4294967295, false",
    "4294967296, false",
    "9999999999, false",
    "12345678901, false",
    "01, false",
    "00, false",
    "-1, false",
    "-0, false",
    "1.5, false",
    "1e3, false",
    "' 1', false",
    "'1 ', false",
    "a, false",
    "'', false"
  })
  void arrayIndices(String key, boolean index) {
    assertThat(JsonText.isArrayIndex(key)).isEqualTo(index);
  }

  @Test
  void canonicalOrderPutsIndicesFirstNumericallyThenCodeUnitOrder() {
    List<String> keys = new ArrayList<>(List.of("b", "_", "10", "9", "1", "01", "B", "\ud83d\ude00", "\uff5e", "4294967295", ">", "#"));
    keys.sort(JsonText::compareCanonical);
    assertThat(keys)
        .containsExactly("1", "9", "10", "#", "01", "4294967295", ">", "B", "_", "b", "\ud83d\ude00", "\uff5e");
  }

  @Test
  void jsOrderKeepsAnOrderedMapAsIs() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("1", 1);
    m.put("2", 2);
    m.put("a", 3);
    assertThat(JsonText.jsOrder(m)).isSameAs(m);
    m.put("0", 4);
    assertThat(JsonText.jsOrder(m).keySet()).containsExactly("0", "1", "2", "a");
  }

  /**
   * keys.jsonl: keys inserted in order into a JS object; "order" is Object.keys of it, "sorted" the
   * keys after the ## sorter re-inserted them in Object.keys(v).sort() order.
   */
  @Test
  void keyOrdersMatchNode() throws IOException {
    JsonFactory factory = new JsonFactory();
    List<String> lines = Vectors.lines("keys.jsonl");
    assertThat(lines).hasSizeGreaterThan(1000);
    for (String line : lines) {
      Map<String, List<String>> v = new LinkedHashMap<>();
      try (JsonParser p = factory.createParser(line)) {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          List<String> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(p.getText());
          }
          v.put(name, list);
        }
      }
      Map<String, Integer> inserted = new LinkedHashMap<>();
      for (String k : v.get("keys")) {
        inserted.put(k, inserted.size());
      }
      assertThat(new ArrayList<>(JsonText.jsOrder(inserted).keySet())).as(line).isEqualTo(v.get("order"));
      List<String> sorted = new ArrayList<>(v.get("keys"));
      sorted.sort(JsonText::compareCanonical);
      assertThat(sorted).as(line).isEqualTo(v.get("sorted"));
    }
  }

  @Test
  void jsonTreeSerializesLikeJsonStringify() {
    Map<String, Json> fields = new LinkedHashMap<>();
    fields.put("b", Json.of("x\ny"));
    fields.put("10", Json.of(1e21));
    fields.put("2", new Json.Arr(List.of(Json.NULL, Json.TRUE, Json.of(-0.0), Json.of(0.5))));
    fields.put("a", Json.Obj.empty());
    assertThat(new Json.Obj(fields).toJs()).isEqualTo("{\"2\":[null,true,0,0.5],\"10\":1e+21,\"b\":\"x\\ny\",\"a\":{}}");
  }

  private static String fromHex(String hex) {
    StringBuilder sb = new StringBuilder(hex.length() / 4);
    for (int i = 0; i < hex.length(); i += 4) {
      sb.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
    }
    return sb.toString();
  }

  @Property
  void unquoteReadsBackWhatQuoteWrote(@ForAll String s) {
    String quoted = JsonText.quote(s);
    assertThat(JsonText.unquote(quoted, 0, quoted.length())).isEqualTo(s);
  }

  @Test
  void unquoteReadsEveryJsonEscapeAndRefusesOthers() {
    String json = "x\"a\\/\\/\\b\\f\\n\\r\\t\\u00e9\\\"\"y";
    assertThat(JsonText.unquote(json, 1, json.length() - 1)).isEqualTo("a//\b\f\n\r\t\u00e9\"");
    assertThatThrownBy(() -> JsonText.unquote("\"\\x\"", 0, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
