package io.jgun.mesh;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.json.Json;
import io.jgun.wire.DamHash;
import io.jgun.wire.Frame;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DAM mesh of a relay (docs/protocol.md §4, §5.1): the handshake, batching, dedup, GETs
 * answered from the graph and forwarded to other peers, acks routed only to the peer that asked,
 * accepted writes pushed only to subscribed peers, and outbound peers dialed and re-dialed forever.
 *
 * <p>Threading: all state is confined to one thread, the mesh loop ({@code loop}). Transports call
 * {@link WireListener} methods on their I/O threads; frames are parsed there (in parallel), then
 * handed to the loop. Sends go through {@link Wire#send}, which never blocks. The loop may itself be
 * one of a transport's I/O threads (a relay's is): a frame that arrives on it while the loop has
 * nothing queued is handled at once, with no hand-off.
 */
public final class Mesh implements WireListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Mesh.class);
  private static final String HEARTBEAT = "[]";
  /** The most puts of only future fields waiting for their ack. */
  private static final int MAX_DUE_ACKS = 10_000;
  /** Overload is logged once per this interval, not once per GET. */
  private static final long OVERLOAD_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** The most inbox events run in one loop task. */
  private static final int INBOX_BATCH = 256;

  private final MeshOptions opt;
  private final ScheduledExecutorService loop;
  private final boolean ownsLoop;
  private final Dialer dialer;
  private final Ids ids;
  private final String pid;
  private final MessageReader reader;
  private final GraphEngine graph;
  private final MeshStats stats = new MeshStats();
  private final Dedup<Peer> dedup;
  private final Subscriptions subs = new Subscriptions();

  /** Transport threads look peers up here; the loop alone adds and removes. */
  private final Map<Wire, Peer> byWire = new ConcurrentHashMap<>();
  /** Open peers in the order they came, for forwarding (loop only). */
  private final Set<Peer> peers = new LinkedHashSet<>();
  /** Outbound peers by URL: dialed at start and re-dialed until close. */
  private final Map<String, Outbound> outbound = new LinkedHashMap<>();
  /** Accepted writes on their way to subscribers. */
  private final PushFanout pushes;
  /** Peers with GETs waiting for the store, in turn (loop only; see {@link #park}). */
  private final ArrayDeque<Peer> getWaiters = new ArrayDeque<>();
  /** GET reads started and not completed (loop only). */
  private int readsInFlight;
  /** GETs waiting in peers' queues (loop only). */
  private int parkedGets;
  /** When the last "GETs are waiting" warning was logged (System.nanoTime). */
  private long lastOverloadLog = System.nanoTime() - OVERLOAD_LOG_INTERVAL_NANOS;
  /** Puts of only future fields, to ack when those come due (loop only). */
  private final ArrayDeque<DueAck> dueAcks = new ArrayDeque<>();
  /** When the fields of the latest deferral drain that accepted any are durable. */
  private CompletableFuture<Void> deferredDurable = GraphEngine.Merge.DONE;
  /** Events from other threads, in arrival order (see {@link #onLoop}). */
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean inboxScheduled = new AtomicBoolean();
  private @Nullable ScheduledFuture<?> heartbeatTimer;
  private @Nullable ScheduledFuture<?> dedupTimer;
  private volatile boolean closed;
  /** The loop's thread, once started: a frame received on it may be handled without a hand-off. */
  private volatile @Nullable Thread loopThread;
  /** Mesh code is running on the loop (loop only): a transport callback must not re-enter it. */
  private boolean running;
  /** Set by the last task of {@link #close} (loop only): tasks still queued do nothing. */
  private boolean stopped;

  /**
   * A mesh on the given loop thread. The mesh takes ownership of the loop and shuts it down on
   * close.
   */
  public Mesh(
      MeshOptions opt,
      ScheduledExecutorService loop,
      Dialer dialer,
      GraphEngine graph,
      Ids ids) {
    this(opt, loop, true, dialer, graph, ids);
  }

  /**
   * A mesh on {@code loop}, which must run its tasks on one thread. With {@code ownsLoop} the mesh
   * shuts it down on close; otherwise the loop is shared, for example with a transport whose I/O
   * thread it is, and close only ends the mesh's work on it (its owner stops it, after the mesh).
   */
  public Mesh(
      MeshOptions opt,
      ScheduledExecutorService loop,
      boolean ownsLoop,
      Dialer dialer,
      GraphEngine graph,
      Ids ids) {
    this.opt = opt;
    this.loop = loop;
    this.ownsLoop = ownsLoop;
    this.dialer = dialer;
    this.graph = graph;
    this.ids = ids;
    this.pid = opt.pid != null ? opt.pid : ids.pid();
    this.reader = new MessageReader(opt.maxFrameChars, opt.maxDepth, opt.maxMessagesPerFrame);
    this.dedup = Dedup.builder().age(opt.dedupAge).maxEntries(opt.dedupMax).build();
    this.pushes =
        new PushFanout(
            subs,
            stats,
            this::writePush,
            this::sendFrame,
            graph,
            (task, millis) -> {
              if (millis == 0) {
                loop.execute(task(task));
              } else {
                loop.schedule(task(task), millis, TimeUnit.MILLISECONDS);
              }
            },
            opt.pushConflateBytes,
            opt.pack);
  }

  /** Starts the heartbeat and dials the configured peers. */
  public void start() {
    loop.execute(
        task(() -> {
          loopThread = Thread.currentThread();
          long hb = opt.heartbeat.toMillis();
          if (hb > 0) {
            heartbeatTimer = loop.scheduleWithFixedDelay(task(this::heartbeat), hb, hb, TimeUnit.MILLISECONDS);
          }
          // The dedup table expires lazily, on traffic: a relay that goes quiet would keep its last
          // window's entries, and with them the peers they came from (a closed connection's wire,
          // channel and pipeline, ~2 KB each), for good. A sweep once a window lets them go.
          long age = Math.max(opt.dedupAge.toMillis(), 1);
          dedupTimer = loop.scheduleWithFixedDelay(task(dedup::expire), age, age, TimeUnit.MILLISECONDS);
          for (String url : opt.peers) {
            connect(url);
          }
        }));
  }

  /** This peer's id, sent in {@code dam:'?'}. */
  public String pid() {
    return pid;
  }

  /** Counters for metrics. */
  public MeshStats stats() {
    return stats;
  }

  /** Entries in the dedup table, expired ones not yet swept included (loop only; for tests). */
  int dedupSize() {
    return dedup.size();
  }

  /** How many connections are open. */
  public int connections() {
    return byWire.size();
  }

  /** Adds an outbound peer (as {@code --peers} does) and keeps it connected until close. */
  public void connect(String url) {
    loop.execute(
        task(() -> {
          if (closed || outbound.containsKey(url)) {
            return;
          }
          Outbound o = new Outbound(url);
          outbound.put(url, o);
          dial(o);
        }));
  }

  // ---------------------------------------------------------------------------------------------
  // Transport events (called on I/O threads)

  @Override
  public void opened(Wire wire) {
    if (closed) {
      wire.close();
      return;
    }
    Peer peer = new Peer(wire, ids);
    byWire.put(wire, peer);
    stats.connectionsOpened.increment();
    onLoop(() -> hi(peer));
  }

  @Override
  public void received(Wire wire, String text) {
    Peer peer = byWire.get(wire);
    if (peer == null) {
      return;
    }
    stats.framesIn.increment();
    // On the loop's own thread (it is this transport's I/O thread) with nothing queued before it:
    // handled now. Nothing queued means nothing of this connection's is waiting either.
    boolean now = Thread.currentThread() == loopThread && !running && !stopped && inbox.isEmpty();
    if (!now && peer.framePending() > opt.maxPendingFramesPerPeer) {
      log.warn("peer {} sends faster than it is served ({} frames waiting): disconnecting", peer, peer.pendingFrames());
      stats.peersDropped.increment();
      wire.close();
      return;
    }
    Frame frame = reader.read(text); // parsed here, on the transport's thread, in parallel
    prepare(frame);
    if (now) {
      task(() -> runEvent(() -> hear(peer, frame))).run();
      return;
    }
    onLoop(
        () -> {
          peer.frameTaken();
          hear(peer, frame);
        });
  }

  @Override
  public void oversized(Wire wire, long bytes) {
    Peer peer = byWire.get(wire);
    log.warn("frame of {} bytes from {} is over the limit: dropped", bytes, peer != null ? peer : wire.remote());
    stats.framesRejected.increment();
    wire.send(MessageWriter.write(Message.builder().dam("!").err("Message too big!").id(ids.messageId()).build()));
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    Peer peer = byWire.remove(wire);
    if (peer == null) {
      return;
    }
    stats.connectionsClosed.increment();
    if (cause != null && log.isDebugEnabled()) {
      log.debug("connection {} closed: {}", peer, cause.toString());
    }
    onLoop(() -> bye(peer));
  }

  /**
   * {@code body} as a task of the loop's: mesh code, which a transport callback on the same thread
   * (a wire closed by it, say) must not re-enter; nothing once the mesh stopped.
   */
  private Runnable task(Runnable body) {
    return () -> {
      if (stopped) {
        return;
      }
      boolean outer = running;
      running = true;
      try {
        body.run();
      } finally {
        running = outer;
      }
    };
  }

  /**
   * Runs an event from another thread (a transport's, the store's) on the loop. Events wait in one
   * FIFO inbox, run many per loop task: under load a burst of frames and store completions costs
   * one executor hand-off (a lock and a thread wake-up), not one each, and the replies they make
   * leave in fewer, larger batches. One queue keeps the events of each connection in order.
   */
  private void onLoop(Runnable event) {
    inbox.add(event);
    if (inboxScheduled.compareAndSet(false, true)) {
      try {
        loop.execute(task(this::drainInbox));
      } catch (RejectedExecutionException e) {
        inboxScheduled.set(false); // closed: the loop runs nothing more
      }
    }
  }

  /** Runs one event on the loop; a failure is logged and the loop (or the transport) goes on. */
  private static void runEvent(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.error("mesh event failed", e); // a bug if it happens
    }
  }

  private void drainInbox() {
    inboxScheduled.set(false);
    try {
      for (int i = 0; i < INBOX_BATCH; i++) {
        Runnable event = inbox.poll();
        if (event == null) {
          return;
        }
        runEvent(event);
      }
    } finally {
      // more waiting (a burst, or an Error thrown above): let timers and batch flushes run, then go on
      if (!inbox.isEmpty() && inboxScheduled.compareAndSet(false, true)) {
        try {
          loop.execute(task(this::drainInbox));
        } catch (RejectedExecutionException e) {
          inboxScheduled.set(false); // closed
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Mesh loop

  private void hi(Peer peer) {
    if (!peer.wire.isOpen()) {
      return;
    }
    peers.add(peer);
    if (peer.outbound()) {
      // The dialing side speaks second (docs/protocol.md §4.2); a relay re-asks what its
      // subscribers want.
      Outbound o = outbound.get(peer.id());
      if (o != null) {
        o.connected(peer);
      }
      resubscribe(peer);
    } else {
      String id = ids.messageId();
      sendNow(peer, Message.builder().id(id).dam("?").pid(pid).build());
    }
  }

  private void bye(Peer peer) {
    peer.open = false;
    ArrayDeque<Message> parked = peer.parkedGets;
    if (parked != null) {
      parkedGets -= parked.size();
      peer.parkedGets = null; // its turn in getWaiters is skipped
    }
    peers.remove(peer);
    subs.remove(peer);
    Outbound o = peer.outbound() ? outbound.get(peer.id()) : null;
    if (o != null && o.peer == peer) {
      o.disconnected();
    }
    if (peer.pid != null && !peer.redundant) {
      // A connection made redundant by this one can take over.
      for (Outbound other : outbound.values()) {
        if (other.dormantFor != null && other.dormantFor.equals(peer.pid)) {
          other.dormantFor = null;
          dial(other);
        }
      }
    }
  }

  private void hear(Peer peer, Frame frame) {
    if (!peer.open) {
      return;
    }
    if (frame.error() != null) {
      stats.framesRejected.increment();
      log.debug("bad frame from {}: {}", peer, frame.error().text());
      sendNow(peer, Message.builder().id(ids.messageId()).dam("!").err(frame.error().text()).build());
      return;
    }
    if (frame.skipped() > 0) {
      log.debug("{} elements of a frame from {} were not messages", frame.skipped(), peer);
    }
    for (Message m : frame.messages()) {
      stats.messagesIn.increment();
      try {
        hearOne(peer, m);
      } catch (RuntimeException e) {
        // One bad message must not stop the others or the loop; this is a bug if it happens.
        log.error("message from {} failed: {}", peer, m, e);
      }
    }
  }

  private void hearOne(Peer peer, Message m) {
    if (m.id() == null) {
      m = m.toBuilder().id(ids.messageId()).build();
    }
    String id = m.id();
    if (dedup.check(id) != null) {
      stats.duplicates.increment();
      return;
    }
    String hashKey = null;
    if (m.hash() != null && (m.ack() != null || m.get() != null)) {
      hashKey = Dedup.hashKey(m.ack() != null ? m.ack() : id, m.hash());
      if (dedup.check(hashKey) != null) {
        stats.duplicates.increment();
        return;
      }
    }
    Dedup.Entry<Peer> entry = dedup.track(id);
    entry.via(peer);
    if (hashKey != null) {
      dedup.track(hashKey);
    }
    if (m.dam() != null) {
      dam(peer, m);
    } else if (m.ack() != null) {
      reply(peer, m);
    } else if (m.put() != null || m.invalidPut() != null) {
      put(peer, m);
    } else if (m.get() != null) {
      entry.markGet().hash(m.hash());
      get(peer, m);
    }
    // anything else: nothing to do (Gun.js would re-broadcast junk; a relay need not)
  }

  private void dam(Peer peer, Message m) {
    switch (m.dam()) {
      case "?":
        handshake(peer, m);
        break;
      case "!":
        log.info("peer {} reports an error: {}", peer, m.err() == null ? "" : m.err().toJs());
        break;
      default:
        // "hi" only nudges a browser's own mesh; "mob", "opt" and unknown types are ignored.
        break;
    }
  }

  private void handshake(Peer peer, Message m) {
    String theirs = m.pid();
    if (peer.pid == null && theirs != null) {
      peer.pid = theirs;
      if (theirs.equals(pid)) {
        log.info("connection {} leads back to this peer: closing it", peer);
        Outbound o = peer.outbound() ? outbound.get(peer.id()) : null;
        if (o != null) {
          o.dormantFor = pid; // never re-dial ourselves
        }
        peer.redundant = true;
        peer.wire.close();
        return;
      }
      Peer twin = null;
      for (Peer p : peers) {
        if (p != peer && theirs.equals(p.pid)) {
          twin = p;
          break;
        }
      }
      if (twin != null && twin.outbound() != peer.outbound()) {
        // Two relays dialed each other: keep the connection dialed by the lower pid, on both sides.
        Peer dialedByUs = peer.outbound() ? peer : twin;
        Peer dialedByThem = peer.outbound() ? twin : peer;
        Peer drop = pid.compareTo(theirs) < 0 ? dialedByThem : dialedByUs;
        log.info("two connections with peer {}: keeping one, closing {}", theirs, drop);
        drop.redundant = true;
        if (drop.outbound()) {
          Outbound o = outbound.get(drop.id());
          if (o != null) {
            o.dormantFor = theirs;
          }
        }
        drop.wire.close();
        if (drop == peer) {
          return;
        }
      }
    }
    if (m.ack() == null) {
      sendNow(peer, Message.builder().id(ids.messageId()).ack(m.id()).dam("?").pid(pid).build());
    }
  }

  // --- writes ---

  private void put(Peer peer, Message m) {
    if (m.invalidPut() != null || m.put() == null) {
      stats.putsInvalid.increment();
      log.info("rejected put {} from {}: {}", m.id(), peer, m.invalidPut());
      return; // Gun.js stays silent (docs/protocol.md §3.3)
    }
    String forbidden = forbidden(m.put());
    if (forbidden != null) {
      stats.putsForbidden.increment();
      log.info("refused put {} from {}: {}", m.id(), peer, forbidden);
      sendTo(peer, Message.builder().id(ids.messageId()).ack(m.id()).err(forbidden).build());
      return; // not merged, stored, forwarded or pushed
    }
    GraphEngine.Merge merge = graph.merge(m.put());
    stats.fieldsDeferred.add(merge.deferred());
    stats.deferralsRefused.add(merge.refused());
    if (merge.refused() > 0) {
      log.warn("put {} from {}: {} future fields refused (deferral queue full or too far ahead)", m.id(), peer, merge.refused());
    }
    if (merge.deferred() > 0) {
      scheduleDeferrals();
    }
    Graph accepted = merge.accepted();
    if (accepted.isEmpty()) {
      if (merge.deferred() > 0 && merge.refused() == 0) {
        // Only future fields (a writer whose clock is ahead, if only by a fraction of a
        // millisecond): Gun.js never acks such a put; jgun acks it once its fields came due. The
        // relays we dialed get it now and defer it as well, so its subscribers there see it come due.
        awaitDue(peer, m);
        forwardPut(peer, m);
        return;
      }
      stats.putsNoop.increment();
      log.debug("put {} from {} changed nothing", m.id(), peer);
      return; // no ack for no-op or old writes, as Gun.js
    }
    stats.putsAccepted.increment();
    stats.fieldsAccepted.add(accepted.fieldCount());
    Dedup.Entry<Peer> entry = dedup.peek(m.id());
    if (entry != null) {
      entry.acked(true); // acks from the relays we forward it to are not the writer's concern
    }
    String putId = m.id();
    long arrived = System.nanoTime();
    merge.durable().whenComplete((v, e) -> stats.ackTimes.record(System.nanoTime() - arrived));
    if (merge.durable().isDone()) {
      ackWhenDurable(peer, putId, merge.durable());
    } else {
      // Acknowledged only once durable as configured (storage's group commit), on the loop.
      merge.durable().whenComplete((v, e) -> onLoop(() -> ackWhenDurable(peer, putId, merge.durable())));
    }
    changed(accepted);
    forwardPut(peer, m);
  }

  /** Lets the put guard do its costly stateless work (signature checks) here, off the loop. */
  private void prepare(Frame frame) {
    PutGuard guard = opt.putGuard;
    if (guard != null) {
      guard.prepare(frame);
    }
  }

  /** Why the put guard refuses {@code put}, or null when there is no guard or it accepts. */
  private @Nullable String forbidden(Graph put) {
    PutGuard guard = opt.putGuard;
    return guard == null ? null : guard.refusal(put, graph::field);
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
      log.warn("write {} from {} failed: {}", putId, peer, cause.toString());
      ack.err("Error: write failed: " + cause.getMessage());
    }
    sendTo(peer, ack.build());
  }

  /** Replicates a write to the relays this one dialed (--peers), which ack it to us. */
  private void forwardPut(Peer from, Message m) {
    List<Peer> targets = new ArrayList<>();
    for (Outbound o : outbound.values()) {
      if (o.peer != null && o.peer != from && o.peer.open && !excluded(o.peer, m.route())) {
        targets.add(o.peer);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    Message out = withRoute(m);
    for (Peer p : targets) {
      sendTo(p, out);
    }
  }

  private void scheduleDeferrals() {
    long due = graph.nextDeferralMillis();
    if (due == Long.MAX_VALUE) {
      return;
    }
    long delay = Math.max(0, due - System.currentTimeMillis());
    loop.schedule(
        task(() -> {
          GraphEngine.Merge drained = graph.drainDue();
          Graph accepted = drained.accepted();
          if (!accepted.isEmpty()) {
            stats.fieldsAccepted.add(accepted.fieldCount());
            changed(accepted);
            deferredDurable = drained.durable(); // the store writes in order: the latest covers all
          }
          ackDue();
          scheduleDeferrals();
        }),
        delay,
        TimeUnit.MILLISECONDS);
  }

  /** A put whose fields were all deferred: acked once they came due and are durable. */
  private record DueAck(Peer peer, String putId, double maxState) {}

  /** Remembers a put of only future fields, to ack it when they come due (at most {@link #MAX_DUE_ACKS}). */
  private void awaitDue(Peer peer, Message m) {
    double max = Double.NEGATIVE_INFINITY;
    for (Node n : m.put().nodes().values()) {
      for (Field f : n.fields().values()) {
        max = Math.max(max, f.state());
      }
    }
    if (dueAcks.size() >= MAX_DUE_ACKS) {
      dueAcks.removeFirst(); // that writer gets no ack, as from Gun.js
    }
    dueAcks.addLast(new DueAck(peer, m.id(), max));
    log.debug("put {} from {} holds only future fields: acked when they come due", m.id(), peer);
  }

  /**
   * Acks the puts all of whose fields left the deferral queue: their states lie before the
   * earliest field still deferred (whole milliseconds, rounded down: never early).
   */
  private void ackDue() {
    long next = graph.nextDeferralMillis();
    CompletableFuture<Void> durable = deferredDurable;
    for (Iterator<DueAck> it = dueAcks.iterator(); it.hasNext(); ) {
      DueAck a = it.next();
      if (next == Long.MAX_VALUE || a.maxState() < next - 1) {
        it.remove();
        if (a.peer().open) {
          if (durable.isDone()) {
            ackWhenDurable(a.peer(), a.putId(), durable);
          } else {
            durable.whenComplete((v, e) -> onLoop(() -> ackWhenDurable(a.peer(), a.putId(), durable)));
          }
        }
      }
    }
  }

  /** Pushes an accepted write to the peers subscribed to it, at the end of this loop turn. */
  private void changed(Graph accepted) {
    pushes.accepted(accepted);
  }

  /** One push message: a fresh id, tracked so that acks to it end here, with the ok budget and route. */
  private String writePush(Graph put) {
    String id = ids.messageId();
    dedup.track(id);
    return MessageWriter.write(withRoute(Message.builder().id(id).put(put).ok(okBudget()).build()));
  }

  /** Sends a whole frame to {@code p} after the messages already batched for it, keeping their order. */
  private void sendFrame(Peer p, String frame) {
    if (!p.open) {
      return;
    }
    flushBatch(p);
    if (p.wire.send(frame)) {
      stats.framesOut.increment();
    }
  }

  private Json okBudget() {
    Map<String, Json> ok = new LinkedHashMap<>();
    ok.put("@", Json.of(2));
    ok.put("/", Json.of(peers.size()));
    return new Json.Obj(ok);
  }

  // --- reads ---

  /**
   * Answers a GET from the graph and forwards it. The peer is subscribed at once, on the loop; the
   * read itself may complete off the loop (a store read), and the answer is sent back on it, so a
   * slow disk never stalls the mesh.
   */
  private void get(Peer peer, Message m) {
    if (readsInFlight >= opt.maxReadsInFlight || peer.parkedGets != null) {
      park(peer, m);
      startParkedGets();
      return;
    }
    startGet(peer, m);
  }

  private void startGet(Peer peer, Message m) {
    Get get = m.get();
    String soul = get.exactSoul();
    CompletableFuture<@Nullable Graph> read;
    if (soul != null) {
      String key = get.exactKey();
      read = readOrFail(() -> key != null ? graph.readAsync(soul, Lex.exact(key), null) : graph.readAsync(soul, get.key(), get.limit()));
      // A field is subscribed to alone only when named as a plain string; a lex on keys, even
      // {"=": k}, subscribes to the whole node, as Gun.js's AXE does (its REF takes '' then).
      String subscribed = get.raw().get(".") instanceof Json.Str ? key : null;
      if (!subs.subscribe(peer, soul, subscribed, opt.maxSubscriptionsPerPeer)) {
        log.warn("peer {} is over its subscription cap ({}): not subscribed to {}", peer, opt.maxSubscriptionsPerPeer, soul);
      }
    } else if (get.soul() != null) {
      read = readOrFail(() -> graph.readSoulsAsync(get.soul(), get.limit()));
    } else {
      read = CompletableFuture.completedFuture(null);
    }
    if (read.isDone()) {
      answer(peer, m, read);
    } else {
      readsInFlight++;
      read.whenComplete(
          (g, e) ->
              onLoop(
                  () -> {
                    readsInFlight--;
                    answer(peer, m, read);
                    startParkedGets();
                  }));
    }
  }

  /**
   * Holds a GET while the store has {@code maxReadsInFlight} reads under way, or while older GETs
   * of the same peer wait: a burst of reads queues, it does not fail. A peer with {@code
   * maxParkedGetsPerPeer} waiting is not read from until half of them started (backpressure on
   * that connection only; the others go on).
   */
  private void park(Peer peer, Message m) {
    ArrayDeque<Message> parked = peer.parkedGets;
    if (parked == null) {
      parked = new ArrayDeque<>();
      peer.parkedGets = parked;
      getWaiters.addLast(peer);
    }
    parked.addLast(m);
    parkedGets++;
    stats.getsQueued.increment();
    if (parked.size() >= opt.maxParkedGetsPerPeer && !peer.readingPaused) {
      peer.readingPaused = true;
      peer.wire.pauseReading(true);
      stats.readingPaused.increment();
    }
    long now = System.nanoTime();
    if (now - lastOverloadLog > OVERLOAD_LOG_INTERVAL_NANOS) {
      lastOverloadLog = now;
      log.warn("GETs are waiting for the store: {} reads under way, {} GETs queued from {} peers", readsInFlight, parkedGets, getWaiters.size());
    }
  }

  /** Starts waiting GETs while the store has room, one peer after another (round robin). */
  private void startParkedGets() {
    while (readsInFlight < opt.maxReadsInFlight && !getWaiters.isEmpty()) {
      Peer p = getWaiters.pollFirst();
      ArrayDeque<Message> parked = p.parkedGets;
      if (parked == null) {
        continue;
      }
      Message m = parked.pollFirst();
      parkedGets--;
      if (parked.isEmpty()) {
        p.parkedGets = null;
      } else {
        getWaiters.addLast(p);
      }
      if (p.readingPaused && parked.size() <= opt.maxParkedGetsPerPeer / 2) {
        p.readingPaused = false;
        p.wire.pauseReading(false);
      }
      if (p.open) {
        startGet(p, m);
      }
    }
  }

  /** The engine's read; one that throws instead of failing its future fails it, so the asker is answered. */
  private static CompletableFuture<@Nullable Graph> readOrFail(Supplier<CompletableFuture<@Nullable Graph>> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void answer(Peer peer, Message m, CompletableFuture<@Nullable Graph> read) {
    Graph found;
    try {
      found = read.join();
    } catch (CompletionException | CancellationException e) {
      // A read the graph engine could not do (a damaged store block, an overloaded store): the
      // asker is told rather than left waiting, and the GET is not forwarded as if we had nothing.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      stats.readsFailed.increment();
      log.error("GET {} from {} failed: {}", m.id(), peer, cause.toString());
      String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      sendTo(peer, Message.builder().id(ids.messageId()).ack(m.id()).err("Error: read failed: " + why).build());
      return;
    }
    List<Graph> answer = found == null || found.isEmpty() ? List.of() : chunk(found);
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
        sendTo(peer, reply.build());
      }
    } else if (m.hash() == null) {
      stats.getsNotFound.increment();
      sendTo(peer, Message.builder().id(ids.messageId()).ack(m.id()).build());
    }
    forwardGet(peer, m, ourHash);
  }

  /** Splits a large graph into replies of at most replyChunkFields fields. */
  private List<Graph> chunk(Graph g) {
    if (g.fieldCount() <= opt.replyChunkFields) {
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
        if (n >= opt.replyChunkFields) {
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

  /**
   * Forwards a GET to other peers in turns, as Gun.js's AXE does (docs/protocol.md §5.1):
   * {@code getWaveSize} peers (3) per turn, a turn every {@code getWaveInterval} (25 ms); first the
   * relays we dialed and the peers subscribed to the soul, then everyone else. A GET we answered
   * ourselves gets one turn, among those first peers only (Gun.js counts its own answer as an ack
   * whose hash matches, and stops); otherwise the turns go on until a peer answers with data. With thousands of subscribers to a
   * popular soul, a GET costs a few forwards, not thousands. The forwarded GET keeps its id and
   * gains {@code ><} and our {@code ##}.
   */
  private void forwardGet(Peer asker, Message m, @Nullable Integer ourHash) {
    Message.Builder b = m.toBuilder();
    if (m.hash() == null && ourHash != null) {
      b.hash(ourHash);
      Dedup.Entry<Peer> e = dedup.peek(m.id());
      if (e != null) {
        e.hash(ourHash);
      }
    }
    Set<Peer> first = new LinkedHashSet<>();
    for (Outbound o : outbound.values()) {
      if (o.peer != null) {
        first.add(o.peer);
      }
    }
    String soul = m.get().exactSoul();
    if (soul != null) {
      first.addAll(subs.soul(soul));
      String key = m.get().exactKey();
      if (key != null) {
        first.addAll(subs.field(soul, key));
      }
    }
    new GetTurns(asker, m.id(), m.route(), withRoute(b.build()), first, ourHash != null).run();
  }

  /** The turns of one forwarded GET (Gun.js AXE's {@code GET.turn}). */
  private final class GetTurns implements Runnable {
    private final Peer asker;
    private final String id;
    private final @Nullable String route;
    private final Message out;
    /** The peers to ask first (subscribers and dialed relays); everyone else after them. */
    private final List<Peer> first;
    private final boolean weAnswered;
    private final Set<Peer> sent = new HashSet<>();
    private int budget = opt.getForwardMax;
    private int turns;

    GetTurns(Peer asker, String id, @Nullable String route, Message out, Set<Peer> first, boolean weAnswered) {
      this.asker = asker;
      this.id = id;
      this.route = route;
      this.out = out;
      this.first = new ArrayList<>(first);
      this.weAnswered = weAnswered;
    }

    @Override
    public void run() {
      Dedup.Entry<Peer> e = dedup.peek(id);
      if (closed || e == null || e.answered() || (turns > 0 && weAnswered)) {
        return;
      }
      // A turn asks the subscribers (Gun.js's route) while any is left, and everyone else only
      // after them: a GET we answered, whose one turn this is, never goes past the subscribers.
      int n = ask(first, 0);
      if (n == 0 && !weAnswered) {
        n = ask(peers, 0);
      }
      turns++;
      // A GET nobody here could answer gets a second turn even when the first found nobody to ask,
      // as Gun.js's does (its first turn goes to the route, which may hold only the asker): a peer
      // that connects meanwhile, a browser reconnecting with data the asker lacks, is asked then.
      boolean again = n > 0 || (!weAnswered && turns < 2);
      if (again && budget > 0) {
        loop.schedule(task(this), opt.getWaveInterval.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    /** Sends the GET to peers of {@code candidates} not asked yet until this turn has its share. */
    private int ask(Iterable<Peer> candidates, int n) {
      for (Peer p : candidates) {
        if (n >= opt.getWaveSize || budget == 0) {
          break;
        }
        if (p != asker && p.open && !sent.contains(p) && !excluded(p, route)) {
          sent.add(p);
          sendTo(p, out);
          stats.getsForwarded.increment();
          n++;
          budget--;
        }
      }
      return n;
    }
  }

  // --- replies and acks ---

  private void reply(Peer from, Message m) {
    Dedup.Entry<Peer> ask = dedup.peek(m.ack());
    String forbidden = m.put() != null ? forbidden(m.put()) : null;
    if (forbidden != null) {
      stats.putsForbidden.increment();
      log.info("refused data in reply {} from {}: {}", m.id(), from, forbidden);
      return; // forged data in an answer is neither learnt nor passed on
    }
    if (m.put() != null) {
      // An answer to a GET: learn it (HAM), and the answerer now gets pushes for it (AXE).
      GraphEngine.Merge merge = graph.merge(m.put());
      if (merge.deferred() > 0) {
        scheduleDeferrals();
      }
      for (String soul : m.put().nodes().keySet()) {
        subs.subscribe(from, soul, null, opt.maxSubscriptionsPerPeer);
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
    if (m.put() != null && m.hash() != null && ask.hash() != null && m.hash().equals(ask.hash())) {
      stats.repliesDropped.increment();
      return; // the asker already has exactly this answer
    }
    if (m.put() == null && ask.isGet() && m.ok() == null && m.err() == null) {
      stats.repliesDropped.increment();
      return; // a not-found for a GET: we answered the asker ourselves already (found or not)
    }
    if (m.put() == null && m.ok() != null && ask.acked()) {
      stats.repliesDropped.increment();
      return; // we acked that write ourselves already
    }
    stats.repliesRouted.increment();
    // A long answer (a browser streaming 100,000 items in chunks for 40 s) keeps its route alive,
    // as Gun.js's mesh does when it passes a reply on; otherwise the GET's entry expires after the
    // dedup window and the rest of the answer is dropped.
    dedup.track(m.ack());
    sendTo(asker, m);
  }

  // --- outbound peers ---

  private void dial(Outbound o) {
    if (closed || o.dormantFor != null) {
      return;
    }
    o.attempts++;
    dialer
        .dial(o.url, this)
        .whenComplete(
            (wire, err) -> {
              if (err != null) {
                onLoop(() -> o.failed(err));
              }
            });
  }

  private void resubscribe(Peer peer) {
    List<Message> asks = new ArrayList<>();
    for (String soul : subs.souls()) {
      Map<String, Json> get = new LinkedHashMap<>();
      get.put("#", Json.of(soul));
      asks.add(Message.builder().id(ids.messageId()).get(new Get(new Json.Obj(get), Lex.exact(soul), null, null, false)).build());
    }
    for (Message ask : asks) {
      dedup.track(ask.id());
      sendTo(peer, ask);
    }
  }

  /** An outbound peer: re-dialed forever with exponential backoff and jitter. */
  private final class Outbound {
    final String url;
    @Nullable Peer peer;
    int attempts;
    long backoff = opt.reconnectMin.toMillis();
    /** The pid of a connection that made this one redundant; re-dial when it closes. */
    @Nullable String dormantFor;

    Outbound(String url) {
      this.url = url;
    }

    void connected(Peer p) {
      peer = p;
      attempts = 0;
      backoff = opt.reconnectMin.toMillis();
      log.info("connected to peer {}", url);
    }

    void disconnected() {
      peer = null;
      if (!closed && dormantFor == null) {
        log.info("lost peer {}; reconnecting", url);
        retry();
      }
    }

    void failed(Throwable err) {
      log.info("could not reach peer {} (attempt {}): {}", url, attempts, err.toString());
      retry();
    }

    private void retry() {
      if (closed) {
        return;
      }
      long jittered = (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble()));
      backoff = Math.min(backoff * 2, opt.reconnectMax.toMillis());
      loop.schedule(task(() -> dial(this)), Math.max(jittered, 1), TimeUnit.MILLISECONDS);
    }
  }

  // --- sending ---

  /** Adds {@code ><} (docs/protocol.md §4.7) when this message has none and we have at least two peers. */
  private Message withRoute(Message m) {
    if (m.route() != null || peers.size() < 2) {
      return m;
    }
    StringBuilder r = new StringBuilder();
    int n = 0;
    for (Peer p : peers) {
      if (n == 7) {
        break;
      }
      if (n > 0) {
        r.append(',');
      }
      r.append(p.name());
      n++;
    }
    return m.toBuilder().route(r.toString()).build();
  }

  private static boolean excluded(Peer p, @Nullable String route) {
    if (route == null) {
      return false;
    }
    String name = p.name();
    int from = 0;
    int len = Math.min(route.length(), 99);
    int count = 0;
    while (from <= len && count < 7) {
      int comma = route.indexOf(',', from);
      int end = comma < 0 || comma > len ? len : comma;
      if (route.regionMatches(from, name, 0, name.length()) && end - from == name.length()) {
        return true;
      }
      if (p.pid != null && route.regionMatches(from, p.pid, 0, p.pid.length()) && end - from == p.pid.length()) {
        return true;
      }
      if (comma < 0) {
        break;
      }
      from = comma + 1;
      count++;
    }
    return false;
  }

  /** Sends at once, outside any batch (handshakes, errors). */
  private void sendNow(Peer p, Message m) {
    if (m.id() != null && m.dam() == null) {
      dedup.track(m.id());
    }
    if (p.wire.send(MessageWriter.write(m))) {
      stats.framesOut.increment();
    }
  }

  /**
   * Sends through the peer's batch (docs/protocol.md §4.1): the first message after idle goes
   * alone, the rest of this loop turn is collected into a JSON array, flushed when the loop gets to
   * it or when it would grow past {@code pack} characters.
   */
  private void sendTo(Peer p, Message m) {
    if (!p.open || (m.id() != null && m.id().equals(p.last))) {
      return;
    }
    String text = MessageWriter.write(m);
    p.last = m.id();
    if (p.batch == null) {
      if (p.wire.send(text)) {
        stats.framesOut.increment();
      }
      p.batch = new StringBuilder(256).append('[');
      p.batchCount = 0;
      loop.execute(task(() -> flush(p)));
      return;
    }
    if (p.batchCount > 0 && p.batch.length() + text.length() + 2 > opt.pack) {
      flushBatch(p);
    }
    if (p.batchCount > 0) {
      p.batch.append(',');
    }
    p.batch.append(text);
    p.batchCount++;
  }

  private void flush(Peer p) {
    flushBatch(p);
    p.batch = null;
  }

  private void flushBatch(Peer p) {
    StringBuilder b = p.batch;
    if (b == null || p.batchCount == 0) {
      return;
    }
    b.append(']');
    if (p.open && p.wire.send(b.toString())) {
      stats.framesOut.increment();
    }
    b.setLength(1);
    p.batchCount = 0;
  }

  private void heartbeat() {
    for (Peer p : peers) {
      if (!p.outbound() && p.batch == null) {
        p.wire.send(HEARTBEAT);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Runnable last =
        task(() -> {
          if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
          }
          if (dedupTimer != null) {
            dedupTimer.cancel(false);
          }
          for (Peer p : new ArrayList<>(peers)) {
            p.wire.close();
          }
          stopped = true;
        });
    if (!ownsLoop) {
      if (Thread.currentThread() == loopThread) {
        last.run();
        return;
      }
      try {
        loop.submit(last).get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
        log.warn("mesh close did not finish on its loop: {}", e.toString());
      }
      return;
    }
    loop.execute(last);
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      loop.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
