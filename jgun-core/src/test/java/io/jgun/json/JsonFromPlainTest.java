package io.jgun.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFromPlainTest {
  @Test
  void plainJavaDataPrintsAsJsonStringifyDoes() {
    // the expected text is what node 18 printed for the same object
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("big", 1e21);
    m.put("tiny", Double.MIN_VALUE);
    m.put("long", 30L);
    m.put("int", 7);
    m.put("huge", new BigInteger("123456789012345678901234"));
    m.put("neg0", -0.0);
    m.put("list", Arrays.asList("a", null, true));
    m.put("2", "integer-like keys come first, as in JavaScript");
    assertThat(Json.fromPlain(m).toJs())
        .isEqualTo("{\"2\":\"integer-like keys come first, as in JavaScript\",\"big\":1e+21,\"tiny\":5e-324,\"long\":30,\"int\":7,"
            + "\"huge\":1.2345678901234569e+23,\"neg0\":0,\"list\":[\"a\",null,true]}");
    assertThat(Json.fromPlain(Json.of("kept")).toJs()).isEqualTo("\"kept\"");
  }

  @Test
  void anythingElseIsRefusedByName() {
    assertThatThrownBy(() -> Json.fromPlain(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.fromPlain(Map.of(1, "x"))).hasMessageContaining("not a JSON object key: 1");
    assertThatThrownBy(() -> Json.fromPlain(List.of(new Object()))).hasMessageContaining("java.lang.Object");
  }

  @Test
  void toPlainIsTheInverseAndToStringIsTheJsonText() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "hi");
    m.put("n", 42L);
    m.put("x", 1.5);
    m.put("b", true);
    m.put("z", null);
    m.put("l", Arrays.asList(1L, "two"));
    Json j = Json.fromPlain(m);
    assertThat(j.toPlain()).isEqualTo(m);
    assertThat(j.toString()).isEqualTo(j.toJs()).isEqualTo("{\"s\":\"hi\",\"n\":42,\"x\":1.5,\"b\":true,\"z\":null,\"l\":[1,\"two\"]}");
    assertThat(Json.of("hi").toString()).isEqualTo("\"hi\"");
    assertThat(Json.TRUE.toString()).isEqualTo("true");
    assertThat(Json.of(1e21).toPlain()).isEqualTo(1e21);
    assertThat(Json.NULL.toPlain()).isNull();
  }
}
