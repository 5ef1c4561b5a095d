package io.jgun.netty;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The memory all of a server's connections may hold for inbound messages still being assembled,
 * shared by them. A connection receiving a large message holds its bytes in a buffer that grows
 * by doubling, and a copy of the whole message once it is complete: up to three times the message
 * (see {@link #FACTOR}). Netty's buffers are direct memory, capped by {@code
 * -XX:MaxDirectMemorySize} (32 MiB under a 256 MiB budget), so many connections each assembling a
 * multi-megabyte message at once would fail allocations at random, a well-behaved peer's included.
 * With this cap the connection whose message would pass it is refused instead (1009, "Message too
 * big!"), and the memory stays within the cap. Netty's pooling allocator keeps whole chunks while
 * any buffer in them lives, so what the JVM has reserved can be well above what the buffers hold:
 * a message is also refused when its growth would leave less than {@link #HEADROOM_SHARE} of the
 * JVM's direct memory free (reads, acks and replies need it). Small messages are never refused: a
 * connection holding at most {@link #SMALL_BYTES} is counted but always let through. Thread-safe.
 */
final class FrameAssembly {

  /** The direct memory a message of n bytes may take while it is assembled: see the class. */
  static final int FACTOR = 3;

  /** What one connection may hold without being refused: ordinary frames are well below it. */
  static final long SMALL_BYTES = 256 * 1024;

  /** The share of the JVM's direct memory a message's growth must leave free (1/8). */
  static final int HEADROOM_SHARE = 8;

  private static final @Nullable BufferPoolMXBean DIRECT_POOL =
      ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct"))
          .findFirst()
          .orElse(null);

  private final long capBytes;
  private final AtomicLong held = new AtomicLong();
  /** The direct memory the JVM has reserved now, in bytes. */
  private final LongSupplier directUsed;
  /** The most it may reserve, less the headroom. */
  private final long directUsable;

  FrameAssembly(long capBytes) {
    this(capBytes, FrameAssembly::jvmDirectUsed, maxDirectMemory());
  }

  FrameAssembly(long capBytes, LongSupplier directUsed, long directLimit) {
    if (capBytes < 1) {
      throw new IllegalArgumentException("assembly cap must be positive: " + capBytes);
    }
    this.capBytes = capBytes;
    this.directUsed = directUsed;
    this.directUsable = directLimit - directLimit / HEADROOM_SHARE;
  }

  /**
   * The direct memory in use: what the JVM counts against {@code -XX:MaxDirectMemorySize} (Netty's
   * buffers when they are made with a cleaner), or what Netty counts itself (when it is not).
   */
  private static long jvmDirectUsed() {
    BufferPoolMXBean pool = DIRECT_POOL;
    return Math.max(pool == null ? 0 : pool.getMemoryUsed(), PlatformDependent.usedDirectMemory());
  }

  /**
   * The default cap: half of the direct memory the JVM allows ({@code -XX:MaxDirectMemorySize},
   * by default the heap's maximum), leaving the other half to reads, writes and the pools.
   */
  static long defaultCap() {
    return Math.max(SMALL_BYTES, maxDirectMemory() / 2);
  }

  private static long maxDirectMemory() {
    return PlatformDependent.maxDirectMemory(); // Netty's reading of -XX:MaxDirectMemorySize
  }

  long capBytes() {
    return capBytes;
  }

  /** Bytes held by all connections now. */
  long held() {
    return held.get();
  }

  /**
   * A connection that holds {@code from} bytes wants to hold {@code to}: true (and counted) if it
   * may, false (nothing counted) if {@code to} is more than {@link #SMALL_BYTES} and the growth
   * would pass the cap or leave too little direct memory free. Shrinking always succeeds.
   */
  boolean resize(long from, long to) {
    long delta = to - from;
    if (delta <= 0 || to <= SMALL_BYTES) {
      held.addAndGet(delta);
      return true;
    }
    if (directUsed.getAsLong() + delta > directUsable) {
      return false;
    }
    while (true) {
      long now = held.get();
      if (now + delta > capBytes) {
        return false;
      }
      if (held.compareAndSet(now, now + delta)) {
        return true;
      }
    }
  }
}
