package io.jgun.client;

import io.jgun.graph.StateClock;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.mesh.MeshStats;
import io.jgun.netty.WebSocketDialer;
import io.jgun.netty.WebSocketServer;
import io.jgun.sea.SeaFirewall;
import io.jgun.wire.Ids;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A jgun relay (mesh + WebSocket server, data in memory) in this JVM, for tests. */
final class TestRelay implements AutoCloseable {
  private final WebSocketServer server;
  private final WebSocketDialer dialer;
  private final Mesh mesh;

  private TestRelay(WebSocketServer server, WebSocketDialer dialer, Mesh mesh) {
    this.server = server;
    this.dialer = dialer;
    this.mesh = mesh;
  }

  /** A relay on a free port. */
  static TestRelay start() throws IOException {
    return start(0);
  }

  /** A relay on {@code port} (0: any free port). */
  static TestRelay start(int port) throws IOException {
    return start(port, false);
  }

  /** A relay on a free port that runs SEA's firewall on every put, as jgun relays do. */
  static TestRelay startWithFirewall() throws IOException {
    return start(0, true);
  }

  private static TestRelay start(int port, boolean firewall) throws IOException {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "test-relay-mesh");
      t.setDaemon(true);
      return t;
    });
    WebSocketDialer dialer = WebSocketDialer.builder().build();
    Mesh mesh = new Mesh(MeshOptions.builder().putGuard(firewall ? SeaFirewall.create() : null).build(), loop, dialer::dial, new MemoryGraphEngine(StateClock.system(), 10_000), Ids.secure());
    WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(port).build();
    server.start(mesh);
    mesh.start();
    return new TestRelay(server, dialer, mesh);
  }

  int port() {
    return server.port();
  }

  String url() {
    return "ws://127.0.0.1:" + server.port() + "/gun";
  }

  MeshStats stats() {
    return mesh.stats();
  }

  int connections() {
    return mesh.connections();
  }

  @Override
  public void close() {
    server.close();
    mesh.close();
    dialer.close();
  }
}
