package io.jgun.mesh;

import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Pushes accepted writes to the peers subscribed to them (Gun.js AXE, docs/protocol.md §5.1):
 * every accepted put reaches every subscriber with the values it carried, in the order the mesh
 * accepted them. A Gun.js subscriber's {@code on()} sees each of a stream of fast updates, as
 * through a Gun.js relay; two states of one field are never merged into one push.
 *
 * <p>Batching, not conflation: the puts accepted in one loop turn are pushed together at the end
 * of the turn. Each put becomes one message per distinct view (all subscribers of a soul share
 * one), serialised once; peers that get the same sequence of messages share the same frames (DAM
 * arrays of at most {@code pack} characters), so a fan-out to thousands of subscribers costs one
 * serialisation per put and one frame text per group.
 *
 * <p>The one exception is backpressure. A subscriber whose outbound queue is over {@code
 * conflateBytes} when pushes are due is not sent them: the mesh remembers which of its fields
 * changed, and once its queue has drained below half the bound it is sent the latest state of each,
 * in one push (docs/compatibility.md). That bounds what a slow reader costs without disconnecting
 * it; the alternative, queueing every update, ends at the transport's outbound cap, where the peer
 * is dropped.
 *
 * <p>Confined to the mesh loop.
 */
final class PushFanout {
  /** How often a peer whose pushes were conflated is checked for a drained queue. */
  static final long DRAIN_CHECK_MILLIS = 5;

  /** Writes one push message (a fresh, tracked id, the {@code ok} budget and {@code ><}). */
  interface Writer {
    String write(Graph put);
  }

  /** In a view (soul to the keys a peer wants), the keys of a whole-soul subscriber; by identity. */
  private static final Set<String> WHOLE = Collections.unmodifiableSet(new LinkedHashSet<>());

  private final Subscriptions subs;
  private final MeshStats stats;
  private final Writer writer;
  private final BiConsumer<Peer, String> sendFrame;
  private final GraphEngine graph;
  private final LoopScheduler scheduler;
  private final long conflateBytes;
  private final int pack;

  /** Puts accepted this turn and wanted by somebody, in order. */
  private final List<Graph> pending = new ArrayList<>();
  /** Peers with conflated fields waiting for their queue to drain. */
  private final Set<Peer> conflated = new LinkedHashSet<>();
  private boolean drainCheckScheduled;

  /**
   * @param sendFrame sends a whole frame to a peer after whatever is batched for it already
   * @param graph where a slow peer's conflated fields are read at their latest
   */
  PushFanout(
      Subscriptions subs,
      MeshStats stats,
      Writer writer,
      BiConsumer<Peer, String> sendFrame,
      GraphEngine graph,
      LoopScheduler scheduler,
      long conflateBytes,
      int pack) {
    this.subs = subs;
    this.stats = stats;
    this.writer = writer;
    this.sendFrame = sendFrame;
    this.graph = graph;
    this.scheduler = scheduler;
    this.conflateBytes = conflateBytes;
    this.pack = pack;
  }

  /** Queues the push of an accepted write; sent at the end of this loop turn. */
  void accepted(Graph accepted) {
    Map<String, Node> wanted = null;
    for (Node node : accepted.nodes().values()) {
      if (isWanted(node)) {
        if (wanted == null) {
          wanted = new LinkedHashMap<>();
        }
        wanted.put(node.soul(), node);
      }
    }
    if (wanted == null) {
      return;
    }
    if (pending.isEmpty()) {
      scheduler.schedule(this::flush, 0);
    }
    pending.add(wanted.size() == accepted.nodes().size() ? accepted : new Graph(wanted));
  }

  private boolean isWanted(Node node) {
    return !subs.soul(node.soul()).isEmpty() || hasFieldSubscribers(node);
  }

  /** Sends this turn's puts: one message per put and view, one frame list per group of peers. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<Graph> puts = new ArrayList<>(pending);
    pending.clear();
    List<String> messages = new ArrayList<>();
    Map<Peer, List<Integer>> sequences = new LinkedHashMap<>();
    Map<Peer, Boolean> slow = new HashMap<>();
    for (Graph put : puts) {
      for (Map.Entry<Map<String, Set<String>>, List<Peer>> group : viewsOf(put).entrySet()) {
        Graph view = select(put, group.getKey());
        int index = -1;
        for (Peer p : group.getValue()) {
          if (slow.computeIfAbsent(p, this::isSlow)) {
            conflate(p, view);
            continue;
          }
          if (index < 0) {
            index = messages.size();
            messages.add(writer.write(view));
          }
          sequences.computeIfAbsent(p, x -> new ArrayList<>()).add(index);
        }
      }
    }
    Map<List<Integer>, List<Peer>> bySequence = new LinkedHashMap<>();
    for (Map.Entry<Peer, List<Integer>> e : sequences.entrySet()) {
      bySequence.computeIfAbsent(e.getValue(), x -> new ArrayList<>()).add(e.getKey());
    }
    for (Map.Entry<List<Integer>, List<Peer>> e : bySequence.entrySet()) {
      List<String> frames = frames(e.getKey(), messages);
      for (Peer p : e.getValue()) {
        stats.pushes.add(e.getKey().size());
        for (String frame : frames) {
          sendFrame.accept(p, frame);
        }
      }
    }
    if (!conflated.isEmpty()) {
      scheduleDrainCheck();
    }
  }

  /**
   * Who wants what of one put, grouped: peers wanting the same souls and keys share a group. The
   * common case, one node and only whole-soul subscribers, is one group with no per-peer work.
   */
  private Map<Map<String, Set<String>>, List<Peer>> viewsOf(Graph put) {
    Map<Map<String, Set<String>>, List<Peer>> groups = new LinkedHashMap<>();
    if (put.nodes().size() == 1) {
      Node node = put.nodes().values().iterator().next();
      if (!hasFieldSubscribers(node)) {
        List<Peer> open = new ArrayList<>();
        for (Peer p : subs.soul(node.soul())) {
          if (p.open) {
            open.add(p);
          }
        }
        if (!open.isEmpty()) {
          groups.put(Map.of(node.soul(), WHOLE), open);
        }
        return groups;
      }
    }
    Map<Peer, Map<String, Set<String>>> perPeer = new LinkedHashMap<>();
    for (Node node : put.nodes().values()) {
      String soul = node.soul();
      for (Peer p : subs.soul(soul)) {
        perPeer.computeIfAbsent(p, x -> new LinkedHashMap<>()).put(soul, WHOLE);
      }
      for (String key : node.fields().keySet()) {
        for (Peer p : subs.field(soul, key)) {
          Map<String, Set<String>> view = perPeer.computeIfAbsent(p, x -> new LinkedHashMap<>());
          Set<String> keys = view.get(soul);
          if (keys != WHOLE) {
            if (keys == null) {
              keys = new LinkedHashSet<>();
              view.put(soul, keys);
            }
            keys.add(key);
          }
        }
      }
    }
    for (Map.Entry<Peer, Map<String, Set<String>>> e : perPeer.entrySet()) {
      if (e.getKey().open) {
        groups.computeIfAbsent(e.getValue(), x -> new ArrayList<>()).add(e.getKey());
      }
    }
    return groups;
  }

