package io.jgun.interop;

import io.jgun.client.Gun;
import io.jgun.graph.StateClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Java clients (jgun-client) of an interop test class: connected to its relay, their states
 * as the other interop tests run them ({@link RelayKind#clientClockDriftMs}), closed after each
 * test ({@link #closeAll}).
 */
final class JavaClients {
  /** How long a test waits for one step (a connection, an ack, a read). */
  static final long WAIT_S = 40;

  private final List<Gun> clients = new ArrayList<>();

  /** A new client of {@code relay}, once connected. */
  Gun connect(Relay relay, RelayKind kind) throws Exception {
    Gun g = Gun.builder()
        .peers(relay.url())
        .readTimeout(Duration.ofSeconds(5))
        .clock(new StateClock(() -> System.currentTimeMillis() + kind.clientClockDriftMs()))
        .build();
    clients.add(g);
    g.whenConnected().get(WAIT_S, TimeUnit.SECONDS);
    return g;
  }

  /** Closes every client made since the last call. */
  void closeAll() {
    clients.forEach(Gun::close);
    clients.clear();
  }

  /** The future's value, waiting at most {@link #WAIT_S}. */
  static <T> T join(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_S, TimeUnit.SECONDS);
  }

  /** A fresh alias: {@code prefix-who-random}. */
  static String alias(String prefix, String who) {
    return prefix + "-" + who + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  }
}
