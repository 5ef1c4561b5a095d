package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.dam.Dedup;
import io.jgun.dam.DeferralTimer;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Graph;
import io.jgun.graph.StateClock;
import io.jgun.json.Json;
import io.jgun.store.StoreException;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incoming writes (docs/protocol.md §3.3, §3.4): checked by the put guard, merged by HAM, acked
 * once durable, pushed to subscribers and replicated to the relays we dialed. Fields from the
 * future are deferred until they come due ({@link DeferralTimer}); a put of only such fields is
 * acked then ({@link DueAcks}). Loop only.
 */
final class Puts {
  private static final Logger log = LoggerFactory.getLogger(Puts.class);

  private final GraphEngine graph;
  private final MeshStats stats;
  private final Ids ids;
  private final Dedup<Peer> dedup;
  private final Sender sender;
  private final Routes routes;
  private final OutboundPeers outbound;
  private final PushFanout pushes;
  /** Why the put guard refuses a graph, or null when it accepts. */
  private final Function<Message, @Nullable String> forbidden;
  /** Hands a durability completion, on the store's thread, back to the loop. */
  private final Executor toLoop;
  private final DueAcks dueAcks;
  private final DeferralTimer deferrals;
  private final LoopScheduler loop;
  /** Monotonic nanoseconds, for how long a put took from arrival to its ack ({@link MeshStats#ackTimes}). */
  private final LongSupplier ticker;

  Puts(
      GraphEngine graph,
      MeshStats stats,
      Ids ids,
      Dedup<Peer> dedup,
      Sender sender,
      Routes routes,
      OutboundPeers outbound,
      PushFanout pushes,
      Function<Message, @Nullable String> forbidden,
      Executor toLoop,
      LoopScheduler loop,
      StateClock.Millis clock,
      LongSupplier ticker) {
    this.graph = graph;
    this.stats = stats;
    this.ids = ids;
    this.dedup = dedup;
    this.sender = sender;
    this.routes = routes;
    this.outbound = outbound;
    this.pushes = pushes;
    this.forbidden = forbidden;
    this.toLoop = toLoop;
    this.loop = loop;
    this.ticker = ticker;
    this.dueAcks = new DueAcks(graph::nextDeferralMillis, this::ackWhenDurable, toLoop);
    this.deferrals = new DeferralTimer(clock::millis, loop::schedule, graph::nextDeferralMillis, this::drainDeferred);
  }

  /** A put from {@code peer}. */
  void put(Peer peer, Message m) {
    assert loop.inLoop() : "Puts.put off the mesh loop";
    Graph put = m.put();
    if (m.invalidPut() != null || put == null) {
      stats.putsInvalid.increment();
      log.info("rejected put {} from {}: {}", LogText.clip(m.id()), peer, m.invalidPut());
      return; // Gun.js stays silent (docs/protocol.md §3.3)
    }
    String refused = forbidden.apply(m);
    if (refused != null) {
      stats.putsForbidden.increment();
      log.info("refused put {} from {}: {}", LogText.clip(m.id()), peer, refused);
      sender.send(peer, Message.builder().id(ids.messageId()).ack(m.id()).err(refused).build());
      return; // not merged, stored, forwarded or pushed
    }
    String putId = Objects.requireNonNull(m.id(), "the mesh gives every message it hears an id");
    GraphEngine.Merge merge;
    try {
      merge = graph.merge(put);
    } catch (StoreException e) {
      // HAM could not read the stored fields (a database that is down, say): nothing was merged,
      // and the writer hears so now instead of waiting for an ack that never comes
      stats.writesFailed.increment();
      log.warn("put {} from {} failed: {}", LogText.clip(putId), peer, e.toString());
      sender.send(peer, Message.builder().id(ids.messageId()).ack(putId).err(DamProtocol.WRITE_FAILED + e.getMessage()).build());
      return;
    }
    stats.fieldsDeferred.add(merge.deferred());
    stats.deferralsRefused.add(merge.refused());
    if (merge.refused() > 0) {
      log.warn("put {} from {}: {} future fields refused (deferral queue full or too far ahead)", LogText.clip(m.id()), peer, merge.refused());
    }
    if (merge.deferred() > 0) {
      deferrals.deferred();
    }
    boolean awaitsDue = merge.deferred() > 0 && merge.refused() == 0;
    long arrived = ticker.getAsLong();
    CompletableFuture<Graph> decided = merge.decided();
    if (decided != null) {
      // the store decides as it writes (GraphEngine.Merge#decided): settled once it has
      decided.whenComplete((took, e) -> toLoop.execute(() -> {
        if (e != null) {
          ackTimed(peer, putId, CompletableFuture.failedFuture(e), arrived);
        } else {
          settled(peer, m, putId, took == null ? Graph.empty() : took, awaitsDue, GraphEngine.Merge.DONE, arrived);
        }
      }));
      return;
    }
    settled(peer, m, putId, merge.accepted(), awaitsDue, merge.durable(), arrived);
  }

