package io.jgun.client;

import io.jgun.graph.Lex;
import io.jgun.json.Json;
import io.jgun.mesh.Wire;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The GETs this client asks its peers: each sent to every open connection and done when all have
 * answered (or the read timeout passed); the live ones asked again on every (re)connection; and,
 * with no connection open, the reads that wait for one. Confined to the loop.
 */
final class Asks {
  /** At most this many GETs are re-asked on every reconnect. */
  private static final int MAX_LIVE = 100_000;
  /** At most this many reads wait for a first connection; past it, a read answers from the local graph. */
  private static final int MAX_AWAITING_PEER = 10_000;

  /**
   * How fresh a read must be: ask the peers every time ({@code READ} also waits, up to the read
   * timeout, for a peer to connect when none is; {@code FRESH} asks only those connected now, so
   * that an offline write is never held up), only when not already subscribed, or never.
   */
  enum Mode { READ, FRESH, LIVE, LOCAL }

  /** A GET in flight: the peers that have not answered yet, and what to do when all have. */
  private static final class GetAsk {
    final Set<Wire> remaining;
    final Runnable done;

    GetAsk(Set<Wire> remaining, Runnable done) {
      this.remaining = remaining;
      this.done = done;
    }
  }

  /** A read waiting for a peer to connect before it asks. */
  private static final class AwaitingPeer {
    final Json.Obj raw;
    final Runnable then;

    AwaitingPeer(Json.Obj raw, Runnable then) {
      this.raw = raw;
      this.then = then;
    }
  }

  private final Engine.Settings settings;
  private final ClientLoop loop;
  private final Connections connections;
  private final LocalGraph local;
  private final Ids ids;
  private final Map<String, GetAsk> gets = new HashMap<>();
  /** The GETs asked again after every reconnect (docs/protocol.md §4.3), by their JSON. */
  private final Map<String, Json.Obj> liveGets = new LinkedHashMap<>();
  /** Reads that wait for a first peer to connect (or their read timeout), in arrival order. */
  private final Set<AwaitingPeer> awaitingPeer = new LinkedHashSet<>();

  Asks(Engine.Settings settings, ClientLoop loop, Connections connections, LocalGraph local, Ids ids) {
    this.settings = settings;
    this.loop = loop;
    this.connections = connections;
    this.local = local;
    this.ids = ids;
  }

  /** {@link #ensure} as a future, completed on the loop. */
  CompletableFuture<Void> fetch(Json.Obj raw, Mode mode) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    ensure(raw, mode, () -> f.complete(null));
    return f;
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
    loop.checkInLoop();
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
    if (connections.noneOpen()) {
      boolean wait = mode == Mode.READ && connections.hasPeers() && (connections.startingUp() || !local.answers(raw));
      if (wait && awaitingPeer.size() < MAX_AWAITING_PEER) {
        AwaitingPeer r = new AwaitingPeer(raw, then);
        awaitingPeer.add(r);
        loop.schedule(
            () -> {
              if (awaitingPeer.remove(r)) {
                then.run();
              }
            },
            settings.readTimeout().toMillis());
      } else {
        then.run();
      }
      return;
    }
    String id = ids.messageId();
    gets.put(id, new GetAsk(new HashSet<>(connections.open()), then));
    Message m = Message.builder().id(id).get(Get.of(raw)).build();
    for (Wire w : connections.open()) {
      connections.send(w, m);
    }
    loop.schedule(() -> finish(id), settings.readTimeout().toMillis());
  }

  private void finish(String id) {
    GetAsk a = gets.remove(id);
    if (a != null) {
      a.done.run();
    }
  }

  /** A reply to GET {@code id} from {@code wire}: done with it unless more is coming. */
  void onReply(String id, Wire wire, Message m) {
    GetAsk a = gets.get(id);
    if (a != null && (m.more() == null || !Lex.truthy(m.more()))) {
      a.remaining.remove(wire);
      if (a.remaining.isEmpty()) {
        finish(id);
      }
    }
  }

  /** Re-asks the live GETs on a new connection (docs/protocol.md §4.3). */
  void resubscribe(Wire wire) {
    for (Json.Obj raw : liveGets.values()) {
      connections.send(wire, Message.builder().id(ids.messageId()).get(Get.of(raw)).build());
    }
  }

  /** A peer connected: the reads waiting for one ask now. */
  void releaseAwaiting() {
    List<AwaitingPeer> ready = new ArrayList<>(awaitingPeer);
    awaitingPeer.clear();
    for (AwaitingPeer r : ready) {
      ensure(r.raw, Mode.READ, r.then);
    }
  }

  /** Every peer failed its first dial: reads the local graph can answer need not wait any longer. */
  void releaseAnsweredLocally() {
    for (AwaitingPeer r : new ArrayList<>(awaitingPeer)) {
      if (local.answers(r.raw)) {
        awaitingPeer.remove(r);
        r.then.run();
      }
    }
  }

  /** {@code wire} closed: the GETs that waited only for it are done. */
  void closed(Wire wire) {
    for (String id : new ArrayList<>(gets.keySet())) {
      GetAsk a = gets.get(id);
      if (a != null && a.remaining.remove(wire) && a.remaining.isEmpty()) {
        finish(id);
      }
    }
  }

  /** Ends every GET in flight and every waiting read (they answer from the local graph); on the loop. */
  void shutdown() {
    loop.checkInLoop();
    for (GetAsk a : gets.values()) {
      a.done.run();
    }
    List<AwaitingPeer> waiting = new ArrayList<>(awaitingPeer);
    awaitingPeer.clear();
    waiting.forEach(r -> r.then.run());
    gets.clear();
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
}
