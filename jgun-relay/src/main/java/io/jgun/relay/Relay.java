package io.jgun.relay;

import io.jgun.graph.StateClock;
import io.jgun.mesh.GraphEngine;
import io.jgun.mesh.MemoryGraphEngine;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.netty.HttpRoute;
import io.jgun.netty.WebSocketDialer;
import io.jgun.netty.WebSocketServer;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Store;
import io.jgun.store.StoreException;
import io.jgun.store.StoreGraphEngine;
import io.jgun.wire.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the WebSocket server, the dialer for outbound peers and the mesh between them.
 * {@link #close()} stops it (idempotent).
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** Names of the files RocksDB keeps in a database directory. */
  private static final Pattern ROCKSDB_FILE =
      Pattern.compile("MANIFEST-\\d+|OPTIONS-\\d+|\\d+\\.(sst|log|blob)|IDENTITY|LOCK|LOG(\\.old\\.\\d+)?");

  private final WebSocketServer server;
  private final WebSocketDialer dialer;
  private final Mesh mesh;
  private final RelayMetrics metrics;
  private final @Nullable Store store;
  private volatile boolean closed;

  private Relay(WebSocketServer server, WebSocketDialer dialer, Mesh mesh, RelayMetrics metrics, @Nullable Store store) {
    this.server = server;
    this.dialer = dialer;
    this.mesh = mesh;
    this.metrics = metrics;
    this.store = store;
  }

  /**
   * Starts a relay and returns once it accepts connections.
   *
   * @throws StoreException if the data directory cannot be used (the message names the path and the
   *     problem: not a directory, locked, corrupt, another program's files, not a jgun store)
   * @throws IOException if the server cannot listen (port in use, TLS files unreadable)
   */
  static Relay start(RelayConfig config) throws IOException {
    MeshOptions.Builder ob = MeshOptions.builder().peers(config.peers()).maxFrameChars(config.maxFrameBytes());
    if (config.pid() != null) {
      ob.pid(config.pid());
    }
    MeshOptions opt = ob.build();
    Store store = null;
    if (config.data() != null) {
      checkDataDir(config.data());
      store = RocksStore.builder(config.data()).durability(config.durability()).open();
    }
    try {
      return start(config, opt, store);
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  private static Relay start(RelayConfig config, MeshOptions opt, @Nullable Store store) throws IOException {
    ScheduledExecutorService loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jgun-mesh");
              t.setDaemon(true);
              return t;
            });
    GraphEngine graph =
        store != null
            ? new StoreGraphEngine(store, StateClock.system(), 100_000)
            : new MemoryGraphEngine(StateClock.system(), 100_000);
    WebSocketDialer dialer = WebSocketDialer.builder().maxFrameBytes(config.maxFrameBytes()).build();
    Mesh mesh = new Mesh(opt, loop, dialer::dial, graph, Ids.secure());
    RelayMetrics metrics = new RelayMetrics(mesh);
    WebSocketServer.Builder sb =
        WebSocketServer.builder()
            .host(config.host())
            .port(config.port())
            .maxFrameBytes(config.maxFrameBytes())
            .maxConnections(config.maxConnections())
            .route(metrics.route());
    if (config.tls()) {
      sb.tls(config.tlsCert(), config.tlsKey());
    }
    try {
      WebSocketServer server = sb.build();
      server.start(mesh);
      mesh.start();
      String scheme = server.tls() ? "wss" : "ws";
      log.info(
          "jgun relay listening on {}://{}:{}{} (pid {}, {}){}",
          scheme,
          config.host(),
          server.port(),
          server.path(),
          mesh.pid(),
          config.data() == null ? "data in memory only" : "data in " + config.data().toAbsolutePath() + ", durability " + config.durability(),
          config.peers().isEmpty() ? "" : ", peers " + String.join(",", config.peers()));
      return new Relay(server, dialer, mesh, metrics, store);
    } catch (IOException | RuntimeException e) {
      mesh.close();
      dialer.close();
      throw e;
    }
  }

  /**
   * Refuses a data directory that RocksDB would open wrongly: a directory that is not empty but has
   * no RocksDB {@code CURRENT} file. If it holds RocksDB files, {@code CURRENT} was lost and RocksDB
   * would start a new, empty database over the data (rewriting {@code CURRENT} on each attempt);
   * otherwise it is another program's directory, which a store must not be written into. A missing
   * or empty directory is fine (a new store is created); anything else is left to {@link
   * RocksStore}, which names the problem (not a directory, locked, corrupt, not a jgun store).
   *
   * @throws StoreException naming the path and the problem
   */
  static void checkDataDir(Path dir) {
    Path path = dir.toAbsolutePath();
    if (!Files.isDirectory(path) || Files.exists(path.resolve("CURRENT"))) {
      return;
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> entries = Files.list(path)) {
      entries.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : ""))
          .filter(n -> !n.equals("lost+found/"))
          .sorted()
          .forEach(names::add);
    } catch (IOException e) {
      throw new StoreException("cannot open store at " + path + ": cannot list the directory: " + e, e);
    }
    if (names.isEmpty()) {
      return;
    }
    String some = String.join(", ", names.subList(0, Math.min(names.size(), 5))) + (names.size() > 5 ? ", ..." : "");
    if (names.stream().anyMatch(n -> ROCKSDB_FILE.matcher(n).matches())) {
      throw new StoreException("cannot open store at " + path + ": the database is damaged: it holds RocksDB files ("
          + some + ") but no CURRENT file; not opening it, as RocksDB would start an empty store over the data"
          + " (restore CURRENT: one line naming the newest MANIFEST file)");
    }
    throw new StoreException("cannot open store at " + path + ": the directory is not empty and holds no jgun store ("
        + names.size() + (names.size() == 1 ? " entry: " : " entries: ") + some
        + "); not writing a store among another program's files (give an empty or new directory)");
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return server.port();
  }

  Mesh mesh() {
    return mesh;
  }

  HttpRoute metricsRoute() {
    return metrics.route();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("jgun relay stopping");
    server.close();
    mesh.close();
    dialer.close();
    if (store != null) {
      store.close(); // after the mesh: everything it accepted is flushed
    }
    log.info("jgun relay stopped");
  }
}
