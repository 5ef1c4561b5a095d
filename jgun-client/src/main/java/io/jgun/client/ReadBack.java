package io.jgun.client;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Ham;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.json.Json;
import io.jgun.mesh.Wire;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles sent writes by reading them back: a relay does not acknowledge a put that changes
 * nothing, so a write whose acknowledgement was lost would never be acknowledged by its re-sends.
 * The fields of such writes are read back from a peer, and those it already holds settle (see
 * {@link Ack#confirmedByRead()}). Confined to the loop.
 */
final class ReadBack {
  private static final Logger log = LoggerFactory.getLogger(ReadBack.class);
  /** At most this many fields are read back from one peer on one connection to settle writes. */
  static final int MAX_PROBE_READS = 1_000;

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

  private final Engine.Settings settings;
  private final ClientLoop loop;
  private final Connections connections;
  private final Ids ids;
  private final Outbox outbox;
  private final Engine engine;
  /** The reads in flight: GET id → probe. */
  private final Map<String, Probe> probes = new HashMap<>();

  ReadBack(Engine.Settings settings, ClientLoop loop, Connections connections, Ids ids, Outbox outbox, Engine engine) {
    this.settings = settings;
    this.loop = loop;
    this.connections = connections;
    this.ids = ids;
    this.outbox = outbox;
    this.engine = engine;
  }

  /**
   * Reads back, from {@code wire}'s peer, the fields of those of {@code writes} that are pending and
   * were sent before (one field GET per distinct field, at most {@link #MAX_PROBE_READS}).
   */
  void probe(Wire wire, Iterable<Outgoing> writes) {
    loop.checkInLoop();
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
            connections.send(wire, Message.builder().id(id).get(Get.of(Asks.fieldGet(soul, key))).build());
          }
        });
    log.debug("reading back {} field(s) of {} sent write(s) from {}", reads, candidates.size(), connections.url(wire));
    loop.schedule(() -> endProbe(p), settings.readTimeout().toMillis());
  }

  private void endProbe(Probe p) {
    for (String id : p.ids) {
      probes.remove(id);
    }
    p.ids.clear();
    p.candidates.clear();
  }

  /** A reply to GET {@code id} from {@code wire}: when it is a read-back, keeps the fields asked for, settles the writes the peer holds. */
  void onReply(String id, Wire wire, @Nullable Graph answer, Message m) {
    Probe p = probes.get(id);
    if (p == null || p.wire != wire) {
      return;
    }
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
      String url = connections.name(p.wire);
      for (Iterator<Outgoing> it = p.candidates.iterator(); it.hasNext(); ) {
        Outgoing o = it.next();
        if (!outbox.contains(o)) {
          it.remove();
        } else if (holds(p.held, o.graph)) {
          it.remove();
          outbox.settled(o);
          log.debug("{} already holds a write to {} (its acknowledgement was lost): settled", url, o.soul);
          engine.complete(o.future, new Ack(o.soul, url, Json.TRUE, true));
        }
      }
    }
    if (p.ids.isEmpty()) {
      endProbe(p);
    }
  }

  /** {@code wire} closed: its read-backs will not be answered. */
  void closed(Wire wire) {
    probes.values().removeIf(p -> p.wire == wire);
  }

  void clear() {
    probes.clear();
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
}
