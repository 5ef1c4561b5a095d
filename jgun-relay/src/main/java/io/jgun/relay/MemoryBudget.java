package io.jgun.relay;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A relay's memory budget ({@code --max-memory}, or {@code JGUN_MAX_MEMORY} which {@code bin/jgun}
 * sets): the resident memory the whole process should stay within, and how it is shared out. The
 * launcher sizes the JVM from the same rules (its {@code budget_java_opts}; keep them in step):
 *
 * <ul>
 *   <li>heap ({@code -Xmx}): 45% of the budget, at least 64 MiB;
 *   <li>direct buffers ({@code -XX:MaxDirectMemorySize}, Netty's pools): 1/8;
 *   <li>cached data ({@code --cache-mb} when not given): 1/16, at least 4 MiB; 3/4 of it RocksDB's
 *       block cache (off-heap), 1/4 the field cache (heap);
 *   <li>the largest frame ({@code --max-frame} when not given): 1/64, from 1 MiB to 10 MiB. Frames
 *       are assembled in direct memory, and the WebSocket server lets all connections together
 *       hold half of it for frames being assembled (3 bytes per byte received: the growing buffer
 *       and the copy), so one frame of the largest size always fits (3/64 of the budget within
 *       the 4/64 that half the direct memory is);
 *   <li>RocksDB's memtable ({@code writeBufferBytes}, two at most, off-heap): 1/32, from 4 MiB to
 *       16 MiB;
 *   <li>the bytes queued for sending to one connection (the outbound cap, direct memory): 1/64,
 *       from 1 MiB to 16 MiB: a slow reader is dropped before it holds a large part of the direct
 *       memory;
 *   <li>message ids remembered for deduplication (heap, about 140 bytes each): the heap's bytes /
 *       1024, from 20,000 to 200,000, about 1/7 of the heap;
 *   <li>the serial collector below 512 MiB (G1's own structures cost tens of MiB), G1 from there;
 *   <li>the rest: metaspace and code (~50 MiB), mapped files (the JVM's and RocksDB's libraries,
 *       ~35 MiB resident), thread stacks, RocksDB's memtables and the allocator's slack.
 * </ul>
 *
 * docs/operations-memory.md has what was measured at 256 MiB, 512 MiB and 2 GiB.
 */
record MemoryBudget(long bytes) {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);
  /** Below this a relay cannot hold its own code and a few connections. */
  static final long MIN_BYTES = 128L << 20;

  MemoryBudget {
    if (bytes < MIN_BYTES) {
      throw new IllegalArgumentException("--max-memory must be at least 128m, was " + (bytes >> 20) + "m");
    }
  }

  /** {@code 256m}, {@code 2g}, {@code 512MiB}, {@code 1073741824} (bytes). */
  static MemoryBudget parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--max-memory: not a size: '" + text + "' (examples: 256m, 2g)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-memory: too big: '" + text + "'");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("--max-memory: too big: '" + text + "'");
    }
    return new MemoryBudget(n << shift);
  }

  long heapBytes() {
    return Math.max(64L << 20, bytes * 45 / 100);
  }

  long directBytes() {
    return bytes / 8;
  }

  /** The largest frame accepted: what {@code --max-frame} defaults to under this budget. */
  int maxFrameBytes() {
    return (int) clamp(bytes / 64, 1L << 20, 10L << 20);
  }

  /** RocksDB's memtable size: what the store flushes at (two may exist at once). */
  long writeBufferBytes() {
    return clamp(bytes / 32, 4L << 20, 16L << 20);
  }

  /** The most bytes queued for sending to one connection before it is dropped as too slow. */
  long outboundCapBytes() {
    return clamp(bytes / 64, 1L << 20, 16L << 20);
  }

  /** The most message ids the mesh remembers for deduplication. */
  int dedupMax() {
    return (int) clamp(heapBytes() / 1024, 20_000, 200_000);
  }

  private static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }

  /** The memory for cached data, in MiB: what {@code --cache-mb} defaults to under this budget. */
  long cacheMb() {
    return Math.max(4, (bytes / 16) >> 20);
  }

  boolean serialGc() {
    return bytes < (512L << 20);
  }

  @Override
  public String toString() {
    return (bytes >> 20) + " MiB (heap " + (heapBytes() >> 20) + " MiB, cache " + cacheMb() + " MiB, frames up to " + (maxFrameBytes() >> 10) + " KiB, " + (serialGc() ? "serial GC" : "G1") + ")";
  }
}
