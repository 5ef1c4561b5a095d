package io.jgun.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Turns the data of one {@code put} into a graph (docs/protocol.md §1.3): every nested object
 * becomes its own node, linked from its parent field; all fields get the one state of the put. A
 * nested object's soul is its own {@code _['#']}, else the soul already linked at that position,
 * else the parent's soul + {@code /} + key. The same object met twice (a cycle) becomes links to
 * one soul.
 */
final class Splitter {
  /** How deep nested objects may go before the data is refused. */
  static final int MAX_DEPTH = 64;

  private final ObjectMapper mapper;
  private final BiFunction<String, String, @Nullable Field> existing;
  private final double state;
  private final Map<String, Map<String, Field>> nodes = new LinkedHashMap<>();
  private final IdentityHashMap<Object, String> seen = new IdentityHashMap<>();

  /**
   * @param existing the local field at (soul, key), to reuse a soul already linked there
   */
  Splitter(ObjectMapper mapper, BiFunction<String, String, @Nullable Field> existing, double state) {
    this.mapper = mapper;
    this.existing = existing;
    this.state = state;
  }

  /** Adds one field (a primitive, a link or a nested object) to node {@code soul}. */
  void field(String soul, String key, @Nullable Object data, String path) {
    Value v = value(soul, key, data, path, 0);
    node(soul).put(key, new Field(v, state));
  }

  /** Adds the fields of {@code data}, which must be an object, to node {@code soul}. */
  void object(String soul, Object data, String path) {
    Map<String, @Nullable Object> fields = asObject(data, path);
    if (fields == null) {
      throw new GunException.InvalidData("Data at root of graph must be a node (an object).");
    }
    seen.put(data, soul);
    fill(soul, fields, path, 0);
  }

  /** True when {@code data} would be written as a node rather than as a field value. */
  boolean isObject(@Nullable Object data) {
    return data != null && !(data instanceof Value) && !(data instanceof Chain) && !scalar(data)
        && !(data instanceof Collection) && !data.getClass().isArray();
  }

  /** The explicit soul of an object ({@code _['#']} of a map), or null. */
  static @Nullable String explicitSoul(@Nullable Object data) {
    if (data instanceof Map<?, ?> m && m.get("_") instanceof Map<?, ?> meta && meta.get("#") instanceof String s && !s.isEmpty()) {
      return s;
    }
    return null;
  }

  Graph graph() {
    Map<String, Node> out = new LinkedHashMap<>();
    nodes.forEach((soul, fields) -> out.put(soul, new Node(soul, fields)));
    return new Graph(out);
  }

  private Map<String, Field> node(String soul) {
    return nodes.computeIfAbsent(soul, s -> new LinkedHashMap<>());
  }

  private void fill(String soul, Map<String, @Nullable Object> fields, String path, int depth) {
    Map<String, Field> node = node(soul);
    for (Map.Entry<String, @Nullable Object> e : fields.entrySet()) {
      String key = e.getKey();
      if (key.equals("_")) {
        continue;
      }
      node.put(key, new Field(value(soul, key, e.getValue(), path + "." + key, depth), state));
    }
  }

  private Value value(String soul, String key, @Nullable Object data, String path, int depth) {
    if (data == null) {
      return Value.NULL;
    }
    if (data instanceof Value v) {
      return v;
    }
    if (data instanceof Chain c) {
      String linked = c.plainSoul();
      if (linked == null) {
        throw new GunException.InvalidData("Invalid data: a chain to link must be gun.get(soul), at " + path);
      }
      return Value.link(linked);
    }
    if (data instanceof String s) {
      return Value.text(s);
    }
    if (data instanceof Character ch) {
      return Value.text(String.valueOf(ch));
    }
    if (data instanceof Boolean b) {
      return Value.bool(b);
    }
    if (data instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new GunException.InvalidData("Invalid data: Number " + n + " at " + path);
      }
      return Value.number(d);
    }
    if (data instanceof Enum<?> en) {
      return Value.text(en.name());
    }
    if (data instanceof Collection || data.getClass().isArray()) {
      throw new GunException.InvalidData("Invalid data: Array at " + path);
    }
    String again = seen.get(data);
    if (again != null) {
      return Value.link(again);
    }
    Map<String, @Nullable Object> fields = asObject(data, path);
    if (fields == null) {
      // a type Jackson writes as a scalar (a date, a UUID…)
      Object scalar = mapper.convertValue(data, Object.class);
      if (scalar == null || scalar instanceof Map || scalar instanceof List) {
        throw new GunException.InvalidData("Invalid data: " + data.getClass().getSimpleName() + " at " + path);
      }
      return value(soul, key, scalar, path, depth);
    }
    if (depth >= MAX_DEPTH) {
      throw new GunException.InvalidData("Invalid data: nested deeper than " + MAX_DEPTH + " at " + path);
    }
    String child = childSoul(soul, key, data);
    seen.put(data, child);
    fill(child, fields, path, depth + 1);
    return Value.link(child);
  }

  /** The soul of the nested object at {@code soul.key} (docs/protocol.md §1.3). */
  String childSoul(String soul, String key, @Nullable Object data) {
    String explicit = explicitSoul(data);
    if (explicit != null) {
      return explicit;
    }
    Field f = existing.apply(soul, key);
    if (f != null && f.value() instanceof Value.Link l) {
      return l.soul();
    }
    return soul + "/" + key;
  }

  /** The fields of an object as a map, or null when it is not one (a Map, a record, a bean). */
  @SuppressWarnings("unchecked")
  private @Nullable Map<String, @Nullable Object> asObject(Object data, String path) {
    if (data instanceof Map<?, ?> m) {
      Map<String, @Nullable Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    if (scalar(data) || data instanceof Value || data instanceof Chain) {
      return null;
    }
    Object converted;
    try {
      converted = mapper.convertValue(data, Object.class);
    } catch (IllegalArgumentException e) {
      throw new GunException.InvalidData("Invalid data: " + data.getClass().getSimpleName() + " at " + path + ": " + e.getMessage(), e);
    }
    if (converted instanceof Map<?, ?> m) {
      return (Map<String, @Nullable Object>) m;
    }
    if (converted instanceof List) {
      throw new GunException.InvalidData("Invalid data: Array at " + path);
    }
    return null;
  }

  private static boolean scalar(Object data) {
    return data instanceof String || data instanceof Number || data instanceof Boolean || data instanceof Character || data instanceof Enum;
  }
}
