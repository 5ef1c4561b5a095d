package io.jgun.relay;

import io.jgun.engine.GraphEngine;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.engine.StoreGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.mesh.PutGuard;
import io.jgun.netty.HttpRoute;
import io.jgun.netty.IoThreads;
import io.jgun.netty.StaticFiles;
import io.jgun.netty.WebSocketDialer;
import io.jgun.netty.WebSocketServer;
import io.jgun.postgres.ChangeFeed;
import io.jgun.postgres.PostgresStore;
import io.jgun.rocksdb.RocksStore;
import io.jgun.rules.AccessRules;
import io.jgun.rules.Identities;
import io.jgun.rules.RulesGuard;
import io.jgun.sea.SeaFirewall;
import io.jgun.sea.SeaIdentities;
import io.jgun.store.Store;
import io.jgun.store.StoreException;
import io.jgun.wire.Ids;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the WebSocket server, the dialer for outbound peers and the mesh between them.
 * {@link #close()} stops it (idempotent).
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);
  /** How long {@link #close()} lets writes in flight finish. */
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final WebSocketServer server;
  /** The server's I/O threads; the mesh loop is one of them. */
  private final IoThreads threads;
  private final WebSocketDialer dialer;
  private final Mesh mesh;
  private final RelayMetrics metrics;
  /** Samples the counters for the status page, once a second. */
  private final ScheduledExecutorService statusThread;
  private final @Nullable Store store;
  private final RelayHealth health;
  private final DrainGate gate;
  /** Accepted fields not yet durable (their acks are still to come). */
  private final IntSupplier pendingWrites;
  /** With {@code --postgres}: the writes other relays accepted, pushed to this relay's subscribers. */
  private final @Nullable ChangeFeed feed;
  private volatile boolean closed;

  private Relay(
      WebSocketServer server,
      IoThreads threads,
      WebSocketDialer dialer,
      Mesh mesh,
      RelayMetrics metrics,
      ScheduledExecutorService statusThread,
      @Nullable Store store,
      RelayHealth health,
      DrainGate gate,
      IntSupplier pendingWrites,
      @Nullable ChangeFeed feed) {
    this.server = server;
    this.health = health;
    this.gate = gate;
    this.pendingWrites = pendingWrites;
    this.threads = threads;
    this.dialer = dialer;
    this.mesh = mesh;
    this.metrics = metrics;
    this.statusThread = statusThread;
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
    return start(config, null, RelayLimits.DEFAULTS);
  }

  /**
   * {@link #start(RelayConfig)} with access rules ({@code --rules}) checked after SEA's firewall
   * on every write and on every read (null: none), and the limits each client is held to.
   */
  static Relay start(RelayConfig config, @Nullable AccessRules rules, RelayLimits limits) throws IOException {
    MeshOptions.Builder ob =
        MeshOptions.builder()
            .peers(config.peers())
            .maxFrameChars(config.maxFrameBytes())
            .clientLimits(limits.clients())
            .maxSubscriptionsPerPeer(limits.subscriptionsPerConnection())
            .maxParkedGetsPerPeer(limits.getsWaitingPerConnection());
    if (config.pid() != null) {
      ob.pid(config.pid());
    }
    MemoryBudget budget = config.budget();
    if (budget != null) {
      ob.dedupMax(budget.dedupMax());
    }
    boolean strict = config.sea() == RelayConfig.SeaMode.STRICT_GUNJS;
    PutGuard sea = config.sea() == RelayConfig.SeaMode.OFF ? null : SeaFirewall.builder().strictGunJs(strict).build();
    if (rules != null) {
      // Without SEA's firewall no signature is verified, so no write has a signer the rules could trust.
      RulesGuard guard = new RulesGuard(rules, sea == null ? Identities.NONE : new SeaIdentities(strict));
      ob.putGuard(sea == null ? guard : sea.then(guard)).readGuard(guard);
    } else {
      ob.putGuard(sea);
    }
    MeshOptions opt = ob.build();
    Store store = null;
    if (config.data() != null) {
      RocksStore.Builder rb = RocksStore.builder(config.data()).durability(config.durability()).blockCacheBytes(config.blockCacheBytes());
      if (budget != null) {
        rb.writeBufferBytes(budget.writeBufferBytes());
      }
      store = rb.open();
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
    // On PostgreSQL the database decides HAM as it writes, against whatever any relay committed,
    // so the loop reads nothing to merge a put, and there is no field cache: a cached field could
    // be older than what another relay acked (docs/postgres.md, "N relays on one PostgreSQL").
    StoreGraphEngine stored =
        store instanceof PostgresStore pg ? StoreGraphEngine.storeDecides(pg, StateClock.system(), opt.maxDeferred())
            : store != null ? new StoreGraphEngine(store, StateClock.system(), opt.maxDeferred(), config.fieldCacheBytes())
            : null;
    GraphEngine graph = stored != null ? stored : new MemoryGraphEngine(StateClock.system(), opt.maxDeferred());
    IntSupplier pendingWrites = store instanceof PostgresStore pg ? () -> (int) Math.min(Integer.MAX_VALUE, pg.pendingFields())
        : stored != null ? stored::pendingFields : () -> 0;
    MemoryBudget budget = config.budget();
    WebSocketDialer.Builder db = WebSocketDialer.builder().maxFrameBytes(config.maxFrameBytes());
    if (budget != null) {
      db.outboundCapBytes(budget.outboundCapBytes());
    }
    WebSocketDialer dialer = db.build();
    Clock clock = Clock.systemUTC();
    RecentErrors errors = new RecentErrors(clock);
    PeerLinks links = new PeerLinks(dialer::dial, clock, errors::add);
    Mesh mesh = new Mesh(opt, loop, false, links, graph, Ids.secure());
    ChangeFeed feed = null;
    RelayMetrics metrics = new RelayMetrics(mesh);
    StatusSampler.CacheCounters cache =
        graph instanceof StoreGraphEngine engine
            ? new StatusSampler.CacheCounters() {
              @Override
              public long hits() {
                return engine.cacheHits();
              }

              @Override
              public long misses() {
                return engine.cacheMisses();
              }
            }
            : null;
    StatusSampler sampler = new StatusSampler(mesh, clock, cache, config.data(), errors);
    String version = JgunVersion.text();
    StatusPage status = new StatusPage(() -> sampler.json(version, links.links()));
    RelayHealth health = new RelayHealth(() -> mesh.stats().writesFailed.sum(),
        store instanceof PostgresStore pg ? () -> pg.isReachable() ? null : "PostgreSQL unreachable" : () -> null);
    DrainGate gate = new DrainGate(mesh);
    WebSocketServer.Builder sb =
        WebSocketServer.builder()
            .host(config.host())
            .port(config.port())
            .maxFrameBytes(config.maxFrameBytes())
            .maxConnections(config.maxConnections())
            .threads(threads)
            .route(metrics.route())
            .route(status)
            .route(health.route());
    if (budget != null) {
      sb.outboundCapBytes(budget.outboundCapBytes());
    }
    Path staticDir = config.staticDir();
    if (staticDir != null) {
      sb.route(StaticFiles.of(staticDir));
    }
    Path tlsCert = config.tlsCert();
    Path tlsKey = config.tlsKey();
    if (tlsCert != null && tlsKey != null) { // both or neither: RelayConfig checks
      sb.tls(tlsCert, tlsKey);
    }
    ScheduledExecutorService statusThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jgun-status");
              t.setDaemon(true);
              return t;
            });
    try {
      statusThread.scheduleAtFixedRate(
          () -> {
            try {
              sampler.tick();
            } catch (RuntimeException e) {
              log.warn("status sample failed: {}", e.toString());
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
      if (store instanceof PostgresStore pg) {
        // before the server takes connections: no subscriber can miss a write committed meanwhile
        feed = pg.changes(mesh::pushStored);
        metrics.postgres(pg, feed);
      }
      WebSocketServer server = sb.build();
      server.start(gate);
      mesh.start();
      health.started();
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
      log.info(
          "status page at http{}://{}:{}/status{}",
          server.tls() ? "s" : "",
          config.host(),
          server.port(),
          config.staticDir() == null ? "" : "; serving " + config.staticDir().toAbsolutePath() + " at /");
      return new Relay(server, threads, dialer, mesh, metrics, statusThread, store, health, gate, pendingWrites, feed);
    } catch (IOException | RuntimeException e) {
      statusThread.shutdownNow();
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

  /** The mesh's loop thread (tests hold it to look at a drain in progress). */
  java.util.concurrent.Executor meshLoop() {
    return threads.loop();
  }

  RelayHealth health() {
    return health;
  }

  /** Drains for up to {@link #DEFAULT_DRAIN_TIMEOUT}, then stops (idempotent). */
  @Override
  public void close() {
    close(DEFAULT_DRAIN_TIMEOUT);
  }

  /**
   * Drains, then stops (idempotent). Draining: {@code /ready} answers 503, new connections are
   * closed, open ones are no longer read, and the writes already taken finish (durable, their acks
   * sent), for at most {@code drainTimeout}; then every connection is closed with 1001 "going away"
   * and the store is closed. A write whose ack was not sent by then may or may not be stored, as
   * after any lost connection; an acknowledged write always is.
   */
  public synchronized void close(Duration drainTimeout) {
    if (closed) {
      return;
    }
    closed = true;
    log.info("jgun relay draining (up to {} ms)", drainTimeout.toMillis());
    health.draining();
    gate.close();
    drain(drainTimeout);
    log.info("jgun relay stopping");
    statusThread.shutdownNow();
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

  /**
   * Waits until the frames already read are handled, their writes durable and the acks written
   * out, or the deadline. Each round first lets the mesh loop run everything queued before it.
   */
  private void drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (quiet < 2 && System.nanoTime() < deadline) {
      try {
        threads.loop().submit(() -> {}).get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
        log.warn("drain: the mesh loop did not answer: {}", e.toString());
        return;
      }
      int pending = pendingWrites.getAsInt();
      long queued = gate.queuedBytes();
      if (pending == 0 && queued == 0) {
        quiet++; // twice in a row: an ack sent by the durable callback is out too
      } else {
        quiet = 0;
        LockSupport.parkNanos(DRAIN_POLL_NANOS);
      }
    }
    if (quiet < 2) {
      log.warn("drain timed out: {} accepted fields not yet durable, {} bytes of replies unsent", pendingWrites.getAsInt(), gate.queuedBytes());
    }
  }
}
