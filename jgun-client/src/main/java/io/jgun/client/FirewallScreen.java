package io.jgun.client;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.mesh.PutGuard;
import io.jgun.wire.Frame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEA's checks (the put guard, docs/protocol.md §10.6) applied by this client: incoming puts are
 * screened field by field, so that forged fields are dropped while the valid ones beside them
 * arrive, and a local write that would be refused is refused here, naming its field. Verdicts are
 * given on the loop; {@link #prepare} runs on the I/O thread that read the frame.
 */
final class FirewallScreen {
  private static final Logger log = LoggerFactory.getLogger(FirewallScreen.class);
  private final @Nullable PutGuard guard;
  private final LocalGraph local;
  /** How many incoming fields the guard refused (and dropped). */
  private volatile long refusedIncoming;

  FirewallScreen(@Nullable PutGuard guard, LocalGraph local) {
    this.guard = guard;
    this.local = local;
  }

  /** Lets the guard verify signatures here, off the loop (its verdict comes later, on the loop). */
  void prepare(Frame frame) {
    if (guard != null) {
      guard.prepare(frame);
    }
  }

  /**
   * The part of an incoming put (or reply) from {@code peer} the guard accepts: all of it when the
   * whole is accepted, else field by field.
   */
  Graph screen(Graph put, String peer) {
    PutGuard g = guard;
    if (g == null || verdict(g, put) == null) {
      return put;
    }
    Map<String, Node> kept = new LinkedHashMap<>();
    int dropped = 0;
    @Nullable String first = null;
    for (Node n : put.nodes().values()) {
      Map<String, Field> fields = new LinkedHashMap<>();
      for (Entry<String, Field> f : n.fields().entrySet()) {
        String why = verdict(g, Graph.of(new Node(n.soul(), Map.of(f.getKey(), f.getValue()))));
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
    if (total == dropped || total / 1000 != (total - dropped) / 1000) {
      log.info("dropped {} incoming field(s) from {} that SEA's checks refuse, e.g. {}; {} so far", dropped, peer, first, total);
    } else {
      log.debug("dropped {} incoming field(s) from {} that SEA's checks refuse, e.g. {}", dropped, peer, first);
    }
    return new Graph(kept);
  }

  /** The refusal of a local write, naming its first refused field; null when the guard accepts it. */
  GunException.@Nullable Forbidden refusal(Graph put) {
    PutGuard g = guard;
    if (g == null) {
      return null;
    }
    String why = verdict(g, put);
    if (why == null) {
      return null;
    }
    for (Node n : put.nodes().values()) {
      for (Entry<String, Field> f : n.fields().entrySet()) {
        String fieldWhy = verdict(g, Graph.of(new Node(n.soul(), Map.of(f.getKey(), f.getValue()))));
        if (fieldWhy != null) {
          return new GunException.Forbidden(fieldWhy, n.soul(), f.getKey());
        }
      }
    }
    Node n = put.nodes().values().iterator().next();
    return new GunException.Forbidden(why, n.soul(), n.fields().keySet().stream().findFirst().orElse(""));
  }

  /** How many incoming fields SEA's checks refused so far; any thread. */
  long refusedIncoming() {
    return refusedIncoming;
  }

  /** Why {@code guard} refuses {@code put}, or null when it accepts; on the loop. */
  private @Nullable String verdict(PutGuard guard, Graph put) {
    return guard.refusal(put, local::rawField);
  }
}
