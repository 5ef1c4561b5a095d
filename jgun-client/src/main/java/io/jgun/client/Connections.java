package io.jgun.client;

import io.jgun.dam.ReconnectPolicy;
import io.jgun.mesh.Dialer;
import io.jgun.mesh.Wire;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connections to its configured peers: dialing and redialing them, which are open,
 * which cannot be reached and why (warned about once per outage), and the callers waiting for a
 * first connection. Confined to the loop, except {@link #connected()}.
 */
final class Connections {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);
  /** A peer that keeps failing to connect is warned about again at most this often. */
  private static final Duration WARN_UNREACHABLE_EVERY = Duration.ofMinutes(1);

  /** What the rest of the engine does when a connection opens, closes, or every first dial failed. */
  interface Events {
    /** {@code wire} is open and counted; on the loop. */
    void peerConnected(Wire wire);

    /** {@code wire}, which was open, closed; on the loop. */
    void peerDisconnected(Wire wire);

    /** The first connection will not come soon: every peer failed its first dial; on the loop. */
    void firstDialsFailed();
  }

  private final Engine.Settings settings;
  private final ClientLoop loop;
  private final @Nullable Dialer dialer;
  private final Engine engine;
  private final Map<Wire, String> wires = new LinkedHashMap<>();
  private volatile int connected;
  private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();
  /** Per configured peer URL: its backoff between dials ({@link ReconnectPolicy}). */
  private final Map<String, ReconnectPolicy.Backoff> backoffs = new HashMap<>();
  private final PeerReachability reachability = new PeerReachability(System::nanoTime, WARN_UNREACHABLE_EVERY);
  /** Whether a peer was ever connected: before that (and before every peer's first dial failed) reads wait for one even with local data. */
  private boolean everConnected;
  private @Nullable Events events;

  Connections(Engine.Settings settings, ClientLoop loop, @Nullable Dialer dialer, Engine engine) {
    this.settings = settings;
    this.loop = loop;
    this.dialer = dialer;
    this.engine = engine;
  }

  void start(Events events) {
    this.events = events;
    for (String url : settings.peers()) {
      loop.execute(() -> dial(url));
    }
  }

  /** How many peers are connected now; any thread. */
  int connected() {
    return connected;
  }

  /** The open connections, in the order they opened. */
  Set<Wire> open() {
    return Collections.unmodifiableSet(wires.keySet());
  }

  boolean noneOpen() {
    return wires.isEmpty();
  }

  /** Whether this client has peers to wait for: some configured, and a way to dial them. */
  boolean hasPeers() {
    return dialer != null && !settings.peers().isEmpty();
  }

  /** The URL of an open connection (its remote address for one without a URL), for logs and acks. */
  String name(Wire wire) {
    return Objects.requireNonNullElse(wires.get(wire), wire.remote());
  }

  /** The URL of an open connection, or null when it is not open; for debug logs. */
  @Nullable String url(Wire wire) {
    return wires.get(wire);
  }

  void send(Wire w, Message m) {
    if (!w.send(MessageWriter.write(m))) {
      log.debug("could not send to {}", wires.get(w));
    }
  }

  /** Completes when at least one peer is connected (at once if one is). */
  void whenConnected(CompletableFuture<Void> f) {
    loop.checkInLoop();
    if (!wires.isEmpty()) {
      engine.complete(f, null);
    } else {
      connectWaiters.add(f);
    }
  }

  private void dial(String url) {
    if (loop.closed() || dialer == null) {
      return;
    }
    dialer
        .dial(url, engine)
        .whenComplete(
            (w, e) -> {
              if (e != null) {
                loop.submit(() -> dialFailed(url, e));
              }
            });
  }

  /** A dial failed: the first failure of an outage is a WARN (a wrong URL shows at once), then rate-limited. */
  private void dialFailed(String url, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String reason = Objects.requireNonNullElse(cause.getMessage(), cause.toString());
    boolean wasStarting = startingUp();
    long delay = backoff(url).nextDelayMillis();
    if (reachability.failed(url, reason)) {
      int n = reachability.attempts(url);
      log.warn(
          "cannot reach peer {}{}: {}; retrying in {} ms, then backing off up to {} ms",
          url,
          n == 1 ? "" : " (" + n + " attempts so far)",
          reason,
          delay,
          settings.reconnect().maxMillis());
    } else {
      log.debug("cannot reach peer {}: {}; retrying in {} ms", url, reason, delay);
    }
    redial(url, delay);
    if (wasStarting && !startingUp()) {
      Objects.requireNonNull(events).firstDialsFailed();
    }
  }

  /** Whether the first connection is still being made: never connected, and some peer's first dial has not failed. */
  boolean startingUp() {
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

  private void redial(String url, long delayMillis) {
    loop.schedule(() -> dial(url), delayMillis);
  }

  private ReconnectPolicy.Backoff backoff(String url) {
    return backoffs.computeIfAbsent(url, u -> settings.reconnect().backoff());
  }

  /** A connection opened (an I/O thread told the loop). */
  void onOpened(Wire wire) {
    loop.checkInLoop();
    String url = Objects.requireNonNullElse(wire.url(), wire.remote());
    wires.put(wire, url);
    connected = wires.size();
    everConnected = true;
    backoff(url).reset();
    int failed = reachability.reached(url);
    if (failed > 0) {
      log.info("connected to {} after {} failed attempt(s)", url, failed);
    } else {
      log.debug("connected to {}", url);
    }
    for (CompletableFuture<Void> f : connectWaiters) {
      engine.complete(f, null);
    }
    connectWaiters.clear();
    Objects.requireNonNull(events).peerConnected(wire);
  }

  /** A connection closed: forgotten, the others told, and an outbound one redialed. */
  void onClosed(Wire wire) {
    loop.checkInLoop();
    String url = wires.remove(wire);
    connected = wires.size();
    if (url == null) {
      return;
    }
    log.debug("disconnected from {}", url);
    Objects.requireNonNull(events).peerDisconnected(wire);
    String dialed = wire.url();
    if (!loop.closed() && wire.outbound() && dialed != null) {
      redial(dialed, backoff(dialed).nextDelayMillis());
    }
  }

  /**
   * Why no peer could be asked: which peers are configured and why each failed, when each did
   * ({@link GunException.Unreachable} when all did).
   */
  GunException.NotConnected notConnected() {
    Map<String, String> reasons = dialFailures();
    String tail = " within " + settings.readTimeout().toMillis() + " ms (" + peerStatus(reasons) + ") and nothing in the local graph";
    if (reasons.size() == settings.peers().size()) {
      return new GunException.Unreachable("no peer reachable" + tail, reasons);
    }
    return new GunException.NotConnected("no peer connected" + tail, settings.peers());
  }

  /** Each configured peer with why its latest dial failed, or that it is still being dialed. */
  String peerStatus() {
    return peerStatus(dialFailures());
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

  private String peerStatus(Map<String, String> reasons) {
    List<String> parts = new ArrayList<>();
    for (String url : settings.peers()) {
      String why = reasons.get(url);
      parts.add(url + ": " + (why != null ? why : "connecting"));
    }
    return String.join("; ", parts);
  }

  /** Closes every connection and fails the callers waiting for one; on the loop. */
  void shutdown() {
    loop.checkInLoop();
    for (Wire w : new ArrayList<>(wires.keySet())) {
      w.close();
    }
    wires.clear();
    connected = 0;
    for (CompletableFuture<Void> f : connectWaiters) {
      engine.fail(f, new GunException.Closed());
    }
    connectWaiters.clear();
  }
}
