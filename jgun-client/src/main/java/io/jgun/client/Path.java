package io.jgun.client;

import io.jgun.graph.Lex;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a chain points: a soul, the keys walked from it (each through a link when the field holds
 * one), then optionally a lex condition on the last node's keys and/or {@code map()} over its items.
 * A chain over souls ({@code gun.get(lex)}) has {@code souls} set and no soul or keys.
 */
record Path(String soul, List<String> keys, @Nullable Lex lex, boolean map, @Nullable Lex souls) {
  Path {
    keys = List.copyOf(keys);
  }

  Path(String soul, List<String> keys, @Nullable Lex lex, boolean map) {
    this(soul, keys, lex, map, null);
  }

  static Path of(String soul) {
    return new Path(soul, List.of(), null, false);
  }

  /** The chain over the nodes whose souls match {@code lex}. */
  static Path souls(Lex lex) {
    return new Path("*", List.of(), null, false, lex);
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
    return lex != null || map || souls != null;
  }
}