  /**
   * What HAM accepted of a put, decided here or by the store: pushed, forwarded, and acked once
   * {@code durable}. A put that changed nothing is neither acked nor pushed, as on Gun.js; one
   * whose only accepted fields are held for the future ({@code awaitsDue}) is acked when they come
   * due.
   */
  private void settled(Peer peer, Message m, String putId, Graph accepted, boolean awaitsDue,
      CompletableFuture<Void> durable, long arrived) {
    if (accepted.isEmpty()) {
      if (awaitsDue) {
        // Only future fields (a writer whose clock is ahead, if only by a fraction of a
        // millisecond): Gun.js never acks such a put; jgun acks it once its fields came due. The
        // relays we dialed get it now and defer it as well, so its subscribers there see it come due.
        dueAcks.await(peer, putId, Objects.requireNonNull(m.put()));
        log.debug("put {} from {} holds only future fields: acked when they come due", LogText.clip(putId), peer);
        forward(peer, m);
        return;
      }
      stats.putsNoop.increment();
      log.debug("put {} from {} changed nothing", LogText.clip(putId), peer);
      return; // no ack for no-op or old writes, as Gun.js
    }
    stats.putsAccepted.increment();
    stats.fieldsAccepted.add(accepted.fieldCount());
    Dedup.Entry<Peer> entry = dedup.peek(putId);
    if (entry != null) {
      entry.acked(true); // acks from the relays we forward it to are not the writer's concern
    }
    if (durable.isDone()) {
      ackTimed(peer, putId, durable, arrived);
    } else {
      // Acknowledged only once durable as configured (storage's group commit), on the loop.
      durable.whenComplete((v, e) -> toLoop.execute(() -> ackTimed(peer, putId, durable, arrived)));
    }
    pushes.accepted(accepted);
    forward(peer, m);
  }

  /** Some fields of a graph learnt another way (an answer to a GET) were deferred. */
  void deferred() {
    deferrals.deferred();
  }

  /** Acks an accepted put once settled, and records how long it took to its ack (the status page's p50/p99). */
  private void ackTimed(Peer peer, String putId, CompletableFuture<Void> durable, long arrived) {
    ackWhenDurable(peer, putId, durable);
    stats.ackTimes.record(ticker.getAsLong() - arrived);
  }

  /** Acks a put whose write settled: {@code ok:true}, or an {@code err} naming why it failed. */
  private void ackWhenDurable(Peer peer, String putId, CompletableFuture<Void> durable) {
    Message.Builder ack = Message.builder().id(ids.messageId()).ack(putId);
    try {
      durable.join();
      ack.ok(Json.TRUE);
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      stats.writesFailed.increment();
      log.warn("write {} from {} failed: {}", LogText.clip(putId), peer, cause.toString());
      ack.err(DamProtocol.WRITE_FAILED + cause.getMessage());
    }
    sender.send(peer, ack.build());
  }

  /** Replicates a write to the relays this one dialed (--peers), which ack it to us. */
  private void forward(Peer from, Message m) {
    List<Peer> targets = new ArrayList<>();
    for (Peer p : outbound.connected()) {
      if (p != from && p.open && !Routes.excluded(p, m.route())) {
        targets.add(p);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    Message out = routes.withRoute(m);
    for (Peer p : targets) {
      sender.send(p, out);
    }
  }

  /** Takes in the deferred fields now due, pushes them, and acks the puts they complete. */
  private void drainDeferred() {
    GraphEngine.Merge drained = graph.drainDue();
    CompletableFuture<Graph> decided = drained.decided();
    if (decided != null) {
      // the puts these fields complete are acked once the store has written them; what it
      // accepted is pushed then
      dueAcks.drained(decided.thenApply(g -> null));
      decided.whenComplete((took, e) -> toLoop.execute(() -> {
        if (took != null && !took.isEmpty()) {
          stats.fieldsAccepted.add(took.fieldCount());
          pushes.accepted(took);
        }
      }));
      dueAcks.ackDue();
      return;
    }
    Graph accepted = drained.accepted();
    if (!accepted.isEmpty()) {
      stats.fieldsAccepted.add(accepted.fieldCount());
      pushes.accepted(accepted);
      dueAcks.drained(drained.durable());
    }
    dueAcks.ackDue();
  }
}
