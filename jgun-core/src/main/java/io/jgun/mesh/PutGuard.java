package io.jgun.mesh;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A check every incoming write (a {@code put} message, or a reply carrying data) passes before it
 * is merged: SEA's firewall (docs/protocol.md §10.6) is one. A rejected put is not merged,
 * stored, forwarded or pushed; its writer gets an ack with {@code err} set to the reason, and
 * {@link MeshStats#putsForbidden} counts it. Called on the mesh loop: it must not block on I/O
 * beyond the graph reads it makes through the given reader.
 */
@FunctionalInterface
public interface PutGuard {

  /** Whether {@code put} may be written; {@code graph} reads what is already there. */
  Verdict check(Graph put, FieldReader graph);

  /**
   * Called with every incoming put on the transport thread that parsed it (so in parallel), before
   * the put reaches the mesh loop: the place for a guard's costly work that needs no graph, such as
   * SEA's signature checks, so that {@link #check} on the loop is quick. Must be thread-safe, must
   * not read the graph, and decides nothing: only {@link #check} does. Default: nothing.
   */
  default void prepare(Graph put) {}

  /**
   * {@link #prepare} for every put of a parsed frame; a failure is logged and left for {@link
   * #check} to decide.
   */
  default void prepare(Frame frame) {
    for (Message m : frame.messages()) {
      if (m.put() != null) {
        try {
          prepare(m.put());
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(PutGuard.class).debug("the put guard could not prepare {}: {}", m.id(), e.toString());
        }
      }
    }
  }

  /**
   * Why {@code put} is refused, or null when it may be written: {@link #check}'s reason, and a
   * guard that throws refuses (logged) rather than letting the write through.
   */
  default @Nullable String refusal(Graph put, FieldReader graph) {
    Verdict v;
    try {
      v = check(put, graph);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(PutGuard.class).error("the put guard failed; refusing the write", e);
      return "Error: write check failed.";
    }
    return v instanceof Reject r ? r.reason() : null;
  }

  /** Read access to the current graph (for certificates, block lists, existing nodes). */
  @FunctionalInterface
  interface FieldReader {
    /** One field, or null. */
    @Nullable Field field(String soul, String key);
  }

  /** The outcome of a check. */
  sealed interface Verdict permits Accept, Reject {}

  /** The whole put may be written. */
  record Accept() implements Verdict {}

  /** The put is refused; {@code reason} goes back to the writer as the ack's {@code err}. */
  record Reject(String reason) implements Verdict {
    public Reject {
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }

  /** The accepting verdict. */
  Verdict ACCEPT = new Accept();

  static Verdict reject(String reason) {
    return new Reject(reason);
  }
}
