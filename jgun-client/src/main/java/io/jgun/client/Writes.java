package io.jgun.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.client.Asks.Mode;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.StateClock;
import io.jgun.graph.Value;
import io.jgun.sea.KeyPair;
import io.jgun.wire.Ids;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code put}, {@code set} and {@code unset} into graph writes (docs/protocol.md §1.3, §1.4):
 * walks the chain's path (creating path souls where no link exists yet), splits the data into
 * nodes, has it signed and checked by SEA, then merges it locally and hands it to the {@link
 * Outbox}. Confined to the loop.
 */
final class Writes {
  private static final Logger log = LoggerFactory.getLogger(Writes.class);
  private final ClientLoop loop;
  private final ObjectMapper mapper;
  private final StateClock clock;
  private final Ids ids;
  private final LocalGraph local;
  private final Asks asks;
  private final WriteSigner signer;
  private final FirewallScreen firewall;
  private final Outbox outbox;
  private final Engine engine;

  Writes(ClientLoop loop, ObjectMapper mapper, StateClock clock, Ids ids, LocalGraph local, Asks asks, WriteSigner signer, FirewallScreen firewall, Outbox outbox, Engine engine) {
    this.loop = loop;
    this.mapper = mapper;
    this.clock = clock;
    this.ids = ids;
    this.local = local;
    this.asks = asks;
    this.signer = signer;
    this.firewall = firewall;
    this.outbox = outbox;
    this.engine = engine;
  }

