package io.jgun.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.dam.ReconnectPolicy;
import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.StateClock;
import io.jgun.mesh.Dialer;
import io.jgun.mesh.PutGuard;
import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.jgun.sea.KeyPair;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The client peer, assembled: it owns the {@link ClientLoop} and wires the components that share
 * it — {@link Connections}, {@link IncomingFrames} (with the {@link FirewallScreen}), the {@link
 * LocalGraph}, the {@link Asks} to the peers, the {@link PathReader}, the {@link Watches}, the
 * {@link Writes} (signed by the {@link WriteSigner}) and the {@link Outbox} — and routes
 * connection events between them. The public side ({@link Gun}, {@link Chain}, {@link User}) talks
 * to this class only: it hands tasks to the loop, and results leave through the callback executor.
 */
final class Engine implements WireListener, Connections.Events {
  private final Settings settings;
  private final ClientLoop loop;
  private final SerialExecutor callbacks;
  private final WriteSigner signer = new WriteSigner();
  private final LocalGraph local;
  private final Connections connections;
  private final Asks asks;
  private final PathReader reader;
  private final Watches watches;
  private final FirewallScreen firewall;
  private final Outbox outbox;
  private final Writes writes;
  private final IncomingFrames incoming;

  Engine(Settings settings, ClientLoop loop, SerialExecutor callbacks, GraphEngine graph, @Nullable Dialer dialer) {
    this.settings = settings;
    this.loop = loop;
    this.callbacks = callbacks;
    this.local = new LocalGraph(graph, loop, settings.wallClock(), accepted -> watches().changed(accepted));
    this.connections = new Connections(settings, loop, dialer, this);
    this.asks = new Asks(settings, loop, connections, local, settings.ids());
    this.reader = new PathReader(loop, asks, local, connections);
    this.watches = new Watches(loop, reader, local, asks, callbacks);
    this.firewall = new FirewallScreen(settings.guard(), local);
    this.outbox = new Outbox(settings, loop, connections, local, settings.ids(), this);
    this.writes = new Writes(loop, settings.mapper(), settings.clock(), settings.ids(), local, asks, signer, firewall, outbox, this);
    this.incoming = new IncomingFrames(loop, connections, firewall, local, outbox, asks, settings.ids());
  }

  private Watches watches() {
    return watches;
  }

  // ---------------------------------------------------------------- life cycle

  /** Replays the outbox journal (the first task on the loop), then dials the peers. */
  void start() {
    if (outbox.hasJournal()) {
      loop.execute(outbox::replay);
    }
    connections.start(this);
  }

  /** Closes the connections and fails what is still waiting; on the loop. */
  void shutdown() {
    loop.markClosed();
    connections.shutdown();
    outbox.shutdown();
    asks.shutdown();
    watches.clear();
  }

  // ---------------------------------------------------------------- connection events

  @Override
  public void opened(Wire wire) {
    if (!loop.execute(() -> {
      if (loop.closed()) {
        wire.close();
      } else {
        connections.onOpened(wire);
      }
    })) {
      wire.close();
    }
  }

  @Override
  public void received(Wire wire, String text) {
    incoming.received(wire, text);
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    loop.execute(() -> connections.onClosed(wire));
  }

  /** A peer connected: resubscribe (docs/protocol.md §4.3), then send every write no peer has acknowledged yet, then the waiting reads ask. */
  @Override
  public void peerConnected(Wire wire) {
    asks.resubscribe(wire);
    outbox.connected(wire);
    asks.releaseAwaiting();
  }

  @Override
  public void peerDisconnected(Wire wire) {
    outbox.closed(wire);
    asks.closed(wire);
  }

  @Override
  public void firstDialsFailed() {
    asks.releaseAnsweredLocally();
  }

  // ---------------------------------------------------------------- for the public API

  /** Runs {@code task} on the loop, or fails {@code onClosed} when the instance is closed. */
  void submit(Runnable task, CompletableFuture<?> onClosed) {
    loop.submit(task, onClosed);
  }

  /** Runs {@code task} on the loop unless the instance is closed. */
  void submit(Runnable task) {
    loop.submit(task);
  }

  /** Runs the write {@code task} on the loop, counted in {@link #queued()} from now on. */
  void submitWrite(CompletableFuture<Ack> f, Runnable task) {
    outbox.submitWrite(f, task);
  }

  int connected() {
    return connections.connected();
  }

  /** How many writes wait for a peer's acknowledgement, those still on their way to the outbox included. */
  int queued() {
    return outbox.queued();
  }

  /** How many incoming fields SEA's checks refused so far. */
  long refusedIncoming() {
    return firewall.refusedIncoming();
  }

  /** Completes when at least one peer is connected (at once if one is); on the loop. */
  void whenConnected(CompletableFuture<Void> f) {
    connections.whenConnected(f);
  }

  ObjectMapper mapper() {
    return settings.mapper();
  }

  StateClock clock() {
    return settings.clock();
  }

  Ids ids() {
    return settings.ids();
  }

  /** Signs the writes into {@code pair}'s souls from now on (null: none); see {@link UserSpace#sign}. */
  void signer(@Nullable KeyPair pair) {
    signer.signAs(pair);
  }

  @Nullable KeyPair signer() {
    return signer.signer();
  }

  /** A local field as the API shows it: signed values in user souls unwrapped; on the loop. */
  @Nullable Field field(String soul, String key) {
    return local.field(soul, key);
  }

  /** The raw stored field (signed values as they are); on the loop. */
  @Nullable Field rawField(String soul, String key) {
    return local.rawField(soul, key);
  }

  /** Writes {@code data} at {@code path} with {@code options}; on the loop. */
  void put(Path path, @Nullable Object data, PutOptions options, CompletableFuture<Ack> future) {
    writes.put(path, data, options, future);
  }

  /** {@code set(item)} at {@code path}; on the loop. */
  void set(Path path, Object item, PutOptions options, CompletableFuture<Ack> future) {
    writes.set(path, item, options, future);
  }

  /** Writes a graph as it is (already signed where needed); on the loop. */
  void writeGraph(Graph g, String soul, CompletableFuture<Ack> future) {
    writes.writeGraph(g, soul, future);
  }

  /**
   * Reads {@code path} once (§6 once): completes {@code result} with the data, or null when not
   * found; fails it with {@link GunException.NotConnected} when nothing was found but no peer could
   * be asked; on the loop.
   */
  void once(Path path, boolean deep, CompletableFuture<@Nullable Object> result) {
    reader.once(path, deep)
        .whenComplete(
            (d, e) -> {
              if (e == null) {
                complete(result, d);
              } else {
                fail(result, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
              }
            });
  }

  /** A live listener (see {@link Watches#watch}); any thread. */
  Subscription watch(Path path, Listener listener, boolean deep) {
    return watches.watch(path, listener, deep);
  }

  /** A future for the API to return: completed on the callback executor, so waiting for it there fails fast. */
  <T> CompletableFuture<T> future() {
    return new CallbackFuture<>(callbacks);
  }

  <T> void complete(CompletableFuture<T> f, @Nullable T value) {
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
      ReconnectPolicy reconnect,
      int maxQueuedWrites,
      StateClock clock,
      StateClock.Millis wallClock,
      Ids ids,
      ObjectMapper mapper,
      @Nullable PutGuard guard,
      @Nullable Journal journal) {}
}
