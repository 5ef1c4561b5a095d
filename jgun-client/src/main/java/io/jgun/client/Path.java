package io.jgun.client;

import io.jgun.graph.Lex;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a chain points: a soul, the keys walked from it (each through a link when the field holds
 * one), then optionally a lex condition on the last node's keys and/or {@code map()} over its items.
 */
record Path(String soul, List<String> keys, @Nullable Lex lex, boolean map) {
  Path {
    keys = List.copyOf(keys);
  }

  static Path of(String soul) {
    return new Path(soul, List.of(), null, false);
  }

  Path child(String key) {
    List<String> k = new ArrayList<>(keys);
    k.add(key);
    return new Path(soul, k, null, false);
  }

  /** The key of the last step, or the soul for a chain at a soul. */
  String key() {
    return keys.isEmpty() ? soul : keys.get(keys.size() - 1);
  }

  /** True when the chain ends at a node's set of items (lex or map) rather than one field. */
  boolean many() {
    return lex != null || map;
  }
}
