package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.mesh.Wire;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start, close, ports, failed dials. */
class LifecycleTest {

  static {
    Leaks.install();
  }

  private final RecordingListener serverSide = new RecordingListener().echo();
  private final RecordingListener clientSide = new RecordingListener();

  @AfterEach
  void contract() {
    assertThat(serverSide.violations).isEmpty();
    assertThat(clientSide.violations).isEmpty();
    Leaks.assertNone();
  }

  @Test
  void closeIsIdempotentReleasesThePortAndClosesEveryWire() throws Exception {
    WebSocketServer server =
        WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide);
    int port = server.port();
    assertThat(port).isPositive();
    try (WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      Wire wire = dialer.dial("ws://127.0.0.1:" + port + "/gun", clientSide).get(10, TimeUnit.SECONDS);
      serverSide.nextOpened();

      server.close();
      server.close();

      // close() returned: the server side has said closed (1001 going away is orderly)...
      assertThat(serverSide.closed).hasSize(1);
      assertThat(serverSide.closed.peek().cause()).isNull();
      // ...the client hears the close frame...
      assertThat(clientSide.nextClosed().cause()).isNull();
      assertThat(wire.isOpen()).isFalse();
      // ...and the port is free again.
      try (WebSocketServer again =
          WebSocketServer.builder().host("127.0.0.1").port(port).build().start(serverSide)) {
        assertThat(again.port()).isEqualTo(port);
      }
    }
    assertThatThrownBy(() -> server.start(serverSide)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startTwiceAndBindConflictsAreReported() throws Exception {
    try (WebSocketServer server =
        WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide)) {
      assertThatThrownBy(() -> server.start(serverSide)).isInstanceOf(IllegalStateException.class);
      WebSocketServer clash = WebSocketServer.builder().host("127.0.0.1").port(server.port()).build();
      assertThatThrownBy(() -> clash.start(serverSide))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining(String.valueOf(server.port()));
      clash.close();
    }
  }

  @Test
  void startReturnsOnlyOnceListening() throws Exception {
    // No retry loop: the very first connection attempt after start() returns must succeed.
    try (WebSocketServer server =
        WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide)) {
      RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun");
      serverSide.nextOpened();
      ws.close();
      serverSide.nextClosed();
    }
  }

  @Test
  void dialingAClosedPortFailsQuickly() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      assertThatThrownBy(
              () -> dialer.dial("ws://127.0.0.1:" + port + "/gun", clientSide).get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(DialException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasRootCauseInstanceOf(ConnectException.class);
    }
    assertThat(clientSide.opened).isEmpty();
    assertThat(clientSide.closed).isEmpty();
  }

  @Test
  void badUrlsAndClosedDialersFailTheFuture() throws Exception {
    WebSocketDialer dialer = WebSocketDialer.builder().build();
    for (String url : new String[] {"ftp://x/gun", "not a url", "ws:///gun", "gun"}) {
      assertThatThrownBy(() -> dialer.dial(url, clientSide).get(5, TimeUnit.SECONDS))
          .as(url)
          .cause()
          .isInstanceOf(DialException.class);
    }
    dialer.close();
    dialer.close();
    assertThatThrownBy(() -> dialer.dial("ws://127.0.0.1:1/gun", clientSide).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(DialException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void upgradeRefusedFailsTheDial() throws Exception {
    try (WebSocketServer server =
            WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      assertThatThrownBy(
              () ->
                  dialer
                      .dial("ws://127.0.0.1:" + server.port() + "/elsewhere", clientSide)
                      .get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(DialException.class)
          .hasMessageContaining("400");
    }
  }

  @Test
  void closingTheDialerClosesItsWires() throws Exception {
    try (WebSocketServer server =
        WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide)) {
      WebSocketDialer dialer = WebSocketDialer.builder().build();
      Wire wire =
          dialer.dial("ws://127.0.0.1:" + server.port() + "/gun", clientSide).get(10, TimeUnit.SECONDS);
      serverSide.nextOpened();
      dialer.close();
      assertThat(clientSide.closed).hasSize(1);
      assertThat(wire.isOpen()).isFalse();
      assertThat(serverSide.nextClosed().cause()).isNull(); // 1001 going away
    }
  }

  @Test
  void aSlowPeerCloseIsForcedAfterTheCloseTimeout() throws Exception {
    try (WebSocketServer server =
            WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .closeTimeout(Duration.ofMillis(200))
                .build()
                .start(serverSide);
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      Wire wire = serverSide.nextOpened();
      wire.send("last words");
      wire.close();
      assertThat(ws.readFrame().text()).isEqualTo("last words");
      assertThat(ws.readFrame().closeStatus()).isEqualTo(1000);
      // We never answer the close: the server drops us after its close timeout.
      assertThat(ws.readsToEnd(0)).isTrue();
      assertThat(serverSide.nextClosed().cause()).isNull();
    }
  }
}
