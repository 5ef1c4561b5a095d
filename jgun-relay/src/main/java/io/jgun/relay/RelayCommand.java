package io.jgun.relay;

import io.jgun.store.Durability;
import io.jgun.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.jgun.postgres.PgUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jgun relay}: runs a relay that Gun.js browsers and node peers use as they use theirs. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a GUN relay: a WebSocket server at ws://HOST:PORT/gun that Gun.js peers connect to.",
      "Environment: PORT, PEERS (comma-separated), HTTPS_CERT and HTTPS_KEY (PEM files), as Gun.js's examples/http.js.",
      "Exit codes: 1 could not start (one line says why: the data directory, the port, the TLS files), 2 usage."
    })
public final class RelayCommand implements Callable<Integer> {

  @Option(names = "--port", description = "Port to listen on (default: env PORT, else ${DEFAULT-VALUE}).", defaultValue = "${env:PORT:-8765}")
  int port;

  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
  String host;

  @Option(names = "--data", description = "Data directory of the RocksDB store (default: ${DEFAULT-VALUE}).", defaultValue = "jgun-data")
  Path data;

  @Option(names = "--memory", description = "Keep data in memory only (lost on exit); --data is ignored.")
  boolean memory;

  @Option(names = "--durability", description = "When a write is acknowledged: SYNC (after fsync, the default), WAL (written to the log, survives a process crash but not power loss), NONE (in memory until flushed; tests only).", defaultValue = "SYNC")
  Durability durability;

  @Option(names = "--peers", split = ",", description = "Peers to connect to and keep connected, e.g. ws://other:8765/gun (default: env PEERS).", defaultValue = "${env:PEERS}")
  List<String> peers = new ArrayList<>();

  @Option(names = "--tls-cert", description = "PEM certificate chain for wss:// (default: env HTTPS_CERT).", defaultValue = "${env:HTTPS_CERT}")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key for wss:// (default: env HTTPS_KEY).", defaultValue = "${env:HTTPS_KEY}")
  Path tlsKey;

  @Option(names = "--max-frame", description = "Largest frame accepted, in bytes (default: ${DEFAULT-VALUE}; Gun.js allows 90000000).", defaultValue = "10485760")
  int maxFrame;

  @Option(names = "--max-connections", description = "Most connections held at once (default: ${DEFAULT-VALUE}).", defaultValue = "20000")
  int maxConnections;

  // "pid" is GUN's name for it (the DAM handshake's field), but readers take it for a process id
  @Option(names = {"--peer-id", "--pid"}, paramLabel = "ID", description = "This relay's GUN peer id, sent in the DAM handshake (default: random). --pid is an alias.")
  String peerId;

  @Option(names = "--cache-mb", description = "Memory for cached data, in MiB: 3/4 to RocksDB's block cache (off-heap), 1/4 to the recently used fields (heap); the rest of the data stays on disk (default: ${DEFAULT-VALUE}).", defaultValue = "" + RelayConfig.DEFAULT_CACHE_MB)
  long cacheMb;

  @Option(
      names = "--sea-strict-gunjs",
      description = "Accept exactly what Gun.js's SEA accepts, including a value signed by the key it names in \"*\" without a certificate (gotcha G15; off by default).")
  boolean seaStrictGunJs;

  @Option(
      names = "--io-threads",
      description = "Threads serving connections; the mesh runs on one of them, so frames on it need no hand-off (default: 1 on up to 2 cores, else half the cores). Raise it when the jgun-io thread is at 100%% (many SEA checks, many cores).",
      defaultValue = "0")
  int ioThreads;

  @Option(names = "--sea-off", description = "Do not check writes with SEA's firewall at all: anybody may overwrite user data (off by default).")
  boolean seaOff;

  @Option(
      names = "--postgres",
      paramLabel = "URL",
      description = "Serve the graph in the PostgreSQL database at URL (postgresql://USER@HOST:PORT/DB) instead of a local store; every relay given the same URL and schema serves one graph. Password from PGPASSWORD or ~/.pgpass, as psql. Excludes --data and --memory.")
  String postgres;

  @Option(names = "--postgres-schema", paramLabel = "SCHEMA", description = "The schema holding the graph with --postgres (default: ${DEFAULT-VALUE}).", defaultValue = "public")
  String postgresSchema;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RelayConfig config;
    try {
      config =
          new RelayConfig(host, port, memory ? null : data, durability, peers == null ? List.of() : peers.stream().filter(s -> !s.isBlank()).map(String::trim).toList(),
              tlsCert, tlsKey, maxFrame, maxConnections, peerId,
              seaOff ? RelayConfig.SeaMode.OFF : seaStrictGunJs ? RelayConfig.SeaMode.STRICT_GUNJS : RelayConfig.SeaMode.VERIFY,
              cacheMb << 20,
              ioThreads);
      if (postgres != null) {
        if (memory || spec.commandLine().getParseResult().hasMatchedOption("--data")) {
          throw new IllegalArgumentException("--postgres excludes --data and --memory");
        }
        config = config.withPostgres(new RelayConfig.Postgres(PgUrl.parse(postgres), postgresSchema));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("jgun relay: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Relay relay;
    try {
      relay = Relay.start(config);
    } catch (StoreException | IOException e) {
      // one line naming the path and the problem; no stack trace for an operator's mistake
      System.err.println("jgun relay: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  relay.close();
                  stopped.countDown();
                },
                "jgun-shutdown"));
    stopped.await();
    return 0;
  }
}
