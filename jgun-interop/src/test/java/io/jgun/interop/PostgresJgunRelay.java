package io.jgun.interop;

import io.jgun.postgres.PgUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A jgun relay serving a PostgreSQL schema: {@code bin/jgun relay --port P --postgres URL
 * --postgres-schema S}, started from the repository root and ready when it logs its
 * {@code ws://0.0.0.0:P/gun}. Several of them on one schema serve one graph.
 */
final class PostgresJgunRelay extends ProcessRelay {

  private PostgresJgunRelay(RelayOptions options) {
    super(RelayKind.JGUN, options);
  }

  static PostgresJgunRelay start(int port, PgUrl url, String schema) {
    return start(List.of(), port, url, schema);
  }

  /**
   * Starts the relay with {@code prefix} before its command line (e.g. {@code ip netns exec NS} to
   * run it in a network namespace).
   */
  static PostgresJgunRelay start(List<String> prefix, int port, PgUrl url, String schema) {
    PostgresJgunRelay relay = new PostgresJgunRelay(new RelayOptions(port, List.of(), null));
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(JgunRelay.launcher().toString(), "relay", "--port", Integer.toString(port),
        "--postgres", "postgresql://" + url.user() + "@" + url.host() + ":" + url.port() + "/" + url.database(),
        "--postgres-schema", schema));
    String listening = "ws://0.0.0.0:" + port + "/gun";
    relay.launch("jgun-pg-relay:" + port, command, InteropEnvironment.repoRoot(), Map.of("JGUN_NO_BUILD", "1"),
        line -> line.contains(listening), Duration.ofSeconds(Long.getLong("jgun.interop.jgun.firstStartSeconds", 300)));
    return relay;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
  void kill() {
    ProcessHandle.of(process().pid()).ifPresent(ProcessHandle::destroyForcibly);
  }
}
