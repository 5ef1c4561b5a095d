package io.jgun.dam;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before dialing a lost peer again: exponential backoff with jitter. The first
 * wait is about {@code min}, each failed dial doubles it up to {@code max}, and a connection that
 * opens starts again from {@code min}. Each wait is the current backoff times a factor drawn
 * uniformly from [0.5, 1.5), so that peers cut off together (a relay restarting under a thousand
 * clients) do not all come back in the same millisecond.
 *
 * <p>The policy is immutable and may be shared; the state of one peer's dialing is a {@link
 * Backoff}, confined to the loop that dials. The randomness is injected: a test passes a seeded
 * generator and gets the same waits every run.
 */
public final class ReconnectPolicy {
  /** Never drawn from: a fixed policy has no jitter. */
  private static final RandomGenerator NO_JITTER = () -> 0L;

  private final long minMillis;
  private final long maxMillis;
  private final boolean jitter;
  private final RandomGenerator random;

  private ReconnectPolicy(long minMillis, long maxMillis, boolean jitter, RandomGenerator random) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.jitter = jitter;
    this.random = random;
  }

  /**
   * Backoff from {@code min} doubling to {@code max}, with jitter from {@code random}.
   *
   * @throws IllegalArgumentException if {@code min} is negative or {@code max} is below it
   */
  public static ReconnectPolicy exponential(Duration min, Duration max, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    long lo = min.toMillis();
    long hi = max.toMillis();
    if (lo < 0) {
      throw new IllegalArgumentException("reconnect min must not be negative: " + min);
    }
    if (hi < lo) {
      throw new IllegalArgumentException("reconnect max " + max + " is below min " + min);
    }
    return new ReconnectPolicy(lo, hi, true, random);
  }

  /**
   * The same wait every time, without jitter: for a client that dials one relay and wants its
   * reconnect time predictable.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static ReconnectPolicy fixed(Duration delay) {
    long ms = delay.toMillis();
    if (ms < 0) {
      throw new IllegalArgumentException("reconnect delay must not be negative: " + delay);
    }
    return new ReconnectPolicy(ms, ms, false, NO_JITTER);
  }

  /** The state of dialing one peer, starting at the minimum. */
  public Backoff backoff() {
    return new Backoff();
  }

  /** The first backoff, before jitter, in milliseconds. */
  public long minMillis() {
    return minMillis;
  }

  /** The largest backoff, before jitter, in milliseconds. */
  public long maxMillis() {
    return maxMillis;
  }

  /** The dialing of one peer: the backoff grows with each failure and resets on a connection. */
  public final class Backoff {
    private long backoff = minMillis;
    private int attempts;

    private Backoff() {}

    /**
     * The wait before the next dial, in milliseconds (at least 1), and the backoff doubled for the
     * one after.
     */
    public long nextDelayMillis() {
      long wait = jitter ? (long) (backoff * (0.5 + random.nextDouble())) : backoff;
      backoff = Math.min(backoff * 2, maxMillis);
      return Math.max(wait, 1);
    }

    /** A dial is starting: counted, for logs. */
    public int attempt() {
      return ++attempts;
    }

    /** Dials started since the last connection. */
    public int attempts() {
      return attempts;
    }

    /** The peer is connected: the next loss waits the minimum again. */
    public void reset() {
      backoff = minMillis;
      attempts = 0;
    }
  }
}
