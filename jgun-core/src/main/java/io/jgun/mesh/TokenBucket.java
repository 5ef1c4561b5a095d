package io.jgun.mesh;

/**
 * A rate as a token bucket: {@code rate} tokens a second, at most {@code rate × burst} saved up;
 * taking more than there are runs into debt, and {@link #take} says how long the debt takes to
 * repay. A rate of 0 is no limit. Not thread-safe: a connection's bucket is used on its I/O thread
 * only; an IP's is used under its lock.
 */
final class TokenBucket {
  private final double rate;
  private final double capacity;
  private double tokens;
  private long at;

  TokenBucket(double rate, double burstSeconds, long nowNanos) {
    this.rate = rate;
    this.capacity = rate * burstSeconds;
    this.tokens = capacity;
    this.at = nowNanos;
  }

  /** Takes {@code n} tokens; returns the nanoseconds until the bucket is out of debt (0: none). */
  long take(double n, long nowNanos) {
    if (rate <= 0) {
      return 0;
    }
    long elapsed = nowNanos - at;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * rate / 1e9);
      at = nowNanos;
    }
    tokens -= n;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / rate * 1e9);
  }
}
