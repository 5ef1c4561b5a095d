package io.jgun.mesh;

import java.util.concurrent.atomic.LongAdder;

/**
 * How long accepted puts took from arrival to their ack (sent once durable), as
 * counts in power-of-two buckets of microseconds: cheap to record from any thread, and two
 * snapshots subtracted give the distribution of any window (the status page's p50/p99).
 */
public final class AckTimes {
  /** Bucket i counts times below 2^i µs; the last bucket counts everything longer. */
  public static final int BUCKETS = 26;

  private final LongAdder[] counts = new LongAdder[BUCKETS];

  AckTimes() {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Records one put that took {@code nanos}. */
  public void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    int bucket = 64 - Long.numberOfLeadingZeros(micros); // 0 µs -> 0, 1 -> 1, 2..3 -> 2, ...
    counts[Math.min(bucket, BUCKETS - 1)].increment();
  }

  /** The counts so far, bucket by bucket. */
  public long[] snapshot() {
    long[] s = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      s[i] = counts[i].sum();
    }
    return s;
  }

  /**
   * The upper bound in microseconds of the bucket holding quantile {@code q} (0..1) of {@code
   * counts}, or -1 when they are all zero.
   */
  public static long quantileMicros(long[] counts, double q) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return 1L << i;
      }
    }
    return 1L << (counts.length - 1);
  }
}
