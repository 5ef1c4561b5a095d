package io.jgun.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.mesh.Dialer;
import io.jgun.mesh.GraphEngine;
import io.jgun.mesh.PutGuard;
import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.jgun.sea.KeyPair;
import io.jgun.wire.Frame;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client peer: a local graph, the connections to relays, the questions in flight and the live
 * listeners. Every field is confined to the loop thread; the public side ({@link Gun}, {@link
 * Chain}) only submits tasks to it, and results leave through the callback executor.
 */
final class Engine implements WireListener {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final int MAX_SEEN = 10_000;
  private static final int MAX_LIVE = 100_000;
  /** A deep read loads at most this many nodes. */
  static final int MAX_DEEP_NODES = 10_000;
  /** A deep read follows links at most this deep. */
  static final int MAX_DEEP_DEPTH = 32;
  /** At most this many fields are read back from one peer on one connection to settle writes. */
  static final int MAX_PROBE_READS = 1_000;

  /** At most this many reads wait for a first connection; past it, a read answers from the local graph. */
  private static final int MAX_AWAITING_PEER = 10_000;
  /** A peer that keeps failing to connect is warned about again at most this often. */
  private static final Duration WARN_UNREACHABLE_EVERY = Duration.ofMinutes(1);

  /**
   * How fresh a read must be: ask the peers every time ({@code READ} also waits, up to the read
   * timeout, for a peer to connect when none is; {@code FRESH} asks only those connected now, so
   * that an offline write is never held up), only when not already subscribed, or never.
   */
  enum Mode { READ, FRESH, LIVE, LOCAL }

  /** Where a path led: a node, a field value, or nothing; with the souls walked through. */
  record Resolved(@Nullable String node, @Nullable Value leaf, boolean found, Set<String> souls) {}