  /** Writes {@code data} at {@code path} with {@code options} (a certificate). */
  void put(Path path, @Nullable Object data, PutOptions options, CompletableFuture<Ack> future) {
    loop.checkInLoop();
    String cert = options.certOrNull();
    if (path.many()) {
      engine.fail(future, new GunException.InvalidData("cannot put on a lex chain or a chain over souls; get an item first (or map() the node)"));
      return;
    }
    Splitter split = new Splitter(mapper, local::field, clock.next());
    List<String> keys = path.keys();
    CompletableFuture<Void> written;
    if (keys.isEmpty()) {
      // a nested object reuses the soul already linked at its field (docs/protocol.md §1.3): ask first
      boolean ask = data instanceof Map<?, ?> m && m.values().stream().anyMatch(v -> split.isObject(v) && Splitter.explicitSoul(v) == null);
      written = (ask ? asks.fetch(Asks.nodeGet(path.soul()), Mode.FRESH) : CompletableFuture.<Void>completedFuture(null))
          .thenRun(() -> putRoot(split, path.soul(), data, cert, future));
    } else {
      String key = keys.get(keys.size() - 1);
      String where = String.join(".", path.soul(), String.join(".", keys));
      boolean ask = split.isObject(data) && Splitter.explicitSoul(data) == null;
      written =
          walkForPut(path.soul(), keys, 0, split)
              .thenCompose(parent -> (ask ? asks.fetch(Asks.fieldGet(parent, key), Mode.FRESH) : CompletableFuture.<Void>completedFuture(null)).thenApply(v -> parent))
              .thenAccept(
                  parent -> {
                    String soul = parent;
                    if (split.isObject(data)) {
                      soul = split.childSoul(parent, key, data);
                      split.field(parent, key, Value.link(soul), where);
                      split.object(soul, Objects.requireNonNull(data), where);
                    } else {
                      split.field(parent, key, data, where);
                    }
                    write(split.graph(), soul, cert, future);
                  });
    }
    written.whenComplete(
        (v, e) -> {
          if (e != null) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof GunException)) {
              log.warn("could not write at {}", path.key(), cause);
            }
            engine.fail(future, cause);
          }
        });
  }

  /**
   * Writes an object at a soul.
   *
   * @throws GunException when the data is invalid or refused (nothing written)
   */
  private void putRoot(Splitter split, String soul, @Nullable Object data, @Nullable String cert, CompletableFuture<Ack> future) {
    if (data == null || !split.isObject(data)) {
      throw new GunException.InvalidData("Data at root of graph must be a node (an object).");
    }
    split.object(soul, data, soul);
    write(split.graph(), soul, cert, future);
  }

  /** Walks all keys but the last, creating path souls where no link exists yet; ends at the parent soul. */
  private CompletableFuture<String> walkForPut(String soul, List<String> keys, int i, Splitter split) {
    if (i >= keys.size() - 1) {
      return CompletableFuture.completedFuture(soul);
    }
    String key = keys.get(i);
    return asks.fetch(Asks.fieldGet(soul, key), Mode.FRESH)
        .thenCompose(
            v -> {
              Field f = local.field(soul, key);
              String next;
              if (f != null && f.value() instanceof Value.Link l) {
                next = l.soul();
              } else {
                next = soul + "/" + key;
                split.field(soul, key, Value.link(next), soul + "." + key);
              }
              return walkForPut(next, keys, i + 1, split);
            });
  }

  /** {@code set(item)}: writes the item under a fresh soul, then links it from this chain's node (docs/protocol.md §1.4). */
  void set(Path path, Object item, PutOptions options, CompletableFuture<Ack> future) {
    loop.checkInLoop();
    String cert = options.certOrNull();
    if (path.many()) {
      engine.fail(future, new GunException.InvalidData("cannot set on a lex or map() chain"));
      return;
    }
    Splitter probe = new Splitter(mapper, local::field, 0);
    if (item instanceof Chain c) {
      String soul = c.plainSoul();
      if (soul == null) {
        engine.fail(future, new GunException.InvalidData("set(chain) needs a chain made by gun.get(soul)"));
        return;
      }
      linkInto(path, soul, options, future);
      return;
    }
    if (!probe.isObject(item)) {
      put(path.child(ids.setKey()), item, options, future);
      return;
    }
    String explicit = Splitter.explicitSoul(item);
    KeyPair me = signer.signer();
    String soul = explicit != null ? explicit : ids.soul(clock.next());
    if (explicit == null && me != null && me.pub().equals(UserSpace.pubOf(path.soul()))) {
      soul = "~" + me.pub() + "/" + soul; // a user-scoped item, writable by its owner (docs/protocol.md §10.4)
    }
    try {
      putRoot(new Splitter(mapper, local::field, clock.next()), soul, item, cert, new CompletableFuture<>());
    } catch (GunException e) {
      engine.fail(future, e);
      return;
    }
    linkInto(path, soul, options, future);
  }

  private void linkInto(Path path, String soul, PutOptions options, CompletableFuture<Ack> future) {
    CompletableFuture<Ack> link = new CompletableFuture<>();
    outbox.handOver(future, link);
    put(path.child(soul), Value.link(soul), options, link);
    link.whenComplete(
        (a, e) -> {
          if (e != null) {
            future.completeExceptionally(e);
          } else {
            future.complete(new Ack(soul, a.peer(), a.ok(), a.confirmedByRead()));
          }
        });
  }

  /** Writes a graph as it is (already signed where needed). */
  void writeGraph(Graph g, String soul, CompletableFuture<Ack> future) {
    loop.checkInLoop();
    try {
      writeAs(g, soul, future);
    } catch (GunException.Forbidden refused) {
      engine.fail(future, refused);
    }
  }

  /**
   * Signs {@code g} for the logged-in user (with {@code cert}: also the fields in other users'
   * souls) and writes it.
   *
   * @throws GunException when it cannot be signed or is refused (nothing written)
   */
  private void write(Graph g, String soul, @Nullable String cert, CompletableFuture<Ack> future) {
    writeAs(signer.sign(g, cert), soul, future);
  }

  /**
   * Runs SEA's checks on {@code g} (docs/protocol.md §10.6, as Gun.js does on local writes too),
   * then stores and sends it.
   *
   * @throws GunException.Forbidden when refused (nothing stored or sent)
   */
  private void writeAs(Graph g, String soul, CompletableFuture<Ack> future) {
    GunException.Forbidden refused = firewall.refusal(g);
    if (refused != null) {
      log.debug("refused a local write to {}.{}: {}", refused.soul(), refused.key(), refused.reason());
      throw refused;
    }
    GraphEngine.Merge merge = local.merge(g);
    outbox.add(g, soul, future, merge);
  }
}