  private boolean hasFieldSubscribers(Node node) {
    for (String key : node.fields().keySet()) {
      if (!subs.field(node.soul(), key).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The part of {@code put} a view covers, with the values the put carried. */
  private static Graph select(Graph put, Map<String, Set<String>> view) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> s : view.entrySet()) {
      Node node = Objects.requireNonNull(put.nodes().get(s.getKey()), "a view covers souls of the put");
      if (s.getValue() == WHOLE) {
        nodes.put(node.soul(), node);
        continue;
      }
      Node.Builder b = Node.builder(node.soul());
      for (String key : s.getValue()) {
        b.put(key, Objects.requireNonNull(node.field(key), "a view covers keys of the put"));
      }
      nodes.put(node.soul(), b.build());
    }
    return new Graph(nodes);
  }

  /** The messages as frames: alone when one, else DAM arrays of at most {@code pack} characters. */
  private List<String> frames(List<Integer> sequence, List<String> messages) {
    if (sequence.size() == 1) {
      return List.of(messages.get(sequence.get(0)));
    }
    List<String> frames = new ArrayList<>();
    StringBuilder b = new StringBuilder().append('[');
    int count = 0;
    for (int index : sequence) {
      String m = messages.get(index);
      if (count > 0 && b.length() + m.length() + 2 > pack) {
        frames.add(b.append(']').toString());
        b.setLength(1);
        count = 0;
      }
      if (count > 0) {
        b.append(',');
      }
      b.append(m);
      count++;
    }
    frames.add(b.append(']').toString());
    return frames;
  }

  // --- backpressure ---

  private boolean isSlow(Peer p) {
    return p.conflated != null || p.wire.queuedBytes() > conflateBytes;
  }

  /** Remembers the fields of a push a slow peer was not sent, to send their latest state later. */
  private void conflate(Peer p, Graph view) {
    Map<String, Set<String>> waiting = p.conflated;
    if (waiting == null) {
      waiting = new LinkedHashMap<>();
      p.conflated = waiting;
      conflated.add(p);
    }
    for (Node node : view.nodes().values()) {
      waiting.computeIfAbsent(node.soul(), x -> new LinkedHashSet<>()).addAll(node.fields().keySet());
    }
    stats.pushesConflated.increment();
  }

  private void scheduleDrainCheck() {
    if (!drainCheckScheduled) {
      drainCheckScheduled = true;
      scheduler.schedule(this::drainCheck, DRAIN_CHECK_MILLIS);
    }
  }

  /** Sends each slow peer whose queue drained the latest state of the fields it was not sent. */
  void drainCheck() {
    drainCheckScheduled = false;
    for (Iterator<Peer> it = conflated.iterator(); it.hasNext(); ) {
      Peer p = it.next();
      Map<String, Set<String>> waiting = p.conflated;
      if (!p.open || waiting == null) {
        p.conflated = null;
        it.remove();
        continue;
      }
      if (p.wire.queuedBytes() > conflateBytes / 2) {
        continue;
      }
      p.conflated = null;
      it.remove();
      Graph latest = latest(waiting);
      if (!latest.isEmpty()) {
        stats.pushes.increment();
        sendFrame.accept(p, writer.write(latest));
      }
    }
    if (!conflated.isEmpty()) {
      scheduleDrainCheck();
    }
  }

  private Graph latest(Map<String, Set<String>> waiting) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> s : waiting.entrySet()) {
      Node.Builder b = Node.builder(s.getKey());
      boolean any = false;
      for (String key : s.getValue()) {
        Field f = graph.field(s.getKey(), key);
        if (f != null) {
          b.put(key, f);
          any = true;
        }
      }
      if (any) {
        nodes.put(s.getKey(), b.build());
      }
    }
    return new Graph(nodes);
  }
}
