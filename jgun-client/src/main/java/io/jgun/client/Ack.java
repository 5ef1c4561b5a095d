package io.jgun.client;

import io.jgun.json.Json;
import org.jspecify.annotations.Nullable;

/**
 * The acknowledgement of a write.
 *
 * <p>A relay sends no acknowledgement for a put that changes nothing (it already holds those
 * fields at those states). So when a write reached a peer but the peer's acknowledgement was lost
 * (a disconnect, or a crash before the journal recorded it), the re-sent write is never
 * acknowledged. To settle such writes, on every (re)connection the client also reads back, from
 * that peer, the fields of each write it had already sent (and, while connected, those of a write
 * whose ack timeout passed, whose future has failed by then); when the peer holds every field of the
 * write at the written state or a newer one (at the same state: the same value, or one that wins
 * HAM against it), the write counts as acknowledged by that peer, with {@link #confirmedByRead()}
 * true.
 *
 * @param soul the soul the write was filed under (for {@link Chain#set}, the new item's soul)
 * @param peer the URL of the peer that acknowledged, or null when the local store did
 * @param ok what the acknowledger said in {@code ok} (a relay's storage result, e.g. {@code true}
 *     or {@code 1}); {@code true} for a local acknowledgement and for one confirmed by a read
 * @param confirmedByRead true when no acknowledgement came but a read showed that {@code peer}
 *     already holds the write, or something newer in its place (see above)
 */
public record Ack(String soul, @Nullable String peer, Json ok, boolean confirmedByRead) {

  /** An acknowledgement the acknowledger sent ({@link #confirmedByRead()} false). */
  public Ack(String soul, @Nullable String peer, Json ok) {
    this(soul, peer, ok, false);
  }

  /** True when the local store, not a peer, acknowledged the write. */
  public boolean local() {
    return peer == null;
  }
}
