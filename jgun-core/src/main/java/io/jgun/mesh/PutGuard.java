package io.jgun.mesh;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A check every incoming write (a {@code put} message, or a reply carrying data) passes before it
 * is merged: SEA's firewall (docs/protocol.md §10.6) is one. A rejected put is not merged,
 * stored, forwarded or pushed; its writer gets an ack with {@code err} set to the reason, and
 * {@link MeshStats#putsForbidden} counts it. Called on the mesh loop: it must not block on I/O
 * beyond the graph reads it makes through the given reader.
 *
 * <p>Work crosses threads in one way only: {@link #prepare(Frame)} runs on the thread that read
 * the frame and returns the frame with each put's {@link Message.Prepared} attached; the loop
 * hands that back to {@link #check(Graph, FieldReader, Message.Prepared)}.
 */
@FunctionalInterface
public interface PutGuard {

  /** Whether {@code put} may be written; {@code graph} reads what is already there. */
  Verdict check(Graph put, FieldReader graph);

  /**
   * {@link #check(Graph, FieldReader)} given what {@link #prepare(Graph)} found for this put on
   * another thread (null when nothing was prepared). Default: ignores it.
   */
  default Verdict check(Graph put, FieldReader graph, Message.@Nullable Prepared prepared) {
    return check(put, graph);
  }

  /**
   * Called with every incoming put on the transport thread that parsed it (so in parallel), before
   * the put reaches the mesh loop: the place for a guard's costly work that needs no graph, such as
   * SEA's signature checks, so that {@link #check} on the loop is quick. Must be thread-safe, must
   * not read the graph, and decides nothing: only {@link #check} does. Returns what the check will
   * need of this work, or null. Default: nothing.
   */
  default Message.@Nullable Prepared prepare(Graph put) {
    return null;
  }

  /**
   * {@link #prepare(Graph)} for every put of a parsed frame: the frame whose put messages carry
   * what was prepared. A failure is logged and left for {@link #check} to decide.
   */
  default Frame prepare(Frame frame) {
    List<Message> out = null;
    List<Message> messages = frame.messages();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      Graph put = m.put();
      if (put == null) {
        continue;
      }
      Message.Prepared p;
      try {
        p = prepare(put);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(PutGuard.class).debug("the put guard could not prepare {}: {}", m.id(), e.toString());
        continue;
      }
      if (p != null) {
        if (out == null) {
          out = new ArrayList<>(messages);
        }
        out.set(i, m.withPrepared(p));
      }
    }
    return out == null ? frame : new Frame(out, frame.error(), frame.skipped());
  }

  /**
   * Why {@code m}'s put is refused, or null when it may be written: {@link #check}'s verdict, given
   * what was prepared for the message; a guard that throws refuses (logged) rather than letting
   * the write through.
   */
  default @Nullable Reject refusal(Message m, FieldReader graph) {
    Graph put = Objects.requireNonNull(m.put(), "a message without a put");
    return refusal(put, graph, m.prepared());
  }

  /** {@link #refusal(Message, FieldReader)} of a put with nothing prepared (a local write). */
  default @Nullable Reject refusal(Graph put, FieldReader graph) {
    return refusal(put, graph, null);
  }

  private @Nullable Reject refusal(Graph put, FieldReader graph, Message.@Nullable Prepared prepared) {
    Verdict v;
    try {
      v = check(put, graph, prepared);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(PutGuard.class).error("the put guard failed; refusing the write", e);
      return new Reject(null, null, CHECK_FAILED);
    }
    return v instanceof Reject r ? r : null;
  }

  /** The reason given when a guard throws instead of answering. */
  String CHECK_FAILED = "Error: write check failed.";

  /** Read access to the current graph (for certificates, block lists, existing nodes). */
  @FunctionalInterface
  interface FieldReader {
    /** One field, or null. */
    @Nullable Field field(String soul, String key);

    /**
     * The whole node {@code soul} as stored, or null when it is absent or this reader cannot read
     * whole nodes (the default). Costlier than {@link #field}: a guard reads it only when a check
     * needs it (a cap on a node's size).
     */
    default @Nullable Node node(String soul) {
      return null;
    }
  }

  /**
   * This guard, then {@code next}: a put passes when both accept it; this guard's refusal is the
   * one reported when both refuse. Only this guard prepares; {@code next} checks with nothing
   * prepared.
   */
  default PutGuard then(PutGuard next) {
    Objects.requireNonNull(next, "next");
    PutGuard first = this;
    return new PutGuard() {
      @Override
      public Verdict check(Graph put, FieldReader graph) {
        return check(put, graph, null);
      }

      @Override
      public Verdict check(Graph put, FieldReader graph, Message.@Nullable Prepared prepared) {
        Verdict v = first.check(put, graph, prepared);
        return v instanceof Reject ? v : next.check(put, graph, null);
      }

      @Override
      public Message.@Nullable Prepared prepare(Graph put) {
        return first.prepare(put);
      }
    };
  }

  /** The outcome of a check. */
  sealed interface Verdict permits Accept, Reject {}

  /** The whole put may be written. */
  record Accept() implements Verdict {}

  /**
   * The put is refused: {@code soul} and {@code key} name the first refused field, or are null
   * when the put is refused as a whole; {@code reason} goes back to the writer as the ack's {@code
   * err}, exactly (peers match on it).
   */
  record Reject(@Nullable String soul, @Nullable String key, String reason) implements Verdict {
    public Reject {
      Objects.requireNonNull(reason, "reason");
      if ((soul == null) != (key == null)) {
        throw new IllegalArgumentException("a refused field needs both its soul and its key");
      }
    }
  }

  /** The accepting verdict. */
  Verdict ACCEPT = new Accept();

  /** Refuses the put as a whole. */
  static Verdict reject(String reason) {
    return new Reject(null, null, reason);
  }

  /** Refuses the put because of its field {@code soul}.{@code key}. */
  static Verdict reject(String soul, String key, String reason) {
    return new Reject(soul, key, reason);
  }
}