  private final Settings settings;
  private final ScheduledExecutorService loop;
  private final SerialExecutor callbacks;
  private final GraphEngine graph;
  private final StateClock clock;
  private final Ids ids;
  private final @Nullable Dialer dialer;
  private final ObjectMapper mapper;
  private final String pid;
  private final MessageReader reader = new MessageReader();
  private final Map<Wire, String> wires = new LinkedHashMap<>();
  private final Map<String, GetAsk> gets = new HashMap<>();
  private final Map<String, Outgoing> putIds = new HashMap<>();
  private final LinkedHashSet<Outgoing> outbox = new LinkedHashSet<>();
  /** The reads in flight that check whether a peer already holds sent writes: GET id → probe. */
  private final Map<String, Probe> probes = new HashMap<>();
  /** The durable copy of {@link #outbox} (null: in memory only, or after it failed). */
  private @Nullable Journal journal;
  /** Writes recorded in the journal but not forced yet: sent once {@link #flushJournal} forced them. */
  private final List<Outgoing> awaitingSync = new ArrayList<>();
  private boolean flushScheduled;
  /**
   * For other threads: the writes in {@link #outbox} plus those a caller handed over that are not
   * there yet (each holding a {@link WriteToken}), so that a write counts as pending from the
   * moment put returns; one counter, so that a write moving into the outbox is never counted twice
   * or missed.
   */
  private final AtomicInteger pending = new AtomicInteger();
  /** The outbox size {@link #pending} includes; on the loop. */
  private int outboxCounted;
  /** On the loop: the token of each write on its way to the outbox, by the future its put completes. */
  private final Map<CompletableFuture<?>, WriteToken> enteringTokens = new IdentityHashMap<>();
  private final Map<String, Json.Obj> liveGets = new LinkedHashMap<>();
  private final List<Watch> watches = new ArrayList<>();
  private final LinkedHashMap<String, Boolean> seen =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_SEEN;
        }
      };
  private volatile int connected;
  private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
  /** Reads that wait for a first peer to connect (or their read timeout), in arrival order. */
  private final Set<AwaitingPeer> awaitingPeer = new LinkedHashSet<>();
  private final PeerReachability reachability = new PeerReachability(System::nanoTime, WARN_UNREACHABLE_EVERY);
  /** Whether a peer was ever connected: before that (and before every peer's first dial failed) reads wait for one even with local data. */
  private boolean everConnected;
  private boolean closed;
  private long drainAt = Long.MAX_VALUE;
  /** How many incoming fields the put guard refused (and dropped). */
  private volatile long refusedIncoming;
  /** The logged-in user whose writes into its own souls are signed (docs/protocol.md §10.6). */
  private volatile @Nullable KeyPair signer;

  Engine(
      Settings settings,
      ScheduledExecutorService loop,
      SerialExecutor callbacks,
      GraphEngine graph,
      @Nullable Dialer dialer) {
    this.settings = settings;
    this.loop = loop;
    this.callbacks = callbacks;
    this.graph = graph;
    this.clock = settings.clock();
    this.ids = settings.ids();
    this.dialer = dialer;
    this.mapper = settings.mapper();
    this.pid = ids.pid();
    this.journal = settings.journal();
  }

  // ---------------------------------------------------------------- lifecycle and connections

  void start() {
    if (journal != null) {
      loop.execute(this::replay);
    }
    for (String url : settings.peers()) {
      loop.execute(() -> dial(url));
    }
  }

  int connected() {
    return connected;
  }

  /** How many writes wait for a peer's acknowledgement, those still on their way to the outbox included. */
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
   * Runs the write {@code task} on the loop (as {@link #submit(Runnable, CompletableFuture)}),
   * counting it in {@link #queued()} from now until it is in the outbox or {@code f} completes.
   */
  void submitWrite(CompletableFuture<Ack> f, Runnable task) {
    if (settings.peers().isEmpty()) {
      submit(task, f);
      return;
    }
    pending.incrementAndGet();
    WriteToken token = new WriteToken();
    f.whenComplete((a, e) -> {
      token.release();
      submit(() -> enteringTokens.remove(f));
    });
    submit(() -> {
      enteringTokens.put(f, token);
      task.run();
    }, f);
  }

  /** Completes when at least one peer is connected (at once if one is). */
  void whenConnected(CompletableFuture<Void> f) {
    if (!wires.isEmpty()) {
      complete(f, null);
    } else {
      connectWaiters.add(f);
    }
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** Signs the writes into {@code pair}'s souls from now on (null: none); see {@link UserSpace#sign}. */
  void signer(@Nullable KeyPair pair) {
    this.signer = pair;
  }

  @Nullable KeyPair signer() {
    return signer;
  }

  /** A local field as the API shows it: signed values in user souls unwrapped. */
  @Nullable Field field(String soul, String key) {
    return UserSpace.view(soul, graph.field(soul, key));
  }

  /** The raw stored field (signed values as they are); on the loop. */
  @Nullable Field rawField(String soul, String key) {
    return graph.field(soul, key);
  }

  StateClock clock() {
    return clock;
  }

  Ids ids() {
    return ids;
  }

  /** Runs {@code task} on the loop, or fails {@code onClosed} when the instance is closed. */
  void submit(Runnable task, CompletableFuture<?> onClosed) {
    try {
      loop.execute(
          () -> {
            if (closed) {
              onClosed.completeExceptionally(new GunException.Closed());
            } else {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      onClosed.completeExceptionally(new GunException.Closed());
    }
  }

  /** Runs {@code task} on the loop unless the instance is closed. */
  void submit(Runnable task) {
    try {
      loop.execute(
          () -> {
            if (!closed) {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void dial(String url) {
    if (closed || dialer == null) {
      return;
    }
    dialer
        .dial(url, this)
        .whenComplete(
            (w, e) -> {
              if (e != null) {
                submit(() -> dialFailed(url, e));
                redial(url);
              }
            });
  }

  /** A dial failed: the first failure of an outage is a WARN (a wrong URL shows at once), then rate-limited. */
  private void dialFailed(String url, Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    String reason = Objects.requireNonNullElse(cause.getMessage(), cause.toString());
    boolean wasStarting = startingUp();
    if (reachability.failed(url, reason)) {
      int n = reachability.attempts(url);
      log.warn(
          "cannot reach peer {}{}: {}; retrying every {} ms",
          url,
          n == 1 ? "" : " (" + n + " attempts so far)",
          reason,
          settings.reconnectDelay().toMillis());
    } else {
      log.debug("cannot reach peer {}: {}", url, reason);
    }
    if (wasStarting && !startingUp()) {
      // every peer failed its first dial: reads the local graph can answer need not wait any longer
      for (AwaitingPeer r : new ArrayList<>(awaitingPeer)) {
        if (hasLocal(r.raw)) {
          awaitingPeer.remove(r);
          r.then.run();
        }
      }
    }
  }

  /** Whether the first connection is still being made: never connected, and some peer's first dial has not failed. */
  private boolean startingUp() {
    if (everConnected) {
      return false;
    }
    for (String url : settings.peers()) {
      if (reachability.failure(url) == null) {
        return true;
      }
    }
    return false;
  }

  /** Whether the local graph holds something that answers {@code raw} (a field, or a node's fields; never a lex). */
  private boolean hasLocal(Json.Obj raw) {
    if (!(raw.get("#") instanceof Json.Str soul)) {
      return false;
    }
    Json key = raw.get(".");
    if (key == null) {
      Graph g = graph.read(soul.value(), null, null);
      return g != null && !g.isEmpty();
    }
    return key instanceof Json.Str k && graph.field(soul.value(), k.value()) != null;
  }

  private void redial(String url) {
    try {
      loop.schedule(() -> dial(url), settings.reconnectDelay().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Closes the connections and fails what is still waiting; runs on the loop. */
  void shutdown() {
    closed = true;
    for (Wire w : new ArrayList<>(wires.keySet())) {
      w.close();
    }
    wires.clear();
    connected = 0;
    for (Outgoing o : outbox) {
      fail(o.future, new GunException.Closed());
    }
    outbox.clear();
    recount(0);
    putIds.clear();
    probes.clear();
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
    for (GetAsk a : gets.values()) {
      a.done.run();
    }
    List<AwaitingPeer> waiting = new ArrayList<>(awaitingPeer);
    awaitingPeer.clear();
    waiting.forEach(r -> r.then.run());
    for (CompletableFuture<Void> f : connectWaiters) {
      fail(f, new GunException.Closed());
    }
    connectWaiters.clear();
    gets.clear();
    watches.clear();
  }

  @Override
  public void opened(Wire wire) {
    submitOrClose(wire, () -> onOpened(wire));
  }

  @Override
  public void received(Wire wire, String text) {
    Frame frame;
    try {
      frame = reader.read(text); // parsed here, on the transport's thread
    } catch (RuntimeException e) {
      log.debug("could not read a frame: {}", e.toString());
      return;
    }
    prepare(frame);
    submit(() -> onFrame(wire, frame));
  }

  /** Lets the put guard verify signatures here, off the loop (its verdict comes later, on the loop). */
  private void prepare(Frame frame) {
    PutGuard guard = settings.guard();
    if (guard != null) {
      guard.prepare(frame);
    }
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    try {
      loop.execute(() -> onClosed(wire));
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void submitOrClose(Wire wire, Runnable task) {
    try {
      loop.execute(
          () -> {
            if (closed) {
              wire.close();
            } else {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      wire.close();
    }
  }

  private void onOpened(Wire wire) {
    String url = Objects.requireNonNullElse(wire.url(), wire.remote());
    wires.put(wire, url);
    connected = wires.size();
    everConnected = true;
    int failed = reachability.reached(url);
    if (failed > 0) {
      log.info("connected to {} after {} failed attempt(s)", url, failed);
    } else {
      log.debug("connected to {}", url);
    }
    for (CompletableFuture<Void> f : connectWaiters) {
      complete(f, null);
    }
    connectWaiters.clear();
    // resubscribe (docs/protocol.md §4.3), then send every write no peer has acknowledged yet
    for (Json.Obj raw : liveGets.values()) {
      send(wire, Message.builder().id(ids.messageId()).get(Get.of(raw)).build());
    }
    // ask for what it holds of the writes sent before, ahead of the re-sends (so the answers show
    // what it held before them): it acknowledges none of the re-sends it already holds
    probe(wire, outbox);
    for (Outgoing o : outbox) {
      if (o.synced) { // the others are sent as soon as their journal record is forced
        sendPut(o, wire);
      }
    }
    List<AwaitingPeer> ready = new ArrayList<>(awaitingPeer);
    awaitingPeer.clear();
    for (AwaitingPeer r : ready) {
      ensure(r.raw, Mode.READ, r.then);
    }
  }

  private void onClosed(Wire wire) {
    String url = wires.remove(wire);
    connected = wires.size();
    if (url == null) {
      return;
    }
    log.debug("disconnected from {}", url);
    probes.values().removeIf(p -> p.wire == wire);
    for (String id : new ArrayList<>(gets.keySet())) {
      GetAsk a = gets.get(id);
      if (a != null && a.remaining.remove(wire) && a.remaining.isEmpty()) {
        finishGet(id);
      }
    }
    if (!closed && wire.outbound() && wire.url() != null) {
      redial(wire.url());
    }
  }

  // ---------------------------------------------------------------- incoming messages

  private void onFrame(Wire wire, Frame frame) {
    for (Message m : frame.messages()) {
      try {
        onMessage(wire, m);
      } catch (RuntimeException e) {
        log.warn("could not handle a message from {}", wires.get(wire), e);
      }
    }
  }

  private void onMessage(Wire wire, Message m) {
    String id = m.id();
    if (id != null) {
      if (seen.containsKey(id)) {
        return;
      }
      seen.put(id, Boolean.TRUE);
    }
    if (m.dam() != null) {
      if (m.dam().equals("?") && m.ack() == null && id != null) {
        send(wire, Message.builder().id(ids.messageId()).dam("?").pid(pid).ack(id).build());
      }
      return;
    }
    if (m.invalidPut() != null) {
      log.debug("ignored an invalid put from {}: {}", wires.get(wire), m.invalidPut());
      return;
    }
    Graph incoming = m.put() == null ? null : screen(m.put(), wire);
    if (incoming != null) {
      mergeRemote(incoming);
    }
    String ack = m.ack();
    if (ack != null) {
      Outgoing o = putIds.get(ack);
      if (o != null) {
        onPutAck(o, wire, m);
      }
      Probe p = probes.get(ack);
      if (p != null && p.wire == wire) {
        onProbeReply(p, ack, incoming, m);
      }
      GetAsk a = gets.get(ack);
      if (a != null && (m.more() == null || !Lex.truthy(m.more()))) {
        a.remaining.remove(wire);
        if (a.remaining.isEmpty()) {
          finishGet(ack);
        }
      }
      return;
    }
    if (m.get() != null && id != null) {
      answer(wire, id, m.get());
    }
  }

  /** Answers a GET a relay passed on to us, when we hold the data (silence otherwise). */
  private void answer(Wire wire, String id, Get get) {
    String soul = get.exactSoul();
    if (soul == null) {
      return;
    }
    Graph g = graph.read(soul, get.key(), get.limit());
    if (g != null && !g.isEmpty()) {
      send(wire, Message.builder().id(ids.messageId()).ack(id).put(g).build());
    }
  }

  /**
   * The part of an incoming put (or reply) the put guard accepts: all of it when the whole is
   * accepted, else field by field, so that forged fields are dropped (not merged, never seen by
   * reads or listeners) while the valid ones beside them still arrive.
   */
  private Graph screen(Graph put, Wire from) {
    PutGuard guard = settings.guard();
    if (guard == null || verdict(guard, put) == null) {
      return put;
    }
    Map<String, Node> kept = new LinkedHashMap<>();
    int dropped = 0;
    @Nullable String first = null;
    for (Node n : put.nodes().values()) {
      Map<String, Field> fields = new LinkedHashMap<>();
      for (Map.Entry<String, Field> f : n.fields().entrySet()) {
        String why = verdict(guard, Graph.of(new Node(n.soul(), Map.of(f.getKey(), f.getValue()))));
        if (why == null) {
          fields.put(f.getKey(), f.getValue());
        } else {
          dropped++;
          if (first == null) {
            first = why + " (" + n.soul() + "." + f.getKey() + ")";
          }
        }
      }
      if (!fields.isEmpty()) {
        kept.put(n.soul(), new Node(n.soul(), fields));
      }
    }
    long total = refusedIncoming + dropped;
    refusedIncoming = total;
    String peer = Objects.requireNonNullElse(wires.get(from), from.remote());
    if (total == dropped || total / 1000 != (total - dropped) / 1000) {
      log.info("dropped {} incoming field(s) from {} that SEA's checks refuse, e.g. {}; {} so far", dropped, peer, first, total);
    } else {
      log.debug("dropped {} incoming field(s) from {} that SEA's checks refuse, e.g. {}", dropped, peer, first);
    }
    return new Graph(kept);
  }

  /** Why {@code guard} refuses {@code put}, or null when it accepts; on the loop. */
  private @Nullable String verdict(PutGuard guard, Graph put) {
    return guard.refusal(put, graph::field);
  }

  /** The refusal of a local write, naming its first refused field; null when the guard accepts it. */
  private GunException.@Nullable Forbidden refusal(Graph put) {
    PutGuard guard = settings.guard();
    if (guard == null) {
      return null;
    }
    String why = verdict(guard, put);
    if (why == null) {
      return null;
    }
    for (Node n : put.nodes().values()) {
      for (Map.Entry<String, Field> f : n.fields().entrySet()) {
        String fieldWhy = verdict(guard, Graph.of(new Node(n.soul(), Map.of(f.getKey(), f.getValue()))));
        if (fieldWhy != null) {
          return new GunException.Forbidden(fieldWhy, n.soul(), f.getKey());
        }
      }
    }
    Node n = put.nodes().values().iterator().next();
    return new GunException.Forbidden(why, n.soul(), n.fields().keySet().stream().findFirst().orElse(""));
  }

  /** How many incoming fields SEA's checks refused so far. */
  long refusedIncoming() {
    return refusedIncoming;
  }

  private void mergeRemote(Graph g) {
    GraphEngine.Merge merge = graph.merge(g);
    changed(merge.accepted());
    if (merge.deferred() > 0) {
      scheduleDrain();
    }
  }

  private void scheduleDrain() {
    long at = graph.nextDeferralMillis();
    if (at == Long.MAX_VALUE || at >= drainAt) {
      return;
    }
    drainAt = at;
    long delay = Math.max(0, at - System.currentTimeMillis());
    loop.schedule(
        () -> {
          drainAt = Long.MAX_VALUE;
          if (!closed) {
            changed(graph.drainDeferred());
            scheduleDrain();
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- writes

  /** A write not yet acknowledged by any peer. */
  private static final class Outgoing {
    final Graph graph;
    final String soul;
    final CompletableFuture<Ack> future;
    final List<String> ids = new ArrayList<>();
    /** Its id in the journal; null without one. */
    final @Nullable String journalId;
    /** Completes once its journal record is forced (at once without a journal). */
    final CompletableFuture<Void> journaled = new CompletableFuture<>();
    /** Whether it may be sent: its journal record is on disk (or there is no journal). */
    boolean synced;
    /** Whether it was (or, replayed from the journal, may have been) sent to a peer before. */
    boolean sent;

    Outgoing(Graph graph, String soul, CompletableFuture<Ack> future, @Nullable String journalId) {
      this.graph = graph;
      this.soul = soul;
      this.future = future;
      this.journalId = journalId;
    }
  }

  /** Puts the writes an earlier run left unacknowledged back into the outbox; first task on the loop. */
  private void replay() {
    Journal j = journal;
    if (j == null || closed) {
      return;
    }
    for (Journal.Pending p : j.pending()) {
      if (p.graph().isEmpty()) {
        continue;
      }
      // back into the local graph too (a no-op for a durable store that has them; a memory graph lost them)
      GraphEngine.Merge merge = graph.merge(p.graph());
      if (merge.deferred() > 0) {
        scheduleDrain();
      }
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

  /** Writes and forces the journal's buffered records on a later loop task, so that a burst shares one force. */
  private void scheduleFlush() {
    if (flushScheduled || journal == null) {
      return;
    }
    flushScheduled = true;
    try {
      loop.execute(this::flushJournal);
    } catch (RejectedExecutionException e) {
      flushScheduled = false; // closing: shutdown() flushes
    }
  }

  private void flushJournal() {
    flushScheduled = false;
    Journal j = journal;
    if (j == null || closed) {
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
      if (outbox.contains(o)) {
        for (Wire w : wires.keySet()) {
          sendPut(o, w);
        }
      }
    }
    awaitingSync.clear();
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
      if (outbox.contains(o)) {
        for (Wire w : wires.keySet()) {
          sendPut(o, w);
        }
      }
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

  /** Writes {@code data} at {@code path} (docs/protocol.md §1.3); on the loop. */
  void put(Path path, @Nullable Object data, CompletableFuture<Ack> future) {
    put(path, data, PutOptions.none(), future);
  }

  /** Writes {@code data} at {@code path} with {@code options} (a certificate); on the loop. */
  void put(Path path, @Nullable Object data, PutOptions options, CompletableFuture<Ack> future) {
    String cert = options.certOrNull();
    if (path.many()) {
      fail(future, new GunException.InvalidData("cannot put on a lex chain or a chain over souls; get an item first (or map() the node)"));
      return;
    }
    Splitter split = new Splitter(mapper, this::field, clock.next());
    List<String> keys = path.keys();
    if (keys.isEmpty()) {
      Runnable root = () -> {
        GunException e = putRoot(split, path.soul(), data, cert, future);
        if (e != null) {
          fail(future, e);
        }
      };
      if (data instanceof Map<?, ?> m && m.values().stream().anyMatch(v -> split.isObject(v) && Splitter.explicitSoul(v) == null)) {
        // a nested object reuses the soul already linked at its field (docs/protocol.md §1.3): ask
        // first
        ensure(nodeGet(path.soul()), Mode.FRESH, root);
      } else {
        root.run();
      }
      return;
    }
    walkForPut(
        path.soul(),
        keys,
        0,
        split,
        parent -> {
          String key = keys.get(keys.size() - 1);
          String where = String.join(".", path.soul(), String.join(".", keys));
          Runnable last =
              () -> {
                try {
                  String soul = parent;
                  if (split.isObject(data)) {
                    soul = split.childSoul(parent, key, data);
                    split.field(parent, key, Value.link(soul), where);
                    split.object(soul, Objects.requireNonNull(data), where);
                  } else {
                    split.field(parent, key, data, where);
                  }
                  GunException refused = write(split.graph(), soul, cert, future);
                  if (refused != null) {
                    fail(future, refused);
                  }
                } catch (GunException e) {
                  fail(future, e);
                }
              };
          if (split.isObject(data) && Splitter.explicitSoul(data) == null) {
            ensure(fieldGet(parent, key), Mode.FRESH, last);
          } else {
            last.run();
          }
        });
  }

  /** Writes an object at a soul; returns the error (nothing written) when the data is invalid. */
  private @Nullable GunException putRoot(Splitter split, String soul, @Nullable Object data, @Nullable String cert, CompletableFuture<Ack> future) {
    if (data == null || !split.isObject(data)) {
      return new GunException.InvalidData("Data at root of graph must be a node (an object).");
    }
    try {
      split.object(soul, data, soul);
    } catch (GunException e) {
      return e;
    }
    return write(split.graph(), soul, cert, future);
  }

  /** Walks all keys but the last, creating path souls where no link exists yet; ends at the parent soul. */
  private void walkForPut(String soul, List<String> keys, int i, Splitter split, Consumer<String> parent) {
    if (i >= keys.size() - 1) {
      parent.accept(soul);
      return;
    }
    String key = keys.get(i);
    ensure(
        fieldGet(soul, key),
        Mode.FRESH,
        () -> {
          Field f = field(soul, key);
          String next;
          if (f != null && f.value() instanceof Value.Link l) {
            next = l.soul();
          } else {
            next = soul + "/" + key;
            split.field(soul, key, Value.link(next), soul + "." + key);
          }
          walkForPut(next, keys, i + 1, split, parent);
        });
  }

  /** {@code set(item)}: writes the item under a fresh soul, then links it from this chain's node (docs/protocol.md §1.4). */
  void set(Path path, Object item, PutOptions options, CompletableFuture<Ack> future) {
    String cert = options.certOrNull();
    if (path.many()) {
      fail(future, new GunException.InvalidData("cannot set on a lex or map() chain"));
      return;
    }
    Splitter probe = new Splitter(mapper, this::field, 0);
    if (item instanceof Chain c) {
      String soul = c.plainSoul();
      if (soul == null) {
        fail(future, new GunException.InvalidData("set(chain) needs a chain made by gun.get(soul)"));
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
    KeyPair me = signer;
    String soul = explicit != null ? explicit : ids.soul(clock.next());
    if (explicit == null && me != null && me.pub().equals(UserSpace.pubOf(path.soul()))) {
      soul = "~" + me.pub() + "/" + soul; // a user-scoped item, writable by its owner (docs/protocol.md §10.4)
    }
    GunException e = putRoot(new Splitter(mapper, this::field, clock.next()), soul, item, cert, new CompletableFuture<>());
    if (e != null) {
      fail(future, e);
      return;
    }
    linkInto(path, soul, options, future);
  }

  private void linkInto(Path path, String soul, PutOptions options, CompletableFuture<Ack> future) {
    CompletableFuture<Ack> link = new CompletableFuture<>();
    WriteToken token = enteringTokens.remove(future);
    if (token != null) { // the set is counted as pending until its link is in the outbox
      enteringTokens.put(link, token);
      link.whenComplete((a, e) -> submit(() -> enteringTokens.remove(link)));
    }
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

  /** Writes a graph as it is (already signed where needed); on the loop. */
  void writeGraph(Graph g, String soul, CompletableFuture<Ack> future) {
    GunException refused = writeAs(g, soul, future);
    if (refused != null) {
      fail(future, refused);
    }
  }

  /**
   * Signs {@code g} for the logged-in user (with {@code cert}: also the fields in other users'
   * souls) and writes it; returns why nothing was written, and then leaves {@code future} alone.
   */
  private @Nullable GunException write(Graph g, String soul, @Nullable String cert, CompletableFuture<Ack> future) {
    KeyPair me = signer;
    Graph out = g;
    if (me != null) {
      try {
        out = UserSpace.sign(g, me, cert);
      } catch (RuntimeException e) {
        return new GunException.InvalidData("cannot sign the write: " + e.getMessage(), e);
      }
    }
    return writeAs(out, soul, future);
  }

  /**
   * Runs SEA's checks on {@code g} (docs/protocol.md §10.6, as Gun.js does on local writes too),
   * then stores and sends it; returns the refusal (nothing stored or sent), leaving {@code future}
   * to the caller in that case.
   */
  private GunException.@Nullable Forbidden writeAs(Graph g, String soul, CompletableFuture<Ack> future) {
    GunException.Forbidden refused = refusal(g);
    if (refused != null) {
      log.debug("refused a local write to {}.{}: {}", refused.soul(), refused.key(), refused.reason());
      return refused;
    }
    GraphEngine.Merge merge = graph.merge(g);
    changed(merge.accepted());
    if (merge.deferred() > 0) {
      scheduleDrain();
    }
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
                  fail(future, e);
                } else {
                  complete(future, new Ack(soul, null, Json.TRUE));
                }
              });
    }
    if (settings.peers().isEmpty()) {
      return null;
    }
    if (outbox.size() >= settings.maxQueuedWrites()) {
      Iterator<Outgoing> it = outbox.iterator();
      Outgoing oldest = it.next();
      it.remove();
      recount(0);
      forget(oldest);
      journalDone(oldest);
      fail(oldest.future, new GunException.Timeout("write dropped: more than " + settings.maxQueuedWrites() + " writes wait for a peer"));
    }
    outbox.add(o);
    WriteToken token = enteringTokens.remove(future);
    recount(token != null && token.transfer() ? 1 : 0);
    if (j != null) {
      j.write(Objects.requireNonNull(o.journalId), g);
      awaitingSync.add(o);
      scheduleFlush();
    } else {
      for (Wire w : wires.keySet()) {
        sendPut(o, w);
      }
    }
    loop.schedule(
        () -> {
          if (closed) {
            return;
          }
          if (!local && !future.isDone()) {
            fail(future, new GunException.Timeout("No ACK yet. (no peer acknowledged within " + settings.ackTimeout().toMillis() + " ms" + (wires.isEmpty() ? "; no peer connected: " + peerStatus(dialFailures()) : "") + "; the write stays queued)"));
          }
          // a peer that already held it (or something newer) never acknowledges it: read it back
          for (Wire w : wires.keySet()) {
            probe(w, List.of(o));
          }
        },
        settings.ackTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    return null;
  }

  private void sendPut(Outgoing o, Wire w) {
    String id = ids.messageId();
    o.sent = true;
    o.ids.add(id);
    putIds.put(id, o);
    Map<String, Json> ok = new LinkedHashMap<>();
    ok.put("@", Json.of(9));
    ok.put("/", Json.of(Math.max(1, wires.size())));
    send(w, Message.builder().id(id).put(o.graph).ok(new Json.Obj(ok)).build());
  }

  private void onPutAck(Outgoing o, Wire wire, Message m) {
    if (m.err() == null && m.ok() == null) {
      return; // a reply with data only
    }
    settled(o);
    String url = Objects.requireNonNullElse(wires.get(wire), wire.remote());
    if (m.err() != null) {
      Json err = m.err();
      fail(o.future, new GunException.PeerError(url, err instanceof Json.Str s ? s.value() : err.toJs()));
    } else {
      complete(o.future, new Ack(o.soul, url, Objects.requireNonNull(m.ok())));
    }
  }

  /** {@code o} needs no sending any more: out of the outbox and, with a journal, ended there. */
  private void settled(Outgoing o) {
    outbox.remove(o);
    recount(0);
    forget(o);
    journalDone(o);
  }

  /**
   * Reads back, from {@code wire}'s peer, the fields of those of {@code writes} that are pending and
   * were sent before (one field GET per distinct field, at most {@link #MAX_PROBE_READS}), so that
   * those the peer already holds settle although it will not acknowledge their re-sends (see {@link
   * Ack}).
   */
  private void probe(Wire wire, Iterable<Outgoing> writes) {
    Map<String, Set<String>> asked = new LinkedHashMap<>();
    List<Outgoing> candidates = new ArrayList<>();
    int reads = 0;
    for (Outgoing o : writes) {
      if (!o.synced || !o.sent || !outbox.contains(o)) {
        continue;
      }
      int extra = 0;
      for (Node n : o.graph.nodes().values()) {
        Set<String> keys = asked.get(n.soul());
        for (String k : n.fields().keySet()) {
          if (keys == null || !keys.contains(k)) {
            extra++;
          }
        }
      }
      if (reads + extra > MAX_PROBE_READS) {
        continue; // re-sent only; a later connection may read it back
      }
      reads += extra;
      candidates.add(o);
      for (Node n : o.graph.nodes().values()) {
        asked.computeIfAbsent(n.soul(), s -> new HashSet<>()).addAll(n.fields().keySet());
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    Probe p = new Probe(wire, candidates, asked);
    asked.forEach(
        (soul, keys) -> {
          for (String key : keys) {
            String id = ids.messageId();
            probes.put(id, p);
            p.ids.add(id);
            send(wire, Message.builder().id(id).get(Get.of(fieldGet(soul, key))).build());
          }
        });
    log.debug("reading back {} field(s) of {} sent write(s) from {}", reads, candidates.size(), wires.get(wire));
    loop.schedule(() -> endProbe(p), settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void endProbe(Probe p) {
    for (String id : p.ids) {
      probes.remove(id);
    }
    p.ids.clear();
    p.candidates.clear();
  }

  /** An answer to a read-back: keeps the fields asked for, settles the writes the peer holds. */
  private void onProbeReply(Probe p, String id, @Nullable Graph answer, Message m) {
    if (answer != null) {
      for (Node n : answer.nodes().values()) {
        Set<String> keys = p.asked.get(n.soul());
        if (keys == null) {
          continue;
        }
        n.fields().forEach(
            (k, f) -> {
              if (keys.contains(k)) {
                p.held.computeIfAbsent(n.soul(), s -> new HashMap<>()).put(k, f);
              }
            });
      }
    }
    if (m.more() == null || !Lex.truthy(m.more())) {
      probes.remove(id);
      p.ids.remove(id);
    }
    if (answer != null && !answer.isEmpty()) {
      String url = Objects.requireNonNullElse(wires.get(p.wire), p.wire.remote());
      for (Iterator<Outgoing> it = p.candidates.iterator(); it.hasNext(); ) {
        Outgoing o = it.next();
        if (!outbox.contains(o)) {
          it.remove();
        } else if (holds(p.held, o.graph)) {
          it.remove();
          settled(o);
          log.debug("{} already holds a write to {} (its acknowledgement was lost): settled", url, o.soul);
          complete(o.future, new Ack(o.soul, url, Json.TRUE, true));
        }
      }
    }
    if (p.ids.isEmpty()) {
      endProbe(p);
    }
  }

  /**
   * Whether a peer that holds {@code held} (soul → key → field) needs nothing of {@code written}:
   * for every written field it holds one with a newer state, or the same state and a value HAM
   * would not replace by the written one (the same value, or a greater one).
   */
  static boolean holds(Map<String, Map<String, Field>> held, Graph written) {
    for (Node n : written.nodes().values()) {
      Map<String, Field> have = held.get(n.soul());
      for (Map.Entry<String, Field> e : n.fields().entrySet()) {
        Field theirs = have == null ? null : have.get(e.getKey());
        if (theirs == null || !covers(theirs, e.getValue())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether a peer holding {@code held} would drop {@code written} (HAM, docs/protocol.md §2.2). */
  static boolean covers(Field held, Field written) {
    if (held.state() != written.state()) {
      return held.state() > written.state();
    }
    return Ham.decide(written.state(), written.value(), held.state(), held.value(), Double.POSITIVE_INFINITY) != Ham.Decision.ACCEPT;
  }

  /** The read-backs sent to one peer on one connection, and what it answered so far. */
  private static final class Probe {
    final Wire wire;
    /** The writes that may settle: read back, not settled yet. */
    final List<Outgoing> candidates;
    /** The fields asked for: soul → keys. */
    final Map<String, Set<String>> asked;
    /** What the peer holds of them: soul → key → field. */
    final Map<String, Map<String, Field>> held = new HashMap<>();
    /** The GET ids not fully answered yet. */
    final Set<String> ids = new HashSet<>();

    Probe(Wire wire, List<Outgoing> candidates, Map<String, Set<String>> asked) {
      this.wire = wire;
      this.candidates = candidates;
      this.asked = asked;
    }
  }

  private void forget(Outgoing o) {
    for (String id : o.ids) {
      putIds.remove(id);
    }
    o.ids.clear();
  }

  // ---------------------------------------------------------------- reads

  /** A read waiting for a peer to connect before it asks. */
  private static final class AwaitingPeer {
    final Json.Obj raw;
    final Runnable then;

    AwaitingPeer(Json.Obj raw, Runnable then) {
      this.raw = raw;
      this.then = then;
    }
  }

  /** A GET in flight: the peers that have not answered yet, and what to do when all have. */
  private static final class GetAsk {
    final Set<Wire> remaining;
    final Runnable done;

    GetAsk(Set<Wire> remaining, Runnable done) {
      this.remaining = remaining;
      this.done = done;
    }
  }

  static Json.Obj nodeGet(String soul) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("#", Json.of(soul));
    return new Json.Obj(m);
  }

  static Json.Obj fieldGet(String soul, String key) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("#", Json.of(soul));
    m.put(".", Json.of(key));
    return new Json.Obj(m);
  }

  static Json.Obj lexGet(String soul, Lex lex) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("#", Json.of(soul));
    m.put(".", lex.withLimit(null).withReverse(false).toJson());
    if (lex.limit() != null) {
      m.put("%", Json.of(lex.limit()));
    }
    if (lex.reverse()) {
      m.put("-", Json.of(1));
    }
    return new Json.Obj(m);
  }

  /**
   * Makes sure the answer to {@code raw} is in the local graph as far as {@code mode} asks, then
   * runs {@code then} on the loop: at once when offline or already subscribed, else when every
   * connected peer has answered or the read timeout passed. A {@link Mode#READ} issued while peers
   * are configured but none is connected first waits up to the read timeout for one, as Gun.js's
   * reads wait for their peers: always while the first connection is being made, and during an
   * outage only when the local graph cannot answer (offline first: local data is answered at once).
   */
  void ensure(Json.Obj raw, Mode mode, Runnable then) {
    if (mode == Mode.LOCAL) {
      then.run();
      return;
    }
    String key = raw.toJs();
    if (mode == Mode.LIVE && liveGets.containsKey(key)) {
      then.run();
      return;
    }
    if (mode == Mode.LIVE && liveGets.size() < MAX_LIVE) {
      liveGets.put(key, raw); // asked again after every reconnect (docs/protocol.md §4.3)
    }
    if (wires.isEmpty()) {
      boolean wait = mode == Mode.READ && dialer != null && !settings.peers().isEmpty() && (startingUp() || !hasLocal(raw));
      if (wait && awaitingPeer.size() < MAX_AWAITING_PEER) {
        AwaitingPeer r = new AwaitingPeer(raw, then);
        awaitingPeer.add(r);
        loop.schedule(
            () -> {
              if (awaitingPeer.remove(r)) {
                then.run();
              }
            },
            settings.readTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
      } else {
        then.run();
      }
      return;
    }
    String id = ids.messageId();
    gets.put(id, new GetAsk(new HashSet<>(wires.keySet()), then));
    Message m = Message.builder().id(id).get(Get.of(raw)).build();
    for (Wire w : wires.keySet()) {
      send(w, m);
    }
    loop.schedule(() -> finishGet(id), settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finishGet(String id) {
    GetAsk a = gets.remove(id);
    if (a != null) {
      a.done.run();
    }
  }

  /** Follows {@code path} (not its lex/map part) through links; on the loop. */
  void resolve(Path path, Mode mode, Consumer<Resolved> then) {
    walk(path.soul(), path.keys(), 0, mode, !path.many(), new LinkedHashSet<>(), then);
  }

  private void walk(String soul, List<String> keys, int i, Mode mode, boolean fetchNode, Set<String> souls, Consumer<Resolved> then) {
    souls.add(soul);
    if (i == keys.size()) {
      Runnable done =
          () -> {
            Graph g = graph.read(soul, null, null);
            boolean found = g != null && !g.isEmpty();
            then.accept(new Resolved(soul, null, found || !fetchNode, souls));
          };
      if (fetchNode) {
        ensure(nodeGet(soul), mode, done);
      } else {
        done.run();
      }
      return;
    }
    String key = keys.get(i);
    ensure(
        fieldGet(soul, key),
        mode,
        () -> {
          Field f = field(soul, key);
          if (f == null) {
            then.accept(new Resolved(null, null, false, souls));
          } else if (f.value() instanceof Value.Link l) {
            walk(l.soul(), keys, i + 1, mode, fetchNode, souls, then);
          } else if (i + 1 == keys.size()) {
            then.accept(new Resolved(null, f.value(), true, souls));
          } else {
            then.accept(new Resolved(null, null, false, souls));
          }
        });
  }

  static Json.Obj soulsGet(Lex lex) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("#", lex.withLimit(null).withReverse(false).toJson());
    if (lex.limit() != null) {
      m.put("%", Json.of(lex.limit()));
    }
    if (lex.reverse()) {
      m.put("-", Json.of(1));
    }
    return new Json.Obj(m);
  }

  /** The nodes whose souls match, as soul → fields, or null when none. */
  private @Nullable Map<String, @Nullable Object> soulsData(Lex lex) {
    Graph g = graph.readSouls(lex, lex.limit());
    if (g == null || g.isEmpty()) {
      return null;
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (String soul : g.nodes().keySet()) {
      out.put(soul, nodeData(soul, null));
    }
    return out;
  }

  /** The fields of a node as plain data (links as {@code {"#": soul}} maps), or null. */
  @Nullable Map<String, @Nullable Object> nodeData(String soul, @Nullable Lex lex) {
    Graph g = graph.read(soul, lex, lex == null ? null : lex.limit());
    Node n = g == null ? null : g.node(soul);
    if (n == null) {
      return null;
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    n.fields().forEach((k, f) -> out.put(k, Data.of(UserSpace.view(soul, f.value()))));
    return out;
  }

  /**
   * Reads {@code path} once (§6 once): completes {@code result} with the data, or null when not
   * found; fails it with {@link GunException.NotConnected} when nothing was found but no peer could
   * be asked, since "not found" would then be a guess.
   */
  void once(Path path, boolean deep, CompletableFuture<@Nullable Object> result) {
    once(
        path,
        deep,
        d -> {
          if (d == null && wires.isEmpty() && dialer != null && !settings.peers().isEmpty()) {
            fail(result, notConnected());
          } else {
            complete(result, d);
          }
        });
  }

  /** Why no peer could be asked: which peers are configured and why each failed, when each did. */
  private GunException.NotConnected notConnected() {
    Map<String, String> reasons = dialFailures();
    String tail = " within " + settings.readTimeout().toMillis() + " ms (" + peerStatus(reasons) + ") and nothing in the local graph";
    if (reasons.size() == settings.peers().size()) {
      return new GunException.Unreachable("no peer reachable" + tail, reasons);
    }
    return new GunException.NotConnected("no peer connected" + tail, settings.peers());
  }

  /** Peer URL → why its latest dial failed, for the peers whose latest dial failed. */
  private Map<String, String> dialFailures() {
    Map<String, String> reasons = new LinkedHashMap<>();
    for (String url : settings.peers()) {
      String why = reachability.failure(url);
      if (why != null) {
        reasons.put(url, why);
      }
    }
    return reasons;
  }

  /** Each configured peer with why its latest dial failed, or that it is still being dialed. */
  private String peerStatus(Map<String, String> reasons) {
    List<String> parts = new ArrayList<>();
    for (String url : settings.peers()) {
      String why = reasons.get(url);
      parts.add(url + ": " + (why != null ? why : "connecting"));
    }
    return String.join("; ", parts);
  }

  /** Reads {@code path} once: {@code then} gets the data, or null when not found (§6 once). */
  private void once(Path path, boolean deep, Consumer<@Nullable Object> then) {
    if (path.souls() != null) {
      Lex lex = path.souls();
      ensure(soulsGet(lex), Mode.READ, () -> then.accept(soulsData(lex)));
      return;
    }
    resolve(
        path,
        Mode.READ,
        r -> {
          if (!r.found()) {
            then.accept(null);
          } else if (r.leaf() != null) {
            then.accept(r.leaf() instanceof Value.Null ? null : Data.of(r.leaf()));
          } else if (path.many()) {
            items(Objects.requireNonNull(r.node()), path.lex(), path.map() || deep, deep, Mode.READ, new HashSet<>(), then::accept);
          } else if (deep) {
            deep(Objects.requireNonNull(r.node()), Mode.READ, new HashSet<>(), then::accept);
          } else {
            then.accept(nodeData(Objects.requireNonNull(r.node()), null));
          }
        });
  }

  /**
   * The items of node {@code soul} (the keys matching {@code lex}), each link followed one level
   * when {@code follow} (or fully when {@code deep}); {@code then} gets null when there are none.
   */
  private void items(String soul, @Nullable Lex lex, boolean follow, boolean deep, Mode mode, Set<String> souls, Consumer<@Nullable Map<String, @Nullable Object>> then) {
    Runnable read =
        () -> {
          Graph g = graph.read(soul, lex, lex == null ? null : lex.limit());
          Node n = g == null ? null : g.node(soul);
          if (n == null || n.fields().isEmpty()) {
            then.accept(null);
            return;
          }
          Map<String, @Nullable Object> out = new LinkedHashMap<>();
          List<String> links = new ArrayList<>();
          n.fields().forEach(
              (k, raw) -> {
                Value v = UserSpace.view(soul, raw.value());
                out.put(k, Data.of(v));
                if (follow && v instanceof Value.Link) {
                  links.add(k);
                }
              });
          if (links.isEmpty()) {
            then.accept(out);
            return;
          }
          int[] left = {links.size()};
          for (String k : links) {
            String target = ((Value.Link) UserSpace.view(soul, Objects.requireNonNull(n.field(k)).value())).soul();
            souls.add(target);
            Consumer<@Nullable Object> put =
                d -> {
                  out.put(k, d);
                  if (--left[0] == 0) {
                    then.accept(out);
                  }
                };
            if (deep) {
              deep(target, mode, souls, put);
            } else {
              ensure(nodeGet(target), mode, () -> put.accept(nodeData(target, null)));
            }
          }
        };
    ensure(lex == null ? nodeGet(soul) : lexGet(soul, lex), mode, read);
  }

  /**
   * Loads {@code soul} and everything it links to (bounded), then gives it as nested maps; adds
   * the souls loaded to {@code souls}.
   */
  private void deep(String soul, Mode mode, Set<String> souls, Consumer<@Nullable Object> then) {
    Set<String> loaded = new HashSet<>();
    load(soul, mode, loaded, 0, () -> {
      souls.addAll(loaded);
      then.accept(nested(soul, new HashSet<>(), 0));
    });
  }

  private void load(String soul, Mode mode, Set<String> loaded, int depth, Runnable done) {
    if (!loaded.add(soul) || loaded.size() > MAX_DEEP_NODES || depth > MAX_DEEP_DEPTH) {
      done.run();
      return;
    }
    ensure(
        nodeGet(soul),
        mode,
        () -> {
          Graph g = graph.read(soul, null, null);
          Node n = g == null ? null : g.node(soul);
          List<String> targets = new ArrayList<>();
          if (n != null) {
            for (Field f : n.fields().values()) {
              if (UserSpace.view(soul, f.value()) instanceof Value.Link l && !loaded.contains(l.soul())) {
                targets.add(l.soul());
              }
            }
          }
          if (targets.isEmpty()) {
            done.run();
            return;
          }
          int[] left = {targets.size()};
          for (String t : targets) {
            load(t, mode, loaded, depth + 1, () -> {
              if (--left[0] == 0) {
                done.run();
              }
            });
          }
        });
  }

  private @Nullable Map<String, @Nullable Object> nested(String soul, Set<String> path, int depth) {
    Graph g = graph.read(soul, null, null);
    Node n = g == null ? null : g.node(soul);
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

  // ---------------------------------------------------------------- live listeners

  /** One {@link Chain#on} listener: what it watches, what it delivered last. */
  final class Watch implements Subscription {
    final Path path;
    final Listener listener;
    /** Whether linked nodes are read to the depth {@link #once(Path, boolean, CompletableFuture)} reads them (typed listeners). */
    final boolean deep;
    Set<String> souls = Set.of();
    @Nullable Object last;
    boolean delivered;
    final Map<String, @Nullable Object> lastItems = new HashMap<>();
    boolean busy;
    boolean again;
    volatile boolean off;

    Watch(Path path, Listener listener, boolean deep) {
      this.path = path;
      this.listener = listener;
      this.deep = deep;
    }

    @Override
    public void off() {
      off = true;
      submit(() -> watches.remove(this));
    }
  }

  /**
   * Registers a live listener; {@code deep}: linked nodes are followed (bounded as deep reads are)
   * and delivered nested, and a change in any of them delivers again.
   */
  Watch watch(Path path, Listener listener, boolean deep) {
    Watch w = new Watch(path, listener, deep);
    submit(
        () -> {
          if (!w.off) {
            watches.add(w);
            // local data first (offline-first), then what the peers answer
            w.busy = true;
            evaluate(w, Mode.LOCAL, () -> {
              w.busy = false;
              refresh(w);
            });
          }
        });
    return w;
  }

  private void changed(Graph accepted) {
    if (accepted.isEmpty() || watches.isEmpty()) {
      return;
    }
    Set<String> souls = accepted.nodes().keySet();
    for (Watch w : new ArrayList<>(watches)) {
      Lex soulLex = w.path.souls();
      if (soulLex != null) {
        if (souls.stream().anyMatch(soulLex::matches)) {
          refresh(w);
        }
        continue;
      }
      for (String s : w.souls) {
        if (souls.contains(s)) {
          refresh(w);
          break;
        }
      }
    }
  }

  private void refresh(Watch w) {
    if (w.off) {
      return;
    }
    if (w.busy) {
      w.again = true;
      return;
    }
    w.busy = true;
    evaluate(w, Mode.LIVE, () -> settle(w));
  }

  /** Reads what {@code w} watches as far as {@code mode} allows, delivers what changed, then runs {@code done}. */
  private void evaluate(Watch w, Mode mode, Runnable done) {
    if (w.path.souls() != null) {
      Lex lex = w.path.souls();
      ensure(soulsGet(lex), mode, () -> {
        Map<String, @Nullable Object> nodes = soulsData(lex);
        if (nodes != null) {
          nodes.forEach((soul, d) -> {
            if (!w.lastItems.containsKey(soul) || !Objects.equals(w.lastItems.get(soul), d)) {
              w.lastItems.put(soul, d);
              deliver(w, d, soul);
            }
          });
        }
        done.run();
      });
      return;
    }
    resolve(
        w.path,
        mode,
        r -> {
          Set<String> souls = new LinkedHashSet<>(r.souls());
          if (w.path.many() && r.found() && r.node() != null) {
            items(r.node(), w.path.lex(), w.path.map() || w.deep, w.deep, mode, souls, items -> {
              w.souls = souls;
              if (items != null) {
                items.forEach(
                    (k, d) -> {
                      if (!w.lastItems.containsKey(k) || !Objects.equals(w.lastItems.get(k), d)) {
                        w.lastItems.put(k, d);
                        deliver(w, d, k);
                      }
                    });
              }
              done.run();
            });
            return;
          }
          if (r.found() && r.leaf() == null && w.deep) {
            deep(Objects.requireNonNull(r.node()), mode, souls, data -> {
              w.souls = souls;
              deliverChange(w, data);
              done.run();
            });
            return;
          }
          w.souls = souls;
          if (r.found()) {
            deliverChange(w, r.leaf() != null ? (r.leaf() instanceof Value.Null ? null : Data.of(r.leaf())) : nodeData(Objects.requireNonNull(r.node()), null));
          } else if (w.delivered && w.last != null) {
            // the field went away (a link replaced by nothing): say so once
            w.last = null;
            deliver(w, null, w.path.key());
          }
          done.run();
        });
  }

  /** Delivers {@code data} found at a single-value watch unless it equals what was delivered last. */
  private void deliverChange(Watch w, @Nullable Object data) {
    if (w.delivered ? !Objects.equals(w.last, data) : data != null) {
      w.delivered = true;
      w.last = data;
      deliver(w, data, w.path.key());
    }
  }

  private void settle(Watch w) {
    w.busy = false;
    if (w.again) {
      w.again = false;
      refresh(w);
    }
  }

  private void deliver(Watch w, @Nullable Object data, String key) {
    callbacks.execute(
        () -> {
          if (!w.off) {
            w.listener.onData(data, key);
          }
        });
  }

  // ---------------------------------------------------------------- plumbing

  private void send(Wire w, Message m) {
    if (!w.send(MessageWriter.write(m))) {
      log.debug("could not send to {}", wires.get(w));
    }
  }

  /** A future for the API to return: completed on the callback executor, so waiting for it there fails fast. */
  <T> CompletableFuture<T> future() {
    return new CallbackFuture<>(callbacks);
  }

  <T> void complete(CompletableFuture<T> f, T value) {
    callbacks.execute(() -> f.complete(value));
  }

  void fail(CompletableFuture<?> f, Throwable e) {
    callbacks.execute(() -> f.completeExceptionally(e));
  }

  /** Runs a task on the callback executor. */
  void callback(Runnable r) {
    callbacks.execute(r);
  }

  /** Configuration, validated by {@link Gun.Builder}. */
  record Settings(
      List<String> peers,
      AckPolicy acks,
      Duration ackTimeout,
      Duration readTimeout,
      Duration reconnectDelay,
      int maxQueuedWrites,
      StateClock clock,
      Ids ids,
      ObjectMapper mapper,
      @Nullable PutGuard guard,
      @Nullable Journal journal) {}
}
