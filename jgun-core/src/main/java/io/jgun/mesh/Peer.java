package io.jgun.mesh;

import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * The mesh's state for one connection. Confined to the mesh loop, except the count of pending
 * frames, which the transport's threads increment.
 *
 * <p>Kept small: a relay holds one per connection, and idle connections are counted by the
 * thousand. What most peers never need (their subscription set, a random id when they tell us
 * theirs) is made on first use.
 */
final class Peer {
  private static final AtomicIntegerFieldUpdater<Peer> PENDING =
      AtomicIntegerFieldUpdater.newUpdater(Peer.class, "pendingFrames");
  private static final Set<String> NONE = Set.of();

  final Wire wire;
  private final Ids ids;
  /** Our own name for this connection: its URL when we dialed it, else a random id (lazily). */
  private @Nullable String id;
  /** The peer's id from its {@code dam:'?'}, once known. */
  @Nullable String pid;
  /** Received frames handed to the mesh loop and not processed yet. */
  private volatile int pendingFrames;
  /** The batch being collected (Gun.js mesh.say): null while idle. */
  @Nullable StringBuilder batch;
  int batchCount;
  /** Subscription keys this peer holds (see {@link Subscriptions}), to drop them on close. */
  private Set<String> subscriptions = NONE;
  /** The id of the last message sent to this peer (Gun.js peer.last): not sent twice in a row. */
  @Nullable String last;
  /**
   * The fields of pushes this peer was not sent because its outbound queue was over the bound:
   * soul to keys, sent at their latest once the queue drains ({@link PushFanout}); null while none.
   */
  @Nullable Map<String, Set<String>> conflated;
  /** GETs waiting for the store to have room, oldest first; null while none (see Mesh#park). */
  @Nullable ArrayDeque<Message> parkedGets;
  /** True while the transport is told not to read from this peer (too many GETs waiting). */
  boolean readingPaused;
  boolean open = true;
  /** Whether reaching the subscription cap was logged for this connection. */
  boolean subscriptionCapLogged;
  /** This connection's meter ({@link ClientGovernor}); used on the transport's thread only. */
  ClientGovernor.@Nullable Throttle throttle;
  /** Set when a duplicate connection to the same pid made this one redundant. */
  boolean redundant;

  Peer(Wire wire, Ids ids) {
    this.wire = wire;
    this.ids = ids;
    this.id = wire.url();
  }

  /** Our own name for this connection: its URL when we dialed it, else a random id. */
  synchronized String id() {
    String i = id;
    if (i == null) {
      i = ids.random(9);
      id = i;
    }
    return i;
  }

  /** The name other peers know this one by, for {@code ><} (docs/protocol.md §8.23: url || pid || id). */
  String name() {
    String url = wire.url();
    if (url != null) {
      return url;
    }
    String p = pid;
    return p != null ? p : id();
  }

  /** One more frame handed to the loop (any thread); returns how many are pending now. */
  int framePending() {
    return PENDING.incrementAndGet(this);
  }

  /** The loop took up a pending frame. */
  void frameTaken() {
    PENDING.decrementAndGet(this);
  }

  int pendingFrames() {
    return pendingFrames;
  }

  Set<String> subscriptions() {
    return subscriptions;
  }

  /** Adds a subscription key; the set is made on the first one. */
  void addSubscription(String key) {
    if (subscriptions == NONE) {
      subscriptions = new HashSet<>();
    }
    subscriptions.add(key);
  }

  void clearSubscriptions() {
    subscriptions = NONE;
  }

  boolean outbound() {
    return wire.outbound();
  }

  @Override
  public String toString() {
    return LogText.clip(name()) + "@" + wire.remote();
  }
}
