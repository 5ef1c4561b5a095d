package io.jgun.mesh;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The mesh's state for one connection. Confined to the mesh loop, except {@link #pendingFrames},
 * which the transport's threads increment.
 */
final class Peer {
  final Wire wire;
  /** Our own name for this connection: its URL when we dialed it, else a random id. */
  final String id;
  /** The peer's id from its {@code dam:'?'}, once known. */
  @Nullable String pid;
  /** Received frames handed to the mesh loop and not processed yet. */
  final AtomicInteger pendingFrames = new AtomicInteger();
  /** The batch being collected (Gun.js mesh.say): null while idle. */
  @Nullable StringBuilder batch;
  int batchCount;
  /** Subscription keys this peer holds (see {@link Subscriptions}), to drop them on close. */
  final Set<String> subscriptions = new HashSet<>();
  /** The id of the last message sent to this peer (Gun.js peer.last): not sent twice in a row. */
  @Nullable String last;
  boolean open = true;
  /** Set when a duplicate connection to the same pid made this one redundant. */
  boolean redundant;

  Peer(Wire wire, String id) {
    this.wire = wire;
    this.id = id;
  }

  /** The name other peers know this one by, for {@code ><} (spec §8.23: url || pid || id). */
  String name() {
    String url = wire.url();
    if (url != null) {
      return url;
    }
    return pid != null ? pid : id;
  }

  boolean outbound() {
    return wire.outbound();
  }

  @Override
  public String toString() {
    return name() + "@" + wire.remote();
  }
}
