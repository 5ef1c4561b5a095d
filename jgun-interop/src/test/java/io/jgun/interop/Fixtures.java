package io.jgun.interop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Small helpers shared by the interop tests. */
final class Fixtures {

  private Fixtures() {}

  /** Closes each (null allowed), in order, even when an earlier one fails; rethrows the first failure. */
  static void closeAll(@Nullable AutoCloseable... resources) {
    RuntimeException first = null;
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing " + r + " failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A soul prefix no other test (or earlier run against the same data) uses. */
  static String uniquePrefix(String name) {
    return name + "/" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "/";
  }

  /**
   * Proves the relay still serves ordinary clients: {@code writer} writes a fresh node and
   * {@code reader} reads it back, each step within {@code within}.
   */
  static void assertServes(Relay relay, GunJsClient writer, GunJsClient reader, Duration within) {
    String soul = uniquePrefix("jgun-interop/served") + "node";
    long start = System.nanoTime();
    Ack ack = writer.put(List.of(soul), Json.obj("v", 42, "s", "still here"), within);
    if (!ack.isOk()) {
      throw new AssertionError("put not acknowledged: " + ack + "\n" + relay.diagnostics());
    }
    GunEvent read = reader.once(List.of(soul), within);
    if (!read.found() || !read.has("v", 42)) {
      throw new AssertionError(reader.name() + " read " + read + " instead of the node " + writer.name()
          + " wrote\n" + relay.diagnostics());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (took.compareTo(within) > 0) {
      throw new AssertionError("serving a put and a read took " + took.toMillis() + " ms (limit "
          + within.toMillis() + " ms)\n" + relay.diagnostics());
    }
  }
}
