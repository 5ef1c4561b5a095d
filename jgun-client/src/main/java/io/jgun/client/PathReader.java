package io.jgun.client;

import io.jgun.client.Asks.Mode;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a chain's path: follows its keys through links (asking the peers for each step as the mode
 * says), then gives the value, the node, its items, or the node with everything it links to
 * (bounded). Every step is a future completed on the loop; the results are plain data ({@link
 * Data}). Confined to the loop.
 */
final class PathReader {
  /** A deep read loads at most this many nodes. */
  static final int MAX_DEEP_NODES = 10_000;
  /** A deep read follows links at most this deep. */
  static final int MAX_DEEP_DEPTH = 32;

  /** Where a path led: a node, a field value, or nothing; with the souls walked through. */
  record Resolved(@Nullable String node, @Nullable Value leaf, boolean found, Set<String> souls) {}

  private final ClientLoop loop;
  private final Asks asks;
  private final LocalGraph local;
  private final Connections connections;

  PathReader(ClientLoop loop, Asks asks, LocalGraph local, Connections connections) {
    this.loop = loop;
    this.asks = asks;
    this.local = local;
    this.connections = connections;
  }

  /**
   * Reads {@code path} once (§6 once): the data, or null when not found; fails with {@link
   * GunException.NotConnected} when nothing was found but no peer could be asked, since "not found"
   * would then be a guess.
   */
  CompletableFuture<@Nullable Object> once(Path path, boolean deep) {
    loop.checkInLoop();
    return read(path, deep)
        .thenApply(
            d -> {
              if (d == null && connections.noneOpen() && connections.hasPeers()) {
                throw new CompletionException(connections.notConnected());
              }
              return d;
            });
  }

  private CompletableFuture<@Nullable Object> read(Path path, boolean deep) {
    Lex souls = path.souls();
    if (souls != null) {
      return asks.fetch(Asks.soulsGet(souls), Mode.READ).thenApply(v -> local.soulsData(souls));
    }
    return resolve(path, Mode.READ)
        .thenCompose(
            r -> {
              if (!r.found()) {
                return done(null);
              }
              if (r.leaf() != null) {
                return done(r.leaf() instanceof Value.Null ? null : Data.of(r.leaf()));
              }
              String node = Objects.requireNonNull(r.node());
              if (path.many()) {
                return items(node, path.lex(), path.map() || deep, deep, Mode.READ, new HashSet<>()).thenApply(m -> m);
              }
              if (deep) {
                return deep(node, Mode.READ, new HashSet<>());
              }
              return done(local.nodeData(node, null));
            });
  }

  /** Follows {@code path} (not its lex/map part) through links. */
  CompletableFuture<Resolved> resolve(Path path, Mode mode) {
    return walk(path.soul(), path.keys(), 0, mode, !path.many(), new LinkedHashSet<>());
  }

  private CompletableFuture<Resolved> walk(String soul, List<String> keys, int i, Mode mode, boolean fetchNode, Set<String> souls) {
    souls.add(soul);
    if (i == keys.size()) {
      if (!fetchNode) {
        return done(new Resolved(soul, null, true, souls));
      }
      return asks.fetch(Asks.nodeGet(soul), mode).thenApply(v -> new Resolved(soul, null, local.hasNode(soul), souls));
    }
    String key = keys.get(i);
    return asks.fetch(Asks.fieldGet(soul, key), mode)
        .thenCompose(
            v -> {
              Field f = local.field(soul, key);
              if (f != null && f.value() instanceof Value.Link l) {
                return walk(l.soul(), keys, i + 1, mode, fetchNode, souls);
              }
              Value leaf = f != null && i + 1 == keys.size() ? f.value() : null;
              return done(new Resolved(null, leaf, leaf != null, souls));
            });
  }

  /**
   * The items of node {@code soul} (the keys matching {@code lex}), each link followed one level
   * when {@code follow} (or fully when {@code deep}), or null when there are none; adds the souls
   * read to {@code souls}.
   */
  CompletableFuture<@Nullable Map<String, @Nullable Object>> items(
      String soul, @Nullable Lex lex, boolean follow, boolean deep, Mode mode, Set<String> souls) {
    return asks.fetch(lex == null ? Asks.nodeGet(soul) : Asks.lexGet(soul, lex), mode)
        .thenCompose(
            v -> {
              Graph g = local.read(soul, lex, lex == null ? null : lex.limit());
              Node n = g == null ? null : g.node(soul);
              if (n == null || n.fields().isEmpty()) {
                return done(null);
              }
              Map<String, @Nullable Object> out = new LinkedHashMap<>();
              Map<String, String> links = new LinkedHashMap<>();
              n.fields().forEach(
                  (k, raw) -> {
                    Value value = UserSpace.view(soul, raw.value());
                    out.put(k, Data.of(value));
                    if (follow && value instanceof Value.Link l) {
                      links.put(k, l.soul());
                    }
                  });
              List<CompletableFuture<Void>> followed = new ArrayList<>();
              links.forEach(
                  (k, target) -> {
                    souls.add(target);
                    CompletableFuture<@Nullable Object> item =
                        deep ? deep(target, mode, souls) : asks.fetch(Asks.nodeGet(target), mode).thenApply(x -> local.nodeData(target, null));
                    followed.add(item.thenAccept(d -> out.put(k, d)));
                  });
              return CompletableFuture.allOf(followed.toArray(CompletableFuture[]::new)).thenApply(x -> out);
            });
  }

  /**
   * Loads {@code soul} and everything it links to (bounded), then gives it as nested maps; adds the
   * souls loaded to {@code souls}.
   */
  CompletableFuture<@Nullable Object> deep(String soul, Mode mode, Set<String> souls) {
    Set<String> loaded = new HashSet<>();
    return load(soul, mode, loaded, 0)
        .thenApply(
            v -> {
              souls.addAll(loaded);
              return nested(soul, new HashSet<>(), 0);
            });
  }

  private CompletableFuture<Void> load(String soul, Mode mode, Set<String> loaded, int depth) {
    if (!loaded.add(soul) || loaded.size() > MAX_DEEP_NODES || depth > MAX_DEEP_DEPTH) {
      return done(null);
    }
    return asks.fetch(Asks.nodeGet(soul), mode)
        .thenCompose(
            v -> {
              Node n = local.node(soul);
              List<CompletableFuture<Void>> children = new ArrayList<>();
              if (n != null) {
                for (Field f : n.fields().values()) {
                  if (UserSpace.view(soul, f.value()) instanceof Value.Link l && !loaded.contains(l.soul())) {
                    children.add(load(l.soul(), mode, loaded, depth + 1));
                  }
                }
              }
              return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new));
            });
  }

  private @Nullable Map<String, @Nullable Object> nested(String soul, Set<String> path, int depth) {
    Node n = local.node(soul);
    if (n == null) {
      return null;
    }
    path.add(soul);
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    n.fields().forEach(
        (k, f) -> {
          Value v = UserSpace.view(soul, f.value());
          if (v instanceof Value.Link l && !path.contains(l.soul()) && depth < MAX_DEEP_DEPTH) {
            Map<String, @Nullable Object> child = nested(l.soul(), path, depth + 1);
            out.put(k, child != null ? child : Data.of(v));
          } else {
            out.put(k, Data.of(v));
          }
        });
    path.remove(soul);
    return out;
  }

  private static <T> CompletableFuture<T> done(@Nullable T value) {
    return CompletableFuture.completedFuture(value);
  }
}
