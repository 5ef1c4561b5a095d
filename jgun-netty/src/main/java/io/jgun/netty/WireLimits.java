package io.jgun.netty;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The per-connection limits shared by the server and the dialer.
 *
 * @param maxFrameBytes the largest inbound message (one frame, or fragments aggregated) in bytes
 * @param outboundCapBytes the most bytes queued for sending (ours plus Netty's outbound buffer)
 * @param closeTimeout how long to wait for the peer's close frame before dropping the connection
 * @param idleTimeout close a connection that neither read nor wrote for this long; null = never
 */
record WireLimits(
    int maxFrameBytes,
    long outboundCapBytes,
    Duration closeTimeout,
    @Nullable Duration idleTimeout) {

  /** The largest frame limit accepted: Gun.js's own default is 90 million characters. */
  static final int MAX_FRAME_LIMIT = 1 << 30;

  static final int DEFAULT_MAX_FRAME_BYTES = 10 * 1024 * 1024;
  static final long DEFAULT_OUTBOUND_CAP_BYTES = 16L * 1024 * 1024;
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(1);

  static int checkMaxFrameBytes(int bytes) {
    if (bytes < 1 || bytes > MAX_FRAME_LIMIT) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be in [1, " + MAX_FRAME_LIMIT + "]: " + bytes);
    }
    return bytes;
  }

  static long checkOutboundCap(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("outboundCapBytes must be positive: " + bytes);
    }
    return bytes;
  }

  static Duration checkPositive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }
}
