package io.jgun.relay;

import io.jgun.graph.StateClock;
import io.jgun.engine.GraphEngine;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.netty.HttpRoute;
import io.jgun.netty.IoThreads;
import io.jgun.netty.WebSocketDialer;
import io.jgun.netty.WebSocketServer;
import io.jgun.postgres.ChangeFeed;
import io.jgun.postgres.PostgresStore;
import io.jgun.rocksdb.RocksStore;
import io.jgun.sea.SeaFirewall;
import io.jgun.store.Store;
import io.jgun.store.StoreException;
import io.jgun.engine.StoreGraphEngine;
import io.jgun.wire.Ids;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the WebSocket server, the dialer for outbound peers and the mesh between them.
 * {@link #close()} stops it (idempotent).
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final WebSocketServer server;
  /** The server's I/O threads; the mesh loop is one of them. */
  private final IoThreads threads;
  private final WebSocketDialer dialer;
  private final Mesh mesh;
  private final RelayMetrics metrics;
  private final @Nullable Store store;
  /** With {@code --postgres}: the writes other relays accepted, pushed to this relay's subscribers. */
  private final @Nullable ChangeFeed feed;
  private volatile boolean closed;

  private Relay(
      WebSocketServer server,
      IoThreads threads,
      WebSocketDialer dialer,
      Mesh mesh,
      RelayMetrics metrics,
      @Nullable Store store,
      @Nullable ChangeFeed feed) {
    this.server = server;
    this.threads = threads;
    this.dialer = dialer;
    this.mesh = mesh;
    this.metrics = metrics;
    this.store = store;
    this.feed = feed;
  }

  /**
   * Starts a relay and returns once it accepts connections.
   *
   * @throws StoreException if the data directory cannot be used (the message names the path and the
   *     problem: not a directory, locked, corrupt, another program's files, not a jgun store), or
   *     with {@code --postgres} the database cannot be reached or migrated (the message names it)
   * @throws IOException if the server cannot listen (port in use, TLS files unreadable)
   */
  static Relay start(RelayConfig config) throws IOException {
    MeshOptions.Builder ob = MeshOptions.builder().peers(config.peers()).maxFrameChars(config.maxFrameBytes());
    if (config.pid() != null) {
      ob.pid(config.pid());
    }
    if (config.sea() != RelayConfig.SeaMode.OFF) {
      ob.putGuard(SeaFirewall.builder().strictGunJs(config.sea() == RelayConfig.SeaMode.STRICT_GUNJS).build());
    }
    MeshOptions opt = ob.build();
    Store store = null;
    if (config.data() != null) {
      store = RocksStore.builder(config.data()).durability(config.durability()).blockCacheBytes(config.blockCacheBytes()).open();
    } else if (config.postgres() != null) {
      store = PostgresStore.builder(config.postgres().url()).schema(config.postgres().schema()).open();
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
    IoThreads threads = IoThreads.create("jgun-io", config.ioThreadCount(), true);
    ScheduledExecutorService loop = threads.loop();
    // No field cache on PostgreSQL: other relays write the same fields, and a cached one could be
    // older than what another relay acked (docs/postgres.md, "N relays on one PostgreSQL").
    long fieldCache = store instanceof PostgresStore ? 0 : config.fieldCacheBytes();
    GraphEngine graph =
        store != null
            ? new StoreGraphEngine(store, StateClock.system(), opt.maxDeferred(), fieldCache)
            : new MemoryGraphEngine(StateClock.system(), opt.maxDeferred());
    WebSocketDialer dialer = WebSocketDialer.builder().maxFrameBytes(config.maxFrameBytes()).build();
    Mesh mesh = new Mesh(opt, loop, false, dialer::dial, graph, Ids.secure());
    ChangeFeed feed = null;
    RelayMetrics metrics = new RelayMetrics(mesh);
    WebSocketServer.Builder sb =
        WebSocketServer.builder()
            .host(config.host())
            .port(config.port())
            .maxFrameBytes(config.maxFrameBytes())
            .maxConnections(config.maxConnections())
            .threads(threads)
            .route(metrics.route());
    if (config.tls()) {
      sb.tls(config.tlsCert(), config.tlsKey());
    }
    try {
      if (store instanceof PostgresStore pg) {
        // before the server takes connections: no subscriber can miss a write committed meanwhile
        feed = pg.changes(mesh::pushStored);
      }
      WebSocketServer server = sb.build();
      server.start(mesh);
      mesh.start();
      String scheme = server.tls() ? "wss" : "ws";
      log.info(
          "jgun relay listening on {}://{}:{}{} (peer id {}, {}, SEA firewall {}, I/O threads {}){}",
          scheme,
          config.host(),
          server.port(),
          server.path(),
          mesh.pid(),
          config.postgres() != null
              ? "data in PostgreSQL " + config.postgres().url() + " schema " + config.postgres().schema()
              : config.data() == null ? "data in memory only" : "data in " + config.data().toAbsolutePath() + ", durability " + config.durability(),
          config.sea(),
          config.ioThreadCount(),
          config.peers().isEmpty() ? "" : ", peers " + String.join(",", config.peers()));
      return new Relay(server, threads, dialer, mesh, metrics, store, feed);
    } catch (IOException | RuntimeException e) {
      if (feed != null) {
        feed.close();
      }
      mesh.close();
      dialer.close();
      threads.close();
      throw e;
    }
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
    if (feed != null) {
      feed.close(); // before the mesh: it pushes into it
    }
    mesh.close();
    dialer.close();
    threads.close(); // after the mesh: it runs on one of them
    if (store != null) {
      store.close(); // after the mesh: everything it accepted is flushed
    }
    log.info("jgun relay stopped");
  }
}
