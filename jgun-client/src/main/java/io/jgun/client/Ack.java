package io.jgun.client;

import io.jgun.json.Json;
import org.jspecify.annotations.Nullable;

/**
 * The acknowledgement of a write.
 *
 * @param soul the soul the write was filed under (for {@link Chain#set}, the new item's soul)
 * @param peer the URL of the peer that acknowledged, or null when the local store did
 * @param ok what the acknowledger said in {@code ok} (a relay's storage result, e.g. {@code true}
 *     or {@code 1}); {@code true} for a local acknowledgement
 */
public record Ack(String soul, @Nullable String peer, Json ok) {

  /** True when the local store, not a peer, acknowledged the write. */
  public boolean local() {
    return peer == null;
  }
}
