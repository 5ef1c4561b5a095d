package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.json.Json;
import io.jgun.wire.DamHash;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GETs from the graph (docs/protocol.md §3.2, §4.6): the asker is subscribed to what it
 * asked for (AXE), the read may complete off the loop (a store read), and the answer goes back in
 * replies of at most {@code replyChunkFields} fields each, all but the last marked {@code %:1},
 * each with its {@code ##}; a reply whose hash the asker already has is not sent. The GET is then
 * forwarded ({@link GetForwarding}). Loop only, apart from the read itself.
 */
final class GetAnswers {
  private static final Logger log = LoggerFactory.getLogger(GetAnswers.class);

  private final GraphEngine graph;
  private final Subscriptions subs;
  private final int maxSubscriptionsPerPeer;
  private final int replyChunkFields;
  private final Ids ids;
  private final Sender sender;
  private final MeshStats stats;
  private final GetForwarding forwarding;
  /** Which nodes a GET by soul lex may see; null: all. */
  private final @Nullable ReadGuard readGuard;

  GetAnswers(
      GraphEngine graph,
      Subscriptions subs,
      int maxSubscriptionsPerPeer,
      int replyChunkFields,
      Ids ids,
      Sender sender,
      MeshStats stats,
      GetForwarding forwarding,
      @Nullable ReadGuard readGuard) {
    this.graph = graph;
    this.subs = subs;
    this.maxSubscriptionsPerPeer = maxSubscriptionsPerPeer;
    this.replyChunkFields = replyChunkFields;
    this.ids = ids;
    this.sender = sender;
    this.stats = stats;
    this.forwarding = forwarding;
    this.readGuard = readGuard;
  }

  /**
   * Subscribes {@code peer} to what the GET asks for and starts reading it; the future completes
   * with what the graph has (null or empty for nothing), possibly on the store's thread.
   */
  CompletableFuture<@Nullable Graph> read(Peer peer, Message m) {
    Get get = Objects.requireNonNull(m.get(), "the mesh reads only GET messages");
    String soul = get.exactSoul();
    if (soul != null) {
      String key = get.exactKey();
      CompletableFuture<@Nullable Graph> read =
          readOrFail(() -> key != null ? graph.readAsync(soul, Lex.exact(key), null) : graph.readAsync(soul, get.key(), get.limit()));
      // A field is subscribed to alone only when named as a plain string; a lex on keys, even
      // {"=": k}, subscribes to the whole node, as Gun.js's AXE does (its REF takes '' then).
      String subscribed = get.raw().get(".") instanceof Json.Str ? key : null;
      if (!subs.subscribe(peer, soul, subscribed, maxSubscriptionsPerPeer)) {
        stats.subscriptionsRefused.increment();
        if (!peer.subscriptionCapLogged) {
          peer.subscriptionCapLogged = true;
          log.warn("peer {} is at its subscription cap ({}): not subscribed to {} (logged once per connection)", peer, maxSubscriptionsPerPeer, LogText.clip(soul));
        }
      }
      return read;
    }
    Lex souls = get.soul();
    if (souls != null) {
      CompletableFuture<@Nullable Graph> read = readOrFail(() -> graph.readSoulsAsync(souls, get.limit()));
      ReadGuard guard = readGuard;
      return guard == null ? read : read.thenApply(found -> readable(found, guard));
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Answers the GET {@code m} with the completed {@code read}, then forwards it. */
  void answer(Peer peer, Message m, CompletableFuture<@Nullable Graph> read) {
    Graph found;
    try {
      found = read.join();
    } catch (CompletionException | CancellationException e) {
      // A read the graph engine could not do (a damaged store block, an overloaded store): the
      // asker is told rather than left waiting, and the GET is not forwarded as if we had nothing.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      stats.readsFailed.increment();
      log.error("GET {} from {} failed: {}", LogText.clip(m.id()), peer, cause.toString());
      String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      sender.send(peer, Message.builder().id(ids.messageId()).ack(m.id()).err(DamProtocol.READ_FAILED + why).build());
      return;
    }
    List<Graph> answer = found == null || found.isEmpty() ? List.of() : chunk(found, replyChunkFields);
    Integer ourHash = null;
    if (!answer.isEmpty()) {
      stats.getsFound.increment();
      for (int i = 0; i < answer.size(); i++) {
        Graph g = answer.get(i);
        int h = DamHash.hashPut(g);
        if (i == 0) {
          ourHash = h;
        }
        if (m.hash() != null && m.hash() == h) {
          continue; // the asker already has exactly this (docs/protocol.md §4.6)
        }
        Message.Builder reply = Message.builder().id(ids.messageId()).ack(m.id()).hash(h).put(g);
        if (i < answer.size() - 1) {
          reply.more(Json.of(1));
        }
        sender.send(peer, reply.build());
      }
    } else if (m.hash() == null) {
      stats.getsNotFound.increment();
      sender.send(peer, Message.builder().id(ids.messageId()).ack(m.id()).build());
    }
    forwarding.forward(peer, m, ourHash);
  }

  /** The nodes of {@code found} the read guard lets through (a refused node is left out, silently). */
  private @Nullable Graph readable(@Nullable Graph found, ReadGuard guard) {
    if (found == null) {
      return null;
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (Node node : found.nodes().values()) {
      if (guard.refusal(node.soul(), null) == null) {
        out.put(node.soul(), node);
      } else {
        stats.readsForbidden.increment();
      }
    }
    return out.size() == found.nodes().size() ? found : new Graph(out);
  }

  /** Splits a graph into graphs of at most {@code maxFields} fields, in order; a node may span several. */
  static List<Graph> chunk(Graph g, int maxFields) {
    if (g.fieldCount() <= maxFields) {
      return List.of(g);
    }
    List<Graph> out = new ArrayList<>();
    Map<String, Node> cur = new LinkedHashMap<>();
    int n = 0;
    for (Node node : g.nodes().values()) {
      Node.Builder b = Node.builder(node.soul());
      int inNode = 0;
      for (Map.Entry<String, Field> f : node.fields().entrySet()) {
        b.put(f.getKey(), f.getValue());
        inNode++;
        n++;
        if (n >= maxFields) {
          cur.put(node.soul(), b.build());
          out.add(new Graph(cur));
          cur = new LinkedHashMap<>();
          b = Node.builder(node.soul());
          inNode = 0;
          n = 0;
        }
      }
      if (inNode > 0) {
        cur.put(node.soul(), b.build());
      }
    }
    if (!cur.isEmpty()) {
      out.add(new Graph(cur));
    }
    return out;
  }

  /** The engine's read; one that throws instead of failing its future fails it, so the asker is answered. */
  private static CompletableFuture<@Nullable Graph> readOrFail(Supplier<CompletableFuture<@Nullable Graph>> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
