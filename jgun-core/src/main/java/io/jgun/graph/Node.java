package io.jgun.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable node: its soul and some of its fields, each with a state. A node on the wire is
 * often partial (only the fields written or asked for); nodes merge field by field
 * (docs/protocol.md §1.1).
 */
public record Node(String soul, Map<String, Field> fields) {
  public Node {
    Objects.requireNonNull(soul, "soul");
    if (soul.isEmpty()) {
      throw new IllegalArgumentException("a soul is a non-empty string");
    }
    Map<String, Field> copy = new LinkedHashMap<>(fields);
    if (copy.containsKey("_")) {
      throw new IllegalArgumentException("soul '" + soul + "': '_' is reserved and cannot be a field");
    }
    copy.values().forEach(f -> Objects.requireNonNull(f, "field"));
    fields = Collections.unmodifiableMap(copy);
  }

  /** A node with no fields. */
  public static Node empty(String soul) {
    return new Node(soul, Map.of());
  }

  /** The field {@code key}, or null when this node does not hold it. */
  public @Nullable Field field(String key) {
    return fields.get(key);
  }

  /** A node with {@code key} set to {@code field}, replacing any field of that name. */
  public Node with(String key, Field field) {
    Map<String, Field> copy = new LinkedHashMap<>(fields);
    copy.put(key, field);
    return new Node(soul, copy);
  }

  /** A builder for nodes, handy in tests and in the chain API. */
  public static Builder builder(String soul) {
    return new Builder(soul);
  }

  /** Collects fields, then builds an immutable node. */
  public static final class Builder {
    private final String soul;
    private final Map<String, Field> fields = new LinkedHashMap<>();

    private Builder(String soul) {
      this.soul = soul;
    }

    public Builder put(String key, Value value, double state) {
      fields.put(key, new Field(value, state));
      return this;
    }

    public Builder put(String key, Field field) {
      fields.put(key, field);
      return this;
    }

    public Node build() {
      return new Node(soul, fields);
    }
  }
}
