package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.dam.Dedup;
import io.jgun.dam.ReconnectPolicy;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.json.Json;
import io.jgun.wire.Frame;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DAM mesh of a relay (docs/protocol.md §4, §5.1): the handshake, batching, dedup, GETs
 * answered from the graph and forwarded to other peers, acks routed only to the peer that asked,
 * accepted writes pushed only to subscribed peers, and outbound peers dialed and re-dialed forever.
 *
 * <p>This class holds the loop, the inbox and the dispatch: it takes the transports' events to the
 * loop, drops duplicates ({@link Dedup}) and hands each message to the part that handles its kind:
 * {@link Handshake} ({@code dam}), {@link Replies} ({@code @}), {@link Puts} ({@code put}) and
 * {@link ReadQueue} with {@link GetAnswers} and {@link GetForwarding} ({@code get}). Writes reach
 * subscribers through {@link PushFanout}; everything leaves through a peer's batch ({@link
 * Sender}), with {@code ><} from {@link Routes}; {@link OutboundPeers} keeps the relays we dialed
 * connected.
 *
 * <p>Threading: all state is confined to one thread, the mesh loop ({@code loop}). Transports call
 * {@link WireListener} methods on their I/O threads; frames are parsed there (in parallel), then
 * handed to the loop. Sends go through {@link Wire#send}, which never blocks. The loop may itself be
 * one of a transport's I/O threads (a relay's is): a frame that arrives on it while the loop has
 * nothing queued is handled at once, with no hand-off.
 *
 * <p>(Over 500 lines because it is the one door in from the transports: the life cycle, the inbox,
 * the per-connection admission (limits, frame cap), and the dispatch of each message kind, with
 * the constructor that wires the parts. Each part it dispatches to is a class of its own.)
 */
