package io.jgun.radata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JSON for test expectations: maps, lists, strings, doubles, booleans, null. */
final class TestJson {
  private TestJson() {}

  static Object parse(Path file) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(Files.readString(file))) {
      return value(p, p.nextToken());
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            m.put(k, value(p, p.nextToken()));
          }
          return m;
        }
      case START_ARRAY:
        {
          List<Object> l = new ArrayList<>();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            l.add(value(p, e));
          }
          return l;
        }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue() + 0.0;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return NULL;
    }
  }

  /** JSON null (maps cannot hold Java null conveniently in List.of). */
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  /** The GUN value of a parsed JSON value. */
  @SuppressWarnings("unchecked")
  static Value gunValue(Object o) {
    if (o == NULL) {
      return Value.NULL;
    }
    if (o instanceof String) {
      return Value.text((String) o);
    }
    if (o instanceof Double) {
      return Value.number((Double) o);
    }
    if (o instanceof Boolean) {
      return Value.bool((Boolean) o);
    }
    Map<String, Object> m = (Map<String, Object>) o;
    return Value.link((String) m.get("#"));
  }

  /** A field from a [value, state] pair. */
  static Field field(Object value, Object state) {
    return new Field(gunValue(value), (Double) state);
  }
}
