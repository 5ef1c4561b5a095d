package io.jgun.relay;

import io.jgun.mesh.ClientLimits;
import io.jgun.postgres.PgUrl;
import io.jgun.rules.RuleSet;
import io.jgun.rules.RulesFileException;
import io.jgun.store.Durability;
import io.jgun.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
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
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key for wss:// (default: env HTTPS_KEY).", defaultValue = "${env:HTTPS_KEY}")
  @Nullable Path tlsKey;

  @Option(names = "--max-frame", description = "Largest frame accepted, in bytes (default: 1/64 of --max-memory, from 1 MiB up to 10485760; Gun.js allows 90000000).", defaultValue = "0")
  int maxFrame;

  @Option(names = "--max-connections", description = "Most connections held at once (default: ${DEFAULT-VALUE}).", defaultValue = "20000")
  int maxConnections;

  // "pid" is GUN's name for it (the DAM handshake's field), but readers take it for a process id
  @Option(names = {"--peer-id", "--pid"}, paramLabel = "ID", description = "This relay's GUN peer id, sent in the DAM handshake (default: random). --pid is an alias.")
  @Nullable String peerId;

  @Option(names = "--cache-mb", description = "Memory for cached data, in MiB: 3/4 to RocksDB's block cache (off-heap), 1/4 to the recently used fields (heap); the rest of the data stays on disk (default: 1/16 of --max-memory, else " + RelayConfig.DEFAULT_CACHE_MB + ").", defaultValue = "0")
  long cacheMb;

  @Option(
      names = "--max-memory",
      paramLabel = "SIZE",
      description = "The memory budget of the whole process, e.g. 256m or 2g: sizes the caches here (and bin/jgun sizes the heap, direct memory and collector from it). Default: env JGUN_MAX_MEMORY, which bin/jgun sets to 3/4 of the container's memory limit, else half the machine's memory up to 4g.",
      defaultValue = "${env:JGUN_MAX_MEMORY}")
  String maxMemory;

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

  @Option(names = "--static", paramLabel = "DIR", description = "Serve the files of DIR over HTTP on the relay's port (index.html for folders), as Gun.js's examples/http.js serves its folder; /gun stays the WebSocket endpoint, /status the status page.")
  Path staticDir;

  @Option(
      names = "--drain-timeout",
      paramLabel = "SECONDS",
      description = "On SIGTERM or SIGINT, how long writes in flight may take to finish (durable, acked) before connections are closed; /ready answers 503 meanwhile (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int drainTimeoutSeconds;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Access rules checked on every write and read (format: docs/rules.md); the relay does not start if the file has an error.")
  @Nullable Path rules;

  @Option(names = "--limit-messages", description = "Messages one connection may send per second, on average; 0: no limit (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
  double limitMessages;

  @Option(names = "--limit-bytes", description = "Bytes one connection may send per second; 0: no limit (default: ${DEFAULT-VALUE}).", defaultValue = "4194304")
  double limitBytes;

  @Option(names = "--limit-ip-messages", description = "Messages all connections from one IP may send per second (loopback exempt); 0: no limit (default: ${DEFAULT-VALUE}).", defaultValue = "5000")
  double limitIpMessages;

  @Option(names = "--limit-ip-bytes", description = "Bytes all connections from one IP may send per second (loopback exempt); 0: no limit (default: ${DEFAULT-VALUE}).", defaultValue = "16777216")
  double limitIpBytes;

  @Option(names = "--limit-connections-per-ip", description = "Connections open at once from one IP (loopback exempt); 0: no limit (default: ${DEFAULT-VALUE}).", defaultValue = "256")
  int limitConnectionsPerIp;

  @Option(names = "--limit-subscriptions", description = "Souls and fields one connection may subscribe to (default: ${DEFAULT-VALUE}).", defaultValue = "100000")
  int limitSubscriptions;

  @Option(names = "--limit-gets", description = "GETs one connection may have waiting before its reading is paused (default: ${DEFAULT-VALUE}).", defaultValue = "256")
  int limitGets;

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
    if (drainTimeoutSeconds < 0) {
      System.err.println("jgun relay: --drain-timeout must be 0 or more, was " + drainTimeoutSeconds);
      return 2;
    }
    RelayLimits limits;
    try {
      limits =
          new RelayLimits(
              ClientLimits.DEFAULTS.perConnection(limitMessages, limitBytes).perIp(limitIpMessages, limitIpBytes, limitConnectionsPerIp),
              limitSubscriptions,
              limitGets);
    } catch (IllegalArgumentException e) {
      System.err.println("jgun relay: " + e.getMessage());
      return 2;
    }
    RuleSet ruleSet = null;
    if (rules != null) {
      try {
        ruleSet = RuleSet.read(rules);
      } catch (RulesFileException | IOException e) {
        System.err.println("jgun relay: --rules " + e.getMessage());
        return 2;
      }
    }
    RelayConfig config;
    try {
      MemoryBudget budget = maxMemory == null || maxMemory.isBlank() ? null : MemoryBudget.parse(maxMemory);
      if (cacheMb < 0) {
        throw new IllegalArgumentException("--cache-mb must be at least 4, was " + cacheMb);
      }
      long cache = cacheMb > 0 ? cacheMb : budget != null ? budget.cacheMb() : RelayConfig.DEFAULT_CACHE_MB;
      if (maxFrame < 0) {
        throw new IllegalArgumentException("--max-frame must be positive, was " + maxFrame);
      }
      int frame = maxFrame > 0 ? maxFrame : budget != null ? budget.maxFrameBytes() : RelayConfig.DEFAULT_MAX_FRAME_BYTES;
      if (budget != null) {
        org.slf4j.LoggerFactory.getLogger(RelayCommand.class).info("memory budget " + budget + (cacheMb > 0 ? ", --cache-mb " + cacheMb + " given" : ""));
      }
      config =
          new RelayConfig(host, port, memory ? null : data, durability, peers == null ? List.of() : peers.stream().filter(s -> !s.isBlank()).map(String::trim).toList(),
              tlsCert, tlsKey, frame, maxConnections, peerId,
              seaOff ? RelayConfig.SeaMode.OFF : seaStrictGunJs ? RelayConfig.SeaMode.STRICT_GUNJS : RelayConfig.SeaMode.VERIFY,
              cache << 20,
              ioThreads)
              .withStatic(staticDir)
              .withBudget(budget);
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
      relay = Relay.start(config, ruleSet, limits);
    } catch (StoreException | IOException e) {
      // one line naming the path and the problem; no stack trace for an operator's mistake
      System.err.println("jgun relay: " + e.getMessage());
      return 1;
    }
    Duration drain = Duration.ofSeconds(drainTimeoutSeconds);
    // SIGTERM and SIGINT ask for a drain and a clean exit (code 0): handled here rather than in a
    // shutdown hook, which would end the process with 143 however well the drain went.
    StopSignals.onStop(stopped::countDown);
    // any other exit (System.exit elsewhere, a signal not handled) still closes the store
    Runtime.getRuntime().addShutdownHook(new Thread(() -> relay.close(drain), "jgun-shutdown"));
    stopped.await();
    relay.close(drain);
    return 0;
  }
}