public final class Mesh implements WireListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Mesh.class);

  private final MeshOptions opt;
  private final ScheduledExecutorService loop;
  private final boolean ownsLoop;
  private final Ids ids;
  private final String pid;
  private final MessageReader reader;
  private final GraphEngine graph;
  /** The graph as the put guard reads it: fields, and whole nodes when a check needs one. */
  private final PutGuard.FieldReader graphReader;
  private final ClientGovernor governor;
  private final MeshStats stats = new MeshStats();
  private final Dedup<Peer> dedup;
  private final Subscriptions subs = new Subscriptions();

  /** Transport threads look peers up here; the loop alone adds and removes. */
  private final Map<Wire, Peer> byWire = new ConcurrentHashMap<>();
  /** Open peers in the order they came, for forwarding (loop only). */
  private final Set<Peer> peers = new LinkedHashSet<>();

  // The protocol's parts, each confined to the loop (see their classes).
  private final Sender sender;
  private final Routes routes;
  private final OutboundPeers outbound;
  private final Handshake handshake;
  private final PushFanout pushes;
  private final Puts puts;
  private final ReadQueue reads;
  private final Replies replies;

  /** Events from other threads, in arrival order. */
  private final Inbox inbox;
  private @Nullable ScheduledFuture<?> heartbeatTimer;
  private @Nullable ScheduledFuture<?> dedupTimer;
  /** Where the mesh is in its life; any thread reads it, {@link #start} and {@link #close} move it. */
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  /**
   * The loop's thread, known from the first task that runs: a frame received on it may be handled
   * without a hand-off, and loop-only code asserts it runs there.
   */
  private volatile @Nullable Thread loopThread;
  /**
   * Mesh code is on the loop's stack (loop only): a transport callback on the loop's thread (a
   * wire closed by mesh code, say) must not re-enter it. Not part of {@link State}: the mesh is
   * running whether or not one of its tasks is executing at the moment.
   */
  private boolean inMeshCode;

  /** The mesh's life cycle; it only moves forward. */
  enum State {
    /** Built; tasks run, but no heartbeat and no dialing until {@link #start}. */
    NEW,
    /** Started: heartbeat and dedup sweep scheduled, configured peers dialed. */
    RUNNING,
    /** {@link #close} was called: new connections are refused and nothing is re-dialed. */
    CLOSING,
    /** The last task of {@link #close} ran: tasks still queued do nothing. */
    STOPPED
  }

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
    this.graph = graph;
    this.graphReader =
        new PutGuard.FieldReader() {
          @Override
          public @Nullable Field field(String soul, String key) {
            return graph.field(soul, key);
          }

          @Override
          public @Nullable Node node(String soul) {
            Graph g = graph.read(soul, null, null);
            return g == null ? null : g.node(soul);
          }
        };
    this.ids = ids;
    this.inbox = new Inbox(drain -> loop.execute(task(drain)));
    this.pid = opt.pid != null ? opt.pid : ids.pid();
    this.reader = new MessageReader(opt.maxFrameChars, opt.maxDepth, opt.maxMessagesPerFrame);
    LongSupplier ticker = opt.ticker;
    this.dedup = Dedup.builder().age(opt.dedupAge).maxEntries(opt.dedupMax).clock(() -> ticker.getAsLong() / 1_000_000).build();
    LoopScheduler later =
        new LoopScheduler() {
          @Override
          public void schedule(Runnable task, long millis) {
            Mesh.this.schedule(task, millis);
          }

          @Override
          public boolean inLoop() {
            return Mesh.this.inLoop();
          }
        };
    Executor toLoop = this::onLoop;
    this.governor = new ClientGovernor(opt.clientLimits, stats, ticker, later, ids::messageId);
    this.sender = new Sender(opt.pack, dedup, stats, later);
    this.routes = new Routes(peers);
    ReconnectPolicy reconnect = ReconnectPolicy.exponential(opt.reconnectMin, opt.reconnectMax, opt.random);
    this.outbound = new OutboundPeers(dialer, this, reconnect, later, toLoop, this::closing);
    this.handshake = new Handshake(pid, ids, peers, outbound, sender, subs, dedup);
    this.pushes =
        new PushFanout(subs, stats, this::writePush, sender::frame, graph, later, opt.pushConflateBytes, opt.pack);
    this.puts = new Puts(graph, stats, ids, dedup, sender, routes, outbound, pushes, this::forbidden, toLoop, later, opt.clock, ticker);
    GetForwarding forwarding =
        new GetForwarding(
            opt.getWaveSize,
            opt.getWaveInterval.toMillis(),
            opt.getForwardMax,
            dedup,
            subs,
            peers,
            outbound,
            routes,
            sender,
            stats,
            later,
            this::closing);
    GetAnswers answers = new GetAnswers(graph, subs, opt.maxSubscriptionsPerPeer, opt.replyChunkFields, ids, sender, stats, forwarding, opt.readGuard);
    this.reads = new ReadQueue(opt.maxReadsInFlight, opt.maxParkedGetsPerPeer, answers, stats, toLoop, ticker);
    this.replies = new Replies(dedup, graph, subs, opt.maxSubscriptionsPerPeer, puts, sender, stats, this::forbidden);
  }

  /** Starts the heartbeat and dials the configured peers. */
  public void start() {
    loop.execute(
        task(() -> {
          if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            return; // started twice, or closed first
          }
          long hb = opt.heartbeat.toMillis();
          if (hb > 0) {
            heartbeatTimer = loop.scheduleWithFixedDelay(task(() -> sender.heartbeat(peers)), hb, hb, TimeUnit.MILLISECONDS);
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
    loop.execute(task(() -> outbound.add(url)));
  }

  /**
   * Pushes {@code stored}, fields another relay accepted into the store this mesh serves too (its
   * change feed), to the peers subscribed to them, as if accepted here: they are not merged or
   * stored again, and nobody acks them. Any thread; pushed from the loop in call order.
   */
  public void pushStored(Graph stored) {
    if (stored.isEmpty() || closing()) {
      return;
    }
    onLoop(() -> pushes.accepted(stored));
  }

  // ---------------------------------------------------------------------------------------------
  // Transport events (called on I/O threads)

  @Override
  public void opened(Wire wire) {
    if (closing()) {
      wire.close();
      return;
    }
    ClientGovernor.Throttle throttle = governor.opened(wire);
    if (throttle == null) {
      wire.close(); // its IP has too many connections open
      return;
    }
    Peer peer = new Peer(wire, ids);
    peer.throttle = throttle;
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
    boolean now = Thread.currentThread() == loopThread && !inMeshCode && state.get() != State.STOPPED && inbox.isEmpty();
    if (!now && peer.framePending() > opt.maxPendingFramesPerPeer) {
      log.warn("peer {} sends faster than it is served ({} frames waiting): disconnecting", peer, peer.pendingFrames());
      stats.peersDropped.increment();
      wire.close();
      return;
    }
    Frame frame = prepare(reader.read(text)); // parsed here, on the transport's thread, in parallel
    ClientGovernor.Throttle throttle = peer.throttle;
    if (throttle != null && !governor.admit(peer, throttle, Math.max(1, frame.messages().size()), text.length())) {
      wire.close();
      return;
    }
    if (now) {
      task(() -> Inbox.run(() -> hear(peer, frame))).run();
      return;
    }
    onLoop(
        () -> {
          peer.frameTaken();
          hear(peer, frame);
        });
  }

  @Override
  public void read(Wire wire, int bytes) {
    Peer peer = byWire.get(wire);
    ClientGovernor.Throttle throttle = peer == null ? null : peer.throttle;
    if (peer != null && throttle != null && !governor.read(peer, throttle, bytes)) {
      wire.close();
    }
  }

  @Override
  public void oversized(Wire wire, long bytes) {
    Peer peer = byWire.get(wire);
    log.warn("frame of {} bytes from {} is over the limit: dropped", bytes, peer != null ? peer : wire.remote());
    stats.framesRejected.increment();
    wire.send(MessageWriter.write(Message.builder().dam(DamProtocol.DAM_ERROR).err(DamProtocol.TOO_BIG).id(ids.messageId()).build()));
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    Peer peer = byWire.remove(wire);
    if (peer == null) {
      return;
    }
    stats.connectionsClosed.increment();
    ClientGovernor.Throttle throttle = peer.throttle;
    if (throttle != null) {
      governor.closed(throttle);
    }
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
      if (state.get() == State.STOPPED) {
        return;
      }
      if (loopThread == null) {
        loopThread = Thread.currentThread();
      }
      assert inLoop() : "mesh task on " + Thread.currentThread() + ", not on its loop " + loopThread;
      boolean outer = inMeshCode;
      inMeshCode = true;
      try {
        body.run();
      } finally {
        inMeshCode = outer;
      }
    };
  }

  /** Whether this is the loop's thread (or no task ran yet): what loop-only code asserts. */
  private boolean inLoop() {
    Thread t = loopThread;
    return t == null || t == Thread.currentThread();
  }

  /** Whether {@link #close} was called. */
  private boolean closing() {
    return state().compareTo(State.CLOSING) >= 0;
  }

  /** Where the mesh is in its life (for tests and metrics). */
  State state() {
    return Objects.requireNonNull(state.get(), "the state starts as NEW and is never set to null");
  }

  /** Runs an event from another thread (a transport's, the store's) on the loop, in arrival order. */
  private void onLoop(Runnable event) {
    inbox.execute(event);
  }

  // ---------------------------------------------------------------------------------------------
  // Mesh loop

  private void hi(Peer peer) {
    assert inLoop();
    if (!peer.wire.isOpen()) {
      return;
    }
    peers.add(peer);
    handshake.opened(peer);
  }

  private void bye(Peer peer) {
    assert inLoop();
    peer.open = false;
    reads.closed(peer);
    peers.remove(peer);
    subs.remove(peer);
    outbound.closed(peer);
  }

  private void hear(Peer peer, Frame frame) {
    if (!peer.open) {
      return;
    }
    if (frame.error() != null) {
      stats.framesRejected.increment();
      log.debug("bad frame from {}: {}", peer, frame.error().text());
      sender.now(peer, Message.builder().id(ids.messageId()).dam(DamProtocol.DAM_ERROR).err(frame.error().text()).build());
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
        log.error("message from {} failed: {}", peer, LogText.clip(m), e);
      }
    }
  }

  /** One message: dropped if seen (docs/protocol.md §4.5), else dispatched by its kind (§4.8). */
  private void hearOne(Peer peer, Message m) {
    assert inLoop();
    String id = m.id();
    if (id == null) {
      id = ids.messageId();
      m = m.toBuilder().id(id).build();
    }
    if (dedup.check(id) != null) {
      stats.duplicates.increment();
      return;
    }
    String hashKey = null;
    String ack = m.ack();
    Integer hash = m.hash();
    if (hash != null && (ack != null || m.get() != null)) {
      hashKey = Dedup.hashKey(ack != null ? ack : id, hash);
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
      replies.reply(peer, m);
    } else if (m.put() != null || m.invalidPut() != null) {
      puts.put(peer, m);
    } else if (m.get() != null) {
      entry.markGet().hash(m.hash());
      String refused = readRefusal(m);
      if (refused != null) {
        stats.readsForbidden.increment();
        log.info("refused GET {} from {}: {}", LogText.clip(m.id()), peer, refused);
        sender.send(peer, Message.builder().id(ids.messageId()).ack(m.id()).err(refused).build());
        return; // not read, subscribed to or forwarded
      }
      reads.get(peer, m);
    }
    // anything else: nothing to do (Gun.js would re-broadcast junk; a relay need not)
  }

  private void dam(Peer peer, Message m) {
    switch (Objects.requireNonNull(m.dam(), "called for DAM messages only")) {
      case DamProtocol.DAM_HANDSHAKE:
        handshake.received(peer, m);
        break;
      case DamProtocol.DAM_ERROR:
        log.info("peer {} reports an error: {}", peer, m.err() == null ? "" : LogText.clip(m.err().toJs()));
        break;
      default:
        // "hi" only nudges a browser's own mesh; "mob", "opt" and unknown types are ignored.
        break;
    }
  }

  /**
   * Lets the put guard do its costly stateless work (signature checks) here, off the loop: the
   * frame with what it found carried on its put messages.
   */
  private Frame prepare(Frame frame) {
    PutGuard guard = opt.putGuard;
    return guard == null ? frame : guard.prepare(frame);
  }

  /** Why the read guard refuses the GET {@code m} of one soul, or null (a lex on souls is filtered instead). */
  private @Nullable String readRefusal(Message m) {
    ReadGuard guard = opt.readGuard;
    Get get = m.get();
    String soul = get == null ? null : get.exactSoul();
    if (guard == null || get == null || soul == null) {
      return null;
    }
    try {
      return guard.refusal(soul, get.exactKey());
    } catch (RuntimeException e) {
      log.error("the read guard failed; refusing the read", e);
      return PutGuard.CHECK_FAILED;
    }
  }

  /** Why the put guard refuses {@code m}'s put, or null when there is no guard or it accepts. */
  private @Nullable String forbidden(Message m) {
    PutGuard guard = opt.putGuard;
    PutGuard.Reject r = guard == null ? null : guard.refusal(m, graphReader);
    return r == null ? null : r.reason();
  }

  /** One push message: a fresh id, tracked so that acks to it end here, with the ok budget and route. */
  private String writePush(Graph put) {
    String id = ids.messageId();
    dedup.track(id);
    Json ok = DamProtocol.okBudget(DamProtocol.OK_BUDGET_RELAYED, peers.size());
    return MessageWriter.write(routes.withRoute(Message.builder().id(id).put(put).ok(ok).build()));
  }

  /** Runs {@code task} on the loop as mesh code: at the end of this turn (0) or after {@code millis}. */
  private void schedule(Runnable task, long millis) {
    if (millis == 0) {
      loop.execute(task(task));
    } else {
      loop.schedule(task(task), millis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    State was = state.getAndUpdate(s -> s.compareTo(State.CLOSING) >= 0 ? s : State.CLOSING);
    if (was.compareTo(State.CLOSING) >= 0) {
      return;
    }
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
          state.set(State.STOPPED);
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
