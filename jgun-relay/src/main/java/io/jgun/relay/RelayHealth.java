package io.jgun.relay;

import io.jgun.netty.HttpRoute;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a load balancer asks a relay: {@code GET /health} (the process is alive and serving HTTP:
 * always 200) and {@code GET /ready} (send it clients: 200 only once start-up is done, while the
 * store takes writes, and never during shutdown, when it answers 503).
 *
 * <p>"The store takes writes" is judged by the store's own failures: a write that failed to become
 * durable since the previous probe makes that probe answer 503, so a full disk or a store gone
 * read-only takes the relay out of rotation one probe later and puts it back once writes succeed.
 * A store on a database also says when its reads found the database unreachable (PostgreSQL down):
 * the relay answers 503 from then until the store's probe connects again.
 */
final class RelayHealth {
  /** The relay's lifecycle as {@code /ready} reports it. */
  enum Phase {
    /** The store is opening, the server not yet wired to the mesh. */
    STARTING,
    /** Serving. */
    READY,
    /** Shutting down: no new connections or writes; in-flight writes finish. */
    DRAINING
  }

  private volatile Phase phase = Phase.STARTING;
  private final LongSupplier writeFailures;
  private final Supplier<@Nullable String> storeDown;
  private final AtomicLong failuresSeen = new AtomicLong();

  /** {@code writeFailures}: the count of writes the store failed to make durable. */
  RelayHealth(LongSupplier writeFailures) {
    this(writeFailures, () -> null);
  }

  /**
   * {@code storeDown}: why the store cannot be reached now (a database that does not answer), or
   * null; checked on every probe, so no write needs to fail first.
   */
  RelayHealth(LongSupplier writeFailures, Supplier<@Nullable String> storeDown) {
    this.writeFailures = writeFailures;
    this.storeDown = storeDown;
    failuresSeen.set(writeFailures.getAsLong());
  }

  Phase phase() {
    return phase;
  }

  void started() {
    if (phase == Phase.STARTING) {
      phase = Phase.READY;
    }
  }

  void draining() {
    phase = Phase.DRAINING;
  }

  /** The reason the relay is not ready, or null when it is. */
  @Nullable String notReady() {
    Phase p = phase;
    if (p != Phase.READY) {
      return p == Phase.STARTING ? "starting" : "shutting down";
    }
    String down = storeDown.get();
    if (down != null) {
      return down;
    }
    long now = writeFailures.getAsLong();
    long before = failuresSeen.getAndSet(now);
    return now > before ? "the store failed " + (now - before) + " writes since the last probe" : null;
  }

  HttpRoute route() {
    return req -> {
      switch (req.path()) {
        case "/health":
          return HttpRoute.Reply.text(200, "alive\n").withHeader("Cache-Control", "no-store");
        case "/ready":
          String why = notReady();
          return (why == null ? HttpRoute.Reply.text(200, "ready\n") : HttpRoute.Reply.text(503, "not ready: " + why + "\n"))
              .withHeader("Cache-Control", "no-store");
        default:
          return null;
      }
    };
  }
}
