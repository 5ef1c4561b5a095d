package io.jgun.client;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.mesh.PutGuard;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEA's checks (the put guard, docs/protocol.md §10.6) applied by this client: incoming puts are
 * screened field by field (each field the guard names as refused is dropped), so that forged fields are dropped while the valid ones beside them
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

  /**
   * Lets the guard verify signatures here, off the loop: the frame with what it found carried on
   * its put messages (the verdict comes later, on the loop).
   */
  Frame prepare(Frame frame) {
    return guard == null ? frame : guard.prepare(frame);
  }

  /**
   * The part of an incoming put (or reply) {@code m} from {@code peer} the guard accepts: all of it
   * when the whole is accepted, else without each field the guard names as refused.
   */
  Graph screen(Message m, String peer) {
    Graph put = Objects.requireNonNull(m.put());
    PutGuard g = guard;
    PutGuard.Reject r = g == null ? null : g.refusal(m, local::rawField);
    if (g == null || r == null) {
      return put;
    }
    Map<String, Map<String, Field>> kept = new LinkedHashMap<>();
    put.nodes().forEach((soul, n) -> kept.put(soul, new LinkedHashMap<>(n.fields())));
    int dropped = 0;
    String first = r.reason() + " (" + r.soul() + "." + r.key() + ")";
    while (r != null) {
      String soul = r.soul();
      String key = r.key();
      if (soul == null || key == null) { // refused as a whole: nothing is known good
        dropped = put.fieldCount();
        kept.clear();
        break;
      }
      Map<String, Field> fields = kept.get(soul);
      if (fields == null || fields.remove(key) == null) {
        throw new IllegalStateException("the put guard named a field the put does not hold: " + r);
      }
      dropped++;
      Graph rest = graphOf(kept);
      r = rest.isEmpty() ? null : g.refusal(m.toBuilder().put(rest).build(), local::rawField);
    }
    long total = refusedIncoming + dropped;
    refusedIncoming = total;
    if (total == dropped || total / 1000 != (total - dropped) / 1000) {
      log.info("dropped {} incoming field(s) from {} that SEA's checks refuse, e.g. {}; {} so far", dropped, peer, first, total);
    } else {
      log.debug("dropped {} incoming field(s) from {} that SEA's checks refuse, e.g. {}", dropped, peer, first);
    }
    return graphOf(kept);
  }

  /** The refusal of a local write, naming its first refused field; null when the guard accepts it. */
  GunException.@Nullable Forbidden refusal(Graph put) {
    PutGuard.Reject r = guard == null ? null : guard.refusal(put, local::rawField);
    if (r == null) {
      return null;
    }
    String soul = r.soul();
    String key = r.key();
    if (soul != null && key != null) {
      return new GunException.Forbidden(r.reason(), soul, key);
    }
    Node n = put.nodes().values().iterator().next();
    return new GunException.Forbidden(r.reason(), n.soul(), n.fields().keySet().stream().findFirst().orElse(""));
  }

  /** How many incoming fields SEA's checks refused so far; any thread. */
  long refusedIncoming() {
    return refusedIncoming;
  }

  private static Graph graphOf(Map<String, Map<String, Field>> fields) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    fields.forEach(
        (soul, f) -> {
          if (!f.isEmpty()) {
            nodes.put(soul, new Node(soul, f));
          }
        });
    return new Graph(nodes);
  }
}
