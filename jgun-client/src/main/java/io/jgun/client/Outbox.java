package io.jgun.client;

import io.jgun.dam.DamProtocol;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Graph;
import io.jgun.json.Json;
import io.jgun.mesh.Wire;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes no peer has acknowledged yet: sent to every open connection, sent again on every
 * (re)connection (after reading back what the peer already holds, see {@link ReadBack}), kept in a
 * {@link Journal} when there is one (each record forced before its write is sent), bounded by
 * {@code maxQueuedWrites} (the oldest dropped past it), and counted for {@link Gun#pendingWrites()}
 * from the moment {@code put} returns. Confined to the loop, except the count.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final Engine.Settings settings;
  private final ClientLoop loop;
  private final Connections connections;
  private final LocalGraph local;
  private final Ids ids;
  private final Engine engine;
  private final ReadBack readBack;
  private final LinkedHashSet<Outgoing> outbox = new LinkedHashSet<>();
  /** Put message id → the write it carried. */
  private final Map<String, Outgoing> putIds = new HashMap<>();
  /** The durable copy of the outbox (null: in memory only, or after it failed). */
  private @Nullable Journal journal;
  /** Writes recorded in the journal but not forced yet: sent once {@link #flushJournal} forced them. */
  private final List<Outgoing> awaitingSync = new ArrayList<>();
  private boolean flushScheduled;
  /**
   * For other threads: the writes in the outbox plus those a caller handed over that are not there
   * yet (each holding a {@link WriteToken}), so that a write counts as pending from the moment put
   * returns; one counter, so that a write moving into the outbox is never counted twice or missed.
   */
  private final AtomicInteger pending = new AtomicInteger();
  /** The outbox size {@link #pending} includes; on the loop. */
  private int outboxCounted;
  /** On the loop: the token of each write on its way to the outbox, by the future its put completes. */
  private final Map<CompletableFuture<?>, WriteToken> enteringTokens = new IdentityHashMap<>();

  Outbox(Engine.Settings settings, ClientLoop loop, Connections connections, LocalGraph local, Ids ids, Engine engine) {
    this.settings = settings;
    this.loop = loop;
    this.connections = connections;
    this.local = local;
    this.ids = ids;
    this.engine = engine;
    this.journal = settings.journal();
    this.readBack = new ReadBack(settings, loop, connections, ids, this, engine);
  }

  // ---------------------------------------------------------------- the count of pending writes

  /** How many writes wait for a peer's acknowledgement, those still on their way to the outbox included; any thread. */
  int queued() {
    return pending.get();
  }

  /** A write counted in {@link #pending} before it reaches the outbox: its count ends once, either way. */
  private final class WriteToken {
    private final AtomicBoolean held = new AtomicBoolean(true);

    /** The write will not reach the outbox (failed, or closed): uncount it. */
    void release() {
      if (held.compareAndSet(true, false)) {
        pending.decrementAndGet();
      }
    }

    /** The write is in the outbox now: its count carries over; false when already released. */
    boolean transfer() {
      return held.compareAndSet(true, false);
    }
  }

  /** Brings {@link #pending} in line with the outbox, {@code carried} of whose new writes were counted already by their tokens. */
  private void recount(int carried) {
    int size = outbox.size();
    pending.addAndGet(size - outboxCounted - carried);
    outboxCounted = size;
  }

  /**
   * Runs the write {@code task} on the loop (as {@link ClientLoop#submit(Runnable,
   * CompletableFuture)}), counting it in {@link #queued()} from now until it is in the outbox or
   * {@code f} completes; any thread.
   */
  void submitWrite(CompletableFuture<Ack> f, Runnable task) {
    if (settings.peers().isEmpty()) {
      loop.submit(task, f);
      return;
    }
    pending.incrementAndGet();
    WriteToken token = new WriteToken();
    f.whenComplete((a, e) -> {
      token.release();
      loop.submit(() -> enteringTokens.remove(f));
    });
    loop.submit(() -> {
      enteringTokens.put(f, token);
      task.run();
    }, f);
  }

  /** The write of {@code from} goes on as the write of {@code to} (a set's link): its count moves with it. */
  void handOver(CompletableFuture<?> from, CompletableFuture<?> to) {
    WriteToken token = enteringTokens.remove(from);
    if (token != null) { // the set is counted as pending until its link is in the outbox
      enteringTokens.put(to, token);
      to.whenComplete((a, e) -> loop.submit(() -> enteringTokens.remove(to)));
    }
  }

  // ---------------------------------------------------------------- writes in and out

  /**
   * Queues {@code g}, just merged locally ({@code merge}), until a peer acknowledges it; completes
   * {@code future} when the ack policy is met (locally durable, or a peer's ack), fails it after the
   * ack timeout.
   */
  void add(Graph g, String soul, CompletableFuture<Ack> future, GraphEngine.Merge merge) {
    loop.checkInLoop();
    Journal j = settings.peers().isEmpty() ? null : journal;
    Outgoing o = new Outgoing(g, soul, future, j == null ? null : ids.random(16));
    if (j == null) {
      o.synced = true;
      o.journaled.complete(null);
    }
    boolean local = settings.acks() == AckPolicy.LOCAL || settings.peers().isEmpty();
    if (local) {
      // durable in the local store and, with a journal, in the outbox journal
      CompletableFuture.allOf(merge.durable(), o.journaled)
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  engine.fail(future, e);
                } else {
                  engine.complete(future, new Ack(soul, null, Json.TRUE));
                }
              });
    }
    if (settings.peers().isEmpty()) {
      return;
    }
    if (outbox.size() >= settings.maxQueuedWrites()) {
      Iterator<Outgoing> it = outbox.iterator();
      Outgoing oldest = it.next();
      it.remove();
      recount(0);
      forget(oldest);
      journalDone(oldest);
      engine.fail(oldest.future, new GunException.Timeout("write dropped: more than " + settings.maxQueuedWrites() + " writes wait for a peer"));
    }
    outbox.add(o);
    WriteToken token = enteringTokens.remove(future);
    recount(token != null && token.transfer() ? 1 : 0);
    if (j != null) {
      j.write(Objects.requireNonNull(o.journalId), g);
      awaitingSync.add(o);
      scheduleFlush();
    } else {
      for (Wire w : connections.open()) {
        sendPut(o, w);
      }
    }
    loop.schedule(
        () -> {
          if (loop.closed()) {
            return;
          }
          if (!local && !future.isDone()) {
            engine.fail(future, new GunException.Timeout("No ACK yet. (no peer acknowledged within " + settings.ackTimeout().toMillis() + " ms" + (connections.noneOpen() ? "; no peer connected: " + connections.peerStatus() : "") + "; the write stays queued)"));
          }
          // a peer that already held it (or something newer) never acknowledges it: read it back
          for (Wire w : connections.open()) {
            readBack.probe(w, List.of(o));
          }
        },
        settings.ackTimeout().toMillis());
  }

  /** A new connection: read back what it holds of the writes sent before, then send it every pending write. */
  void connected(Wire wire) {
    loop.checkInLoop();
    // ask for what it holds of the writes sent before, ahead of the re-sends (so the answers show
    // what it held before them): it acknowledges none of the re-sends it already holds
    readBack.probe(wire, outbox);
    for (Outgoing o : outbox) {
      if (o.synced) { // the others are sent as soon as their journal record is forced
        sendPut(o, wire);
      }
    }
  }

  /** {@code wire} closed: its read-backs end (the writes stay, for the next connection). */
  void closed(Wire wire) {
    readBack.closed(wire);
  }

  private void sendPut(Outgoing o, Wire w) {
    String id = ids.messageId();
    o.sent = true;
    o.ids.add(id);
    putIds.put(id, o);
    // a write of our own asks for the budget of one (Gun.js's chain put), not the relay's budget for
    // writes it passes on (DamProtocol.OK_BUDGET_RELAYED)
    Json.Obj ok = DamProtocol.okBudget(DamProtocol.OK_BUDGET_OWN, Math.max(1, connections.connected()));
    connections.send(w, Message.builder().id(id).put(o.graph).ok(ok).build());
  }

  /** A reply to message {@code id} from {@code wire} ({@code answer}: its screened data): a put's ack, or a read-back's answer. */
  void onReply(String id, Wire wire, Message m, @Nullable Graph answer) {
    Outgoing o = putIds.get(id);
    if (o != null) {
      onPutAck(o, wire, m);
    }
    readBack.onReply(id, wire, answer, m);
  }

  private void onPutAck(Outgoing o, Wire wire, Message m) {
    if (m.err() == null && m.ok() == null) {
      return; // a reply with data only
    }
    settled(o);
    String url = connections.name(wire);
    if (m.err() != null) {
      Json err = m.err();
      engine.fail(o.future, new GunException.PeerError(url, err instanceof Json.Str s ? s.value() : err.toJs()));
    } else {
      engine.complete(o.future, new Ack(o.soul, url, Objects.requireNonNull(m.ok())));
    }
  }

  boolean contains(Outgoing o) {
    return outbox.contains(o);
  }

  /** {@code o} needs no sending any more: out of the outbox and, with a journal, ended there. */
  void settled(Outgoing o) {
    outbox.remove(o);
    recount(0);
    forget(o);
    journalDone(o);
  }

  private void forget(Outgoing o) {
    for (String id : o.ids) {
      putIds.remove(id);
    }
    o.ids.clear();
  }

  // ---------------------------------------------------------------- the journal

  /** Puts the writes an earlier run left unacknowledged back into the outbox; the first task on the loop. */
  void replay() {
    loop.checkInLoop();
    Journal j = journal;
    if (j == null || loop.closed()) {
      return;
    }
    for (Journal.Pending p : j.pending()) {
      if (p.graph().isEmpty()) {
        continue;
      }
      // back into the local graph too (a no-op for a durable store that has them; a memory graph lost them)
      local.merge(p.graph());
      String soul = p.graph().nodes().keySet().iterator().next();
      Outgoing o = new Outgoing(p.graph(), soul, new CompletableFuture<>(), p.id());
      o.synced = true;
      o.sent = true; // the earlier run may have sent it and lost the acknowledgement
      o.journaled.complete(null);
      outbox.add(o);
      recount(0);
    }
    if (!outbox.isEmpty()) {
      log.info("outbox journal {}: {} write(s) from an earlier run wait for a peer", j.file(), outbox.size());
    }
  }

  boolean hasJournal() {
    return journal != null;
  }

  /** Writes and forces the journal's buffered records on a later loop task, so that a burst shares one force. */
  private void scheduleFlush() {
    if (flushScheduled || journal == null) {
      return;
    }
    flushScheduled = true;
    if (!loop.execute(this::flushJournal)) {
      flushScheduled = false; // closing: shutdown() flushes
    }
  }

  private void flushJournal() {
    flushScheduled = false;
    Journal j = journal;
    if (j == null || loop.closed()) {
      return;
    }
    try {
      j.flush();
    } catch (IOException e) {
      journalFailed(j, e);
      return;
    }
    for (Outgoing o : awaitingSync) {
      o.synced = true;
      o.journaled.complete(null);
      sendEverywhere(o);
    }
    awaitingSync.clear();
  }

  private void sendEverywhere(Outgoing o) {
    if (outbox.contains(o)) {
      for (Wire w : connections.open()) {
        sendPut(o, w);
      }
    }
  }

  /** The journal cannot be written: go on with the in-memory outbox; local acks of unsynced writes fail. */
  private void journalFailed(Journal j, IOException e) {
    log.error("the outbox journal {} cannot be written; unacknowledged writes are kept in memory only from now on", j.file(), e);
    journal = null;
    try {
      j.close();
    } catch (IOException | RuntimeException ignored) {
      // already failing
    }
    GunException.OutboxError err = new GunException.OutboxError(j.file(), "could not be written or forced: " + e, e);
    for (Outgoing o : awaitingSync) {
      o.synced = true;
      o.journaled.completeExceptionally(err);
      sendEverywhere(o);
    }
    awaitingSync.clear();
  }

  /** Records in the journal that {@code o} needs no sending any more. */
  private void journalDone(Outgoing o) {
    Journal j = journal;
    if (j != null && o.journalId != null) {
      j.done(o.journalId);
      scheduleFlush();
    }
  }

  /** Fails every pending write ({@link GunException.Closed}) and closes the journal, forcing what it buffered; on the loop. */
  void shutdown() {
    loop.checkInLoop();
    for (Outgoing o : outbox) {
      engine.fail(o.future, new GunException.Closed());
    }
    outbox.clear();
    recount(0);
    putIds.clear();
    readBack.clear();
    awaitingSync.clear();
    Journal j = journal;
    journal = null;
    if (j != null) {
      try {
        j.close(); // forces what is still buffered
      } catch (IOException e) {
        log.warn("could not flush the outbox journal {} on close: {}", j.file(), e.toString());
      }
    }
  }
}
