package io.jgun.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A browser-like Gun.js client ({@code node/client.js}: only {@code gun/gun.js}, {@code WebSocket}
 * from {@code ws}, no localStorage) connected to one relay, driven one step at a time. Every call waits
 * for its answer with a timeout and fails with the client's recent output when something goes wrong.
 *
 * <p>Paths are chains of {@code get}s: {@code List.of("org/acme", "address", "city")} is
 * {@code gun.get('org/acme').get('address').get('city')}. Data is anything Jackson serializes
 * ({@link Json#obj} for objects with null values).
 */
final class GunJsClient implements AutoCloseable {

  /** How long one step may take unless a test says otherwise. */
  static final Duration STEP = Duration.ofSeconds(10);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  /** Extra time the Java side waits beyond the timeout the node side enforces itself. */
  private static final long MARGIN_MS = 5_000;

  private final String name;
  private final String relayUrl;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final BlockingQueue<JsonNode> peerEvents = new LinkedBlockingQueue<>();
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private final ManagedProcess process;

  private GunJsClient(String name, String relayUrl, int clockDriftMs) {
    this.name = name;
    this.relayUrl = relayUrl;
    Map<String, String> env = InteropEnvironment.trace()
        ? Map.of("JGUN_INTEROP_TRACE", "1") : Map.of();
    this.process = ManagedProcess.start("gunjs-client:" + name,
        List.of("node", "client.js", relayUrl, name, Integer.toString(clockDriftMs)),
        InteropEnvironment.nodeDir(), env,
        this::onLine, line -> { }, this::onEnd);
  }

  /**
   * Starts a client whose only peer is {@code relay} and waits until it has met the relay. Its state
   * clock runs {@link RelayKind#clientClockDriftMs()} off, as that relay kind needs.
   */
  static GunJsClient connect(String name, Relay relay) {
    GunJsClient client = start(name, relay.url(), relay.kind().clientClockDriftMs());
    try {
      client.awaitConnected(START_TIMEOUT);
    } catch (RuntimeException | AssertionError e) {
      client.close();
      throw e;
    }
    return client;
  }

  /**
   * Starts a client with {@code url} as its only peer and {@code clockDriftMs} added to its state
   * clock, without waiting for the connection.
   */
  static GunJsClient start(String name, String url, int clockDriftMs) {
    NodeModules.ensureInstalled();
    GunJsClient client = new GunJsClient(name, url, clockDriftMs);
    try {
      client.ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      String why = "Gun.js client " + name + " did not start\n" + client.process.diagnostics();
      client.close();
      throw new IllegalStateException(why, e);
    }
    return client;
  }

  private void onLine(String line) {
    if (!line.startsWith("{")) {
      return; // only kept in the output tail for diagnostics
    }
    JsonNode msg;
    try {
      msg = Json.parse(line);
    } catch (JsonProcessingException e) {
      return;
    }
    if (msg.has("id") && !msg.get("id").isNull()) {
      CompletableFuture<JsonNode> answer = pending.remove(msg.get("id").asInt());
      if (answer != null) {
        answer.complete(msg);
      }
    } else if (msg.has("sub")) {
      Subscription sub = subscriptions.get(msg.get("sub").asText());
      if (sub != null) {
        sub.add(GunEvent.of(msg));
      }
    } else if (msg.has("peer")) {
      peerEvents.add(msg);
    } else if (msg.has("ready")) {
      ready.complete(msg);
    }
  }

  private void onEnd() {
    IllegalStateException gone = new IllegalStateException("Gun.js client " + name + " exited");
    ready.completeExceptionally(gone);
    pending.values().forEach(f -> f.completeExceptionally(gone));
  }

  String name() {
    return name;
  }

  /** Sends one command and waits for its answer; the node side times out after {@code timeout}. */
  private JsonNode call(String op, Duration timeout, ObjectNode args) {
    int id = ids.incrementAndGet();
    args.put("id", id).put("op", op).put("timeoutMs", timeout.toMillis());
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    process.writeLine(Json.write(args));
    JsonNode result;
    try {
      result = answer.get(timeout.toMillis() + MARGIN_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      pending.remove(id);
      throw new AssertionError(name + ": " + op + " got no answer\n" + process.diagnostics(), e);
    }
    if (!result.path("ok").asBoolean(false)) {
      throw new AssertionError(name + ": " + op + " " + describe(args) + " failed: "
          + result.path("error").asText() + "\n" + process.diagnostics());
    }
    return result;
  }

  private static String describe(ObjectNode args) {
    String text = args.toString();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  private static ObjectNode args() {
    return Json.MAPPER.createObjectNode();
  }

  private static ArrayNode path(List<String> path) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    path.forEach(array::add);
    return array;
  }

  /** Waits until the client has met the relay (the DAM handshake is done). */
  void awaitConnected(Duration timeout) {
    call("waitPeers", timeout, args().put("count", 1));
  }

  /**
   * Waits for the next mesh event, "hi" (a relay was met) or "bye" (a connection was lost), skipping
   * others, and returns it.
   */
  String awaitPeerEvent(String kind, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    while (true) {
      JsonNode event;
      try {
        event = peerEvents.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (event == null) {
        throw new AssertionError(name + ": no '" + kind + "' mesh event within " + timeout.toMillis()
            + " ms (saw " + seen + ")\n" + process.diagnostics());
      }
      seen.add(event.path("peer").asText());
      if (kind.equals(event.path("peer").asText())) {
        return kind;
      }
    }
  }

  /** Forgets mesh events seen so far, so the next {@link #awaitPeerEvent} sees only new ones. */
  void clearPeerEvents() {
    peerEvents.clear();
  }

  /** {@code chain.put(data, cb)}: waits for the first ack. */
  Ack put(List<String> path, Object data) {
    return put(path, data, STEP);
  }

  Ack put(List<String> path, Object data, Duration timeout) {
    ObjectNode args = args();
    args.set("path", path(path));
    args.set("data", Json.MAPPER.valueToTree(data));
    return Ack.of(call("put", timeout, args).path("ack"));
  }

  /** {@code chain.put(data)} without a callback (no {@code ok} on the wire, nothing to wait for). */
  void putWithoutAck(List<String> path, Object data) {
    ObjectNode args = args();
    args.set("path", path(path));
    args.set("data", Json.MAPPER.valueToTree(data));
    args.put("ack", false);
    call("put", STEP, args);
  }

  /** One write of {@link #putMany}. */
  record Write(List<String> path, Object data) {}

  /**
   * Issues every write at once (each with a callback) and waits until each has its first ack.
   * Returns the ack errors, empty when all were acknowledged with ok.
   */
  List<String> putMany(Collection<Write> writes, Duration timeout) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (Write w : writes) {
      ObjectNode item = items.addObject();
      item.set("path", path(w.path()));
      item.set("data", Json.MAPPER.valueToTree(w.data()));
    }
    ObjectNode args = args();
    args.set("items", items);
    JsonNode result = call("putMany", timeout, args);
    List<String> errors = new ArrayList<>();
    result.path("errors").forEach(e -> errors.add(e.asText()));
    return errors;
  }

  /** What {@code chain.set(item, cb)} produced: its ack and the soul generated for the item. */
  record SetResult(Ack ack, String soul) {}

  SetResult set(List<String> path, Object item) {
    ObjectNode args = args();
    args.set("path", path(path));
    args.set("data", Json.MAPPER.valueToTree(item));
    JsonNode result = call("set", STEP, args);
    return new SetResult(Ack.of(result.path("ack")), result.path("soul").asText());
  }

  /** {@code chain.once(cb)}: the settled value, or {@code found == false} when Gun.js says undefined. */
  GunEvent once(List<String> path) {
    return once(path, STEP);
  }

  GunEvent once(List<String> path, Duration timeout) {
    ObjectNode args = args();
    args.set("path", path(path));
    return GunEvent.of(call("once", timeout, args));
  }

  /** {@code chain.on(cb)}: every value the chain sees from now on, in order. */
  Subscription on(List<String> path) {
    return subscribe("on", path, null);
  }

  /** {@code chain.map().on(cb)}: every item of the node (links followed), now and later. */
  Subscription mapOn(List<String> path) {
    return subscribe("mapOn", path, null);
  }

  /** {@code chain.map().once(cb)}: each item of the node once. */
  Subscription mapOnce(List<String> path) {
    return subscribe("mapOnce", path, null);
  }

  /**
   * {@code chain.map({'.': lex}).once(cb)}: each item whose key matches the lex, e.g.
   * {@code Map.of("*", "ap")}. Gun.js caches one map chain per node, so use one lex per node and client.
   */
  Subscription lexMapOnce(List<String> path, Map<String, ?> lex) {
    return subscribe("lexMapOnce", path, lex);
  }

  private Subscription subscribe(String op, List<String> path, @Nullable Map<String, ?> lex) {
    String id = "s" + ids.incrementAndGet();
    Subscription sub = new Subscription(id, op + " " + path);
    subscriptions.put(id, sub);
    ObjectNode args = args();
    args.set("path", path(path));
    args.put("sub", id);
    if (lex != null) {
      args.set("lex", Json.MAPPER.valueToTree(lex));
    }
    call(op, STEP, args);
    return sub;
  }

  /** Resident memory of the client process, where /proc exists. */
  OptionalLong rssBytes() {
    return process.rssBytes();
  }

  String diagnostics() {
    return process.diagnostics();
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "Gun.js client " + name + " -> " + relayUrl;
  }

  /**
   * The events one listener received. Waiting methods consume events in order; {@link #history()}
   * keeps them all.
   */
  final class Subscription {

    private final String id;
    private final String what;
    private final BlockingQueue<GunEvent> queue = new LinkedBlockingQueue<>();
    private final List<GunEvent> history = new CopyOnWriteArrayList<>();

    private Subscription(String id, String what) {
      this.id = id;
      this.what = what;
    }

    private void add(GunEvent event) {
      history.add(event);
      queue.add(event);
    }

    /** All events so far, including consumed ones. */
    List<GunEvent> history() {
      return List.copyOf(history);
    }

    /** Waits for the next event that matches, skipping (consuming) the ones that do not. */
    GunEvent await(String expectation, Predicate<GunEvent> matches, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        GunEvent event = poll(deadline);
        if (event == null) {
          throw new AssertionError(name + ": " + what + ": no event " + expectation + " within "
              + timeout.toMillis() + " ms; all events: " + history + "\n" + process.diagnostics());
        }
        if (matches.test(event)) {
          return event;
        }
      }
    }

    /**
     * Waits until events for {@code count} distinct keys have arrived and returns the latest event per
     * key (in order of first arrival).
     */
    Map<String, GunEvent> awaitKeys(int count, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<String, GunEvent> byKey = new LinkedHashMap<>();
      for (GunEvent e : history) {
        byKey.put(e.key(), e);
      }
      queue.clear();
      while (byKey.size() < count) {
        GunEvent event = poll(deadline);
        if (event == null) {
          throw new AssertionError(name + ": " + what + ": " + byKey.size() + " of " + count
              + " keys within " + timeout.toMillis() + " ms: " + abbreviate(byKey.keySet()) + "\n"
              + process.diagnostics());
        }
        byKey.put(event.key(), event);
      }
      return byKey;
    }

    /**
     * Waits until events for {@code count} distinct identities (e.g. souls) have arrived and returns
     * the latest event per identity.
     */
    Map<String, GunEvent> awaitDistinct(String identity, Function<GunEvent, String> id, int count,
        Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<String, GunEvent> byId = new LinkedHashMap<>();
      for (GunEvent e : history) {
        byId.put(id.apply(e), e);
      }
      queue.clear();
      while (byId.size() < count) {
        GunEvent event = poll(deadline);
        if (event == null) {
          throw new AssertionError(name + ": " + what + ": " + byId.size() + " of " + count + " distinct "
              + identity + "s within " + timeout.toMillis() + " ms: " + abbreviate(byId.keySet()) + "\n"
              + process.diagnostics());
        }
        byId.put(id.apply(event), event);
      }
      return byId;
    }

    private GunEvent poll(long deadline) {
      try {
        return queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /** Stops the listener ({@code ev.off()} on every listener handle it got). */
    void off() {
      call("off", STEP, args().put("sub", id));
      subscriptions.remove(id);
    }

    @Override
    public String toString() {
      return what + " (" + history.size() + " events)";
    }
  }

  private static String abbreviate(Collection<String> keys) {
    String text = keys.toString();
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}
