package io.jgun.mesh;

import io.jgun.dam.Dedup;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Graph;
import io.jgun.wire.Message;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes replies (messages with {@code @}, docs/protocol.md §4.7): only to the peer the request
 * came from, never broadcast; the answer to one of our own messages is consumed here. Data in an
 * answer is learnt (HAM) and its sender subscribed to it (AXE). A reply the asker needs no more
 * (one we answered or acked ourselves already, or whose {@code ##} it has) is dropped. Loop only.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private final Dedup<Peer> dedup;
  private final GraphEngine graph;
  private final Subscriptions subs;
  private final int maxSubscriptionsPerPeer;
  private final Puts puts;
  private final Sender sender;
  private final MeshStats stats;
  /** Why the put guard refuses a graph, or null when it accepts. */
  private final Function<Message, @Nullable String> forbidden;

  Replies(
      Dedup<Peer> dedup,
      GraphEngine graph,
      Subscriptions subs,
      int maxSubscriptionsPerPeer,
      Puts puts,
      Sender sender,
      MeshStats stats,
      Function<Message, @Nullable String> forbidden) {
    this.dedup = dedup;
    this.graph = graph;
    this.subs = subs;
    this.maxSubscriptionsPerPeer = maxSubscriptionsPerPeer;
    this.puts = puts;
    this.sender = sender;
    this.stats = stats;
    this.forbidden = forbidden;
  }

  /** A reply from {@code from}. */
  void reply(Peer from, Message m) {
    String askId = Objects.requireNonNull(m.ack(), "only replies (with an @) come here");
    Dedup.Entry<Peer> ask = dedup.peek(askId);
    Graph put = m.put();
    String refused = put != null ? forbidden.apply(m) : null;
    if (refused != null) {
      stats.putsForbidden.increment();
      log.info("refused data in reply {} from {}: {}", LogText.clip(m.id()), from, refused);
      return; // forged data in an answer is neither learnt nor passed on
    }
    if (put != null) {
      // An answer to a GET: learn it (HAM), and the answerer now gets pushes for it (AXE).
      GraphEngine.Merge merge = graph.merge(put);
      if (merge.deferred() > 0) {
        puts.deferred();
      }
      for (String soul : put.nodes().keySet()) {
        subs.subscribe(from, soul, null, maxSubscriptionsPerPeer);
      }
      if (ask != null) {
        ask.answered(true);
      }
    }
    if (ask == null) {
      stats.repliesDropped.increment();
      return; // nobody here asked, or it was long ago
    }
    Peer asker = ask.via();
    if (asker == null || asker == from) {
      stats.repliesDropped.increment();
      return; // the answer to one of our own messages (a push, a resubscribe): consumed
    }
    if (put != null && m.hash() != null && ask.hash() != null && m.hash().equals(ask.hash())) {
      stats.repliesDropped.increment();
      return; // the asker already has exactly this answer
    }
    if (put == null && ask.isGet() && m.ok() == null && m.err() == null) {
      stats.repliesDropped.increment();
      return; // a not-found for a GET: we answered the asker ourselves already (found or not)
    }
    if (put == null && m.ok() != null && ask.acked()) {
      stats.repliesDropped.increment();
      return; // we acked that write ourselves already
    }
    stats.repliesRouted.increment();
    // A long answer (a browser streaming 100,000 items in chunks for 40 s) keeps its route alive,
    // as Gun.js's mesh does when it passes a reply on; otherwise the GET's entry expires after the
    // dedup window and the rest of the answer is dropped.
    dedup.track(askId);
    sender.send(asker, m);
  }
}
