package io.jgun.graph;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link MemoryGraph} merge did with each incoming field (docs/protocol.md §2.2).
 *
 * <p>{@link #accepted()} is the diff to act on: store it, push it to subscribers and, if it is not
 * empty, ack the put (Gun.js sends no ack for a put that changed nothing or was all deferred).
 * {@link #deferred()} lists the future fields now held until due; {@link #refused()} the future
 * fields the deferral queue would not hold (to log and count); the rest were dropped by HAM and are
 * only counted.
 *
 * @param accepted the fields that were stored, with the state and value stored
 * @param deferred the future fields held for later, with their due time
 * @param refused the future fields dropped because the deferral queue refused them
 * @param droppedHistorical how many fields were older than the held ones
 * @param droppedSame how many fields had the held state and a value whose text was not greater
 */
public record MergeResult(
    Graph accepted,
    List<Deferrals.Entry> deferred,
    List<Refused> refused,
    int droppedHistorical,
    int droppedSame) {

  /** A merge that changed nothing. */
  public static final MergeResult EMPTY = new MergeResult(Graph.empty(), List.of(), List.of(), 0, 0);

  public MergeResult {
    Objects.requireNonNull(accepted, "accepted");
    deferred = List.copyOf(deferred);
    refused = List.copyOf(refused);
  }

  /** A future field the deferral queue refused, and why. */
  public record Refused(String soul, String key, Field field, Deferrals.Offer reason) {
    public Refused {
      Objects.requireNonNull(soul, "soul");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Whether any field was stored. */
  public boolean anyAccepted() {
    return !accepted.isEmpty();
  }

  /** How many fields were stored. */
  public int acceptedCount() {
    return accepted.fieldCount();
  }
}
