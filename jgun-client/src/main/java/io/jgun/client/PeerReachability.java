package io.jgun.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Which configured peers failed their latest dial, and when that deserves a warning: the first
 * failure of an outage, then at most once per {@code warnEvery} while it lasts, so that a wrong URL
 * is visible at once without a line per retry. Confined to the client loop.
 */
final class PeerReachability {
  /** Since when and how often a peer has failed to connect; removed once it connects. */
  private static final class Outage {
    String reason;
    int attempts;
    long lastWarnNanos;

    Outage(String reason, long now) {
      this.reason = reason;
      this.lastWarnNanos = now;
    }
  }

  private final LongSupplier nanos;
  private final long warnEveryNanos;
  private final Map<String, Outage> outages = new HashMap<>();

  PeerReachability(LongSupplier nanos, Duration warnEvery) {
    this.nanos = nanos;
    this.warnEveryNanos = warnEvery.toNanos();
  }

  /** Records that dialing {@code url} failed; returns whether to warn about it now. */
  boolean failed(String url, String reason) {
    long now = nanos.getAsLong();
    Outage o = outages.get(url);
    if (o == null) {
      o = new Outage(reason, now);
      o.attempts = 1;
      outages.put(url, o);
      return true;
    }
    o.reason = reason;
    o.attempts++;
    if (now - o.lastWarnNanos >= warnEveryNanos) {
      o.lastWarnNanos = now;
      return true;
    }
    return false;
  }

  /** Records that {@code url} connected; returns how many attempts had failed before (0: none). */
  int reached(String url) {
    Outage o = outages.remove(url);
    return o == null ? 0 : o.attempts;
  }

  /** How many dials of {@code url} failed in a row so far. */
  int attempts(String url) {
    Outage o = outages.get(url);
    return o == null ? 0 : o.attempts;
  }

  /** Why the latest dial of {@code url} failed, or null when it did not (or it connected since). */
  @Nullable String failure(String url) {
    Outage o = outages.get(url);
    return o == null ? null : o.reason;
  }
}
