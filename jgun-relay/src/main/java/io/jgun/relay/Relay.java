package io.jgun.relay;

import io.jgun.graph.StateClock;
import io.jgun.mesh.MemoryGraphEngine;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.netty.HttpRoute;
import io.jgun.netty.WebSocketDialer;
import io.jgun.netty.WebSocketServer;
import io.jgun.wire.Ids;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the WebSocket server, the dialer for outbound peers and the mesh between them.
 * {@link #close()} stops it (idempotent).
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final WebSocketServer server;
  private final WebSocketDialer dialer;
  private final Mesh mesh;
  private final RelayMetrics metrics;
  private volatile boolean closed;

  private Relay(WebSocketServer server, WebSocketDialer dialer, Mesh mesh, RelayMetrics metrics) {
    this.server = server;
    this.dialer = dialer;
    this.mesh = mesh;
    this.metrics = metrics;
  }

  /** Starts a relay and returns once it accepts connections. */
  static Relay start(RelayConfig config) throws IOException {
    MeshOptions.Builder ob = MeshOptions.builder().peers(config.peers()).maxFrameChars(config.maxFrameBytes());
    if (config.pid() != null) {
      ob.pid(config.pid());
    }
    MeshOptions opt = ob.build();
    ScheduledExecutorService loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jgun-mesh");
              t.setDaemon(true);
              return t;
            });
    WebSocketDialer dialer = WebSocketDialer.builder().maxFrameBytes(config.maxFrameBytes()).build();
    Mesh mesh = new Mesh(opt, loop, dialer::dial, new MemoryGraphEngine(StateClock.system(), 100_000), Ids.secure());
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
    WebSocketServer server = sb.build();
    try {
      server.start(mesh);
    } catch (IOException | RuntimeException e) {
      mesh.close();
      dialer.close();
      throw e;
    }
    mesh.start();
    String scheme = server.tls() ? "wss" : "ws";
    log.info(
        "jgun relay listening on {}://{}:{}{} (pid {}, data in memory{}){}",
        scheme,
        config.host(),
        server.port(),
        server.path(),
        mesh.pid(),
        "; --data " + config.data() + " is not used until the storage engine lands",
        config.peers().isEmpty() ? "" : ", peers " + String.join(",", config.peers()));
    return new Relay(server, dialer, mesh, metrics);
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
    log.info("jgun relay stopped");
  }
}
