package io.jgun.mesh;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what a mesh did, for operators: read by the relay's metrics (Micrometer) and logs.
 * Cheap to update from any thread.
 */
public final class MeshStats {
  /** Text frames received. */
  public final LongAdder framesIn = new LongAdder();
  /** Frames rejected as a whole (not JSON, too big, too deep, too many messages). */
  public final LongAdder framesRejected = new LongAdder();
  /** Messages received (after splitting arrays). */
  public final LongAdder messagesIn = new LongAdder();
  /** Messages dropped as duplicates (by {@code #} or by {@code @}+{@code ##}). */
  public final LongAdder duplicates = new LongAdder();
  /** Text frames sent (a batch array counts once). */
  public final LongAdder framesOut = new LongAdder();
  /** Put messages with at least one accepted field. */
  public final LongAdder putsAccepted = new LongAdder();
  /** Put messages rejected because their graph is invalid (docs/protocol.md §3.3). */
  public final LongAdder putsInvalid = new LongAdder();
  /** Put messages (and replies carrying data) refused by the put guard, e.g. SEA's firewall. */
  public final LongAdder putsForbidden = new LongAdder();
  /** Put messages that changed nothing (every field the same or older). */
  public final LongAdder putsNoop = new LongAdder();
  /** Accepted writes the store failed to make durable (their writers got an {@code err} ack). */
  public final LongAdder writesFailed = new LongAdder();
  /** GETs the graph engine failed to read (the asker got an {@code err} reply). */
  public final LongAdder readsFailed = new LongAdder();
  /** Connections closed at once: their IP had too many open (docs/operations-limits.md). */
  public final LongAdder connectionsRefused = new LongAdder();
  /** Frames after which a client over its rate had its reading paused. */
  public final LongAdder clientsSlowed = new LongAdder();
  /** Clients told to slow down ({@code dam:'!'}) after staying over their rate. */
  public final LongAdder clientsTold = new LongAdder();
  /** Clients disconnected after staying over their rate too long. */
  public final LongAdder clientsDisconnected = new LongAdder();
  /** Subscriptions not made: the peer was at its cap. */
  public final LongAdder subscriptionsRefused = new LongAdder();
  /** GETs the read guard refused (answered with its {@code err}). */
  public final LongAdder readsForbidden = new LongAdder();
  /** Fields deferred because their state is in the future. */
  public final LongAdder fieldsDeferred = new LongAdder();
  /** Future fields refused because the deferral queue is full or too far ahead. */
  public final LongAdder deferralsRefused = new LongAdder();
  /** Fields accepted (written). */
  public final LongAdder fieldsAccepted = new LongAdder();
  /** GETs answered with data from this peer's graph. */
  public final LongAdder getsFound = new LongAdder();
  /** GETs answered not-found. */
  public final LongAdder getsNotFound = new LongAdder();
  /** GETs that waited for the store to have room (a burst of reads queues rather than fails). */
  public final LongAdder getsQueued = new LongAdder();
  /** Times a peer's reading was paused because too many of its GETs were waiting. */
  public final LongAdder readingPaused = new LongAdder();
  /** GET messages forwarded to other peers (one per peer sent to). */
  public final LongAdder getsForwarded = new LongAdder();
  /** Push messages sent to subscribed peers (one per accepted put and subscriber). */
  public final LongAdder pushes = new LongAdder();
  /**
   * Pushes not sent to a subscriber whose outbound queue was over its bound: the latest state of
   * their fields is sent once it drains (backpressure; docs/compatibility.md).
   */
  public final LongAdder pushesConflated = new LongAdder();
  /** Replies and acks routed back to the peer that asked. */
  public final LongAdder repliesRouted = new LongAdder();
  /** Replies and acks dropped: nobody asked, or the asker already had the answer. */
  public final LongAdder repliesDropped = new LongAdder();
  /** Peers disconnected because they sent faster than they were served or read too slowly. */
  public final LongAdder peersDropped = new LongAdder();
  /** Connections opened. */
  public final LongAdder connectionsOpened = new LongAdder();
  /** Connections closed. */
  public final LongAdder connectionsClosed = new LongAdder();
  /** Time from an accepted put's arrival to its write being durable (its ack). */
  public final AckTimes ackTimes = new AckTimes();
}
