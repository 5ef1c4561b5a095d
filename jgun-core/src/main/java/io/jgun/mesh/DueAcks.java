package io.jgun.mesh;

import io.jgun.engine.GraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Puts of only future fields (a writer whose clock is ahead), waiting for their ack. Gun.js never
 * acks such a put; jgun acks it once all its fields came due and are durable. At most {@link
 * #MAX} wait; past that the oldest is forgotten, and its writer gets no ack, as from Gun.js.
 * Loop only.
 */
final class DueAcks {
  /** The most puts waiting. */
  static final int MAX = 10_000;

  /** Acks a put once {@code durable} completes (with {@code ok}, or the error it failed with). */
  @FunctionalInterface
  interface Acker {
    void ack(Peer peer, String putId, CompletableFuture<Void> durable);
  }

  /** A put whose fields were all deferred, and the latest state among them. */
  private record Waiting(Peer peer, String putId, double maxState) {}

  /** When the earliest field still deferred comes due (epoch ms), or {@link Long#MAX_VALUE}. */
  private final LongSupplier nextDue;
  private final Acker acker;
  /** Hands a completion, on the store's thread, back to the loop. */
  private final Executor toLoop;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  /** When the fields of the latest drain that accepted any are durable. */
  private CompletableFuture<Void> durable = GraphEngine.Merge.DONE;

  DueAcks(LongSupplier nextDue, Acker acker, Executor toLoop) {
    this.nextDue = nextDue;
    this.acker = acker;
    this.toLoop = toLoop;
  }

  /** Remembers a put of only future fields, to ack it when they come due. */
  void await(Peer peer, String putId, Graph put) {
    double max = Double.NEGATIVE_INFINITY;
    for (Node n : put.nodes().values()) {
      for (Field f : n.fields().values()) {
        max = Math.max(max, f.state());
      }
    }
    if (waiting.size() >= MAX) {
      waiting.removeFirst(); // that writer gets no ack, as from Gun.js
    }
    waiting.addLast(new Waiting(peer, putId, max));
  }

  /**
   * Deferred fields came due and were accepted, durable when {@code durable} completes: the store
   * writes in order, so the latest such future covers every earlier one.
   */
  void drained(CompletableFuture<Void> durable) {
    this.durable = durable;
  }

  /**
   * Acks the puts all of whose fields left the deferral queue: their states lie before the
   * earliest field still deferred (whole milliseconds, rounded down: never early).
   */
  void ackDue() {
    long next = nextDue.getAsLong();
    CompletableFuture<Void> d = durable;
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting a = it.next();
      if (next == Long.MAX_VALUE || a.maxState() < next - 1) {
        it.remove();
        if (a.peer().open) {
          if (d.isDone()) {
            acker.ack(a.peer(), a.putId(), d);
          } else {
            d.whenComplete((v, e) -> toLoop.execute(() -> acker.ack(a.peer(), a.putId(), d)));
          }
        }
      }
    }
  }

  /** Puts waiting (for tests). */
  int size() {
    return waiting.size();
  }
}
