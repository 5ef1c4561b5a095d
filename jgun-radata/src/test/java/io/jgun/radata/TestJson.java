package io.jgun.radata;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import io.jgun.wire.TreeJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Plain JSON for test expectations: maps, lists, strings, doubles, booleans, null. Public for
 * jgun-cli's tests (through this module's test-jar).
 */
public final class TestJson {
  private TestJson() {}

  /** A JSON file as plain Java values (see {@link io.jgun.wire.TreeJson}). */
  public static Object parse(Path file) throws IOException {
    return TreeJson.parse(Files.readString(file));
  }

  public static final Object NULL = TreeJson.NULL;

  /** The GUN value of a parsed JSON value. */
  @SuppressWarnings("unchecked")
  public static Value gunValue(Object o) {
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
  public static Field field(Object value, Object state) {
    return new Field(gunValue(value), (Double) state);
  }
}
