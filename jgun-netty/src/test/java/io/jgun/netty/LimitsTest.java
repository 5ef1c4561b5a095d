package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.mesh.Wire;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections, slow readers, silent sockets: each has a cap and a defined behaviour past it. */
class LimitsTest {

  static {
    Leaks.install();
  }

  private final RecordingListener serverSide = new RecordingListener().echo();

  @AfterEach
  void contract() {
    assertThat(serverSide.violations).isEmpty();
    Leaks.assertNone();
  }

  @Test
  void connectionsPastTheMaximumAreRefused() throws Exception {
    RecordingListener clientSide = new RecordingListener();
    try (WebSocketServer server =
            WebSocketServer.builder().host("127.0.0.1").port(0).maxConnections(2).build()
                .start(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      String url = "ws://127.0.0.1:" + server.port() + "/gun";
      Wire first = dialer.dial(url, clientSide).get(10, TimeUnit.SECONDS);
      dialer.dial(url, clientSide).get(10, TimeUnit.SECONDS);
      assertThat(server.connections()).isEqualTo(2);

      assertThatThrownBy(() -> dialer.dial(url, clientSide).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(DialException.class);
      assertThat(server.connections()).isEqualTo(2);

      first.close();
      await().until(() -> server.connections() == 1);
      Wire third = dialer.dial(url, clientSide).get(10, TimeUnit.SECONDS);
      assertThat(third.send("ok")).isTrue();
      assertThat(clientSide.nextReceived()).isEqualTo("ok");
      assertThat(clientSide.violations).isEmpty();
    }
  }

  @Test
  void aReaderThatStopsReadingIsDroppedAtTheOutboundCapWhileOthersAreServed() throws Exception {
    long cap = 1024 * 1024;
    RecordingListener clientSide = new RecordingListener();
    try (WebSocketServer server =
            WebSocketServer.builder().host("127.0.0.1").port(0).outboundCapBytes(cap).build()
                .start(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build();
        RawWebSocket stalled = RawWebSocket.connect(server.port(), "/gun")) {
      stalled.socket.setReceiveBufferSize(64 * 1024);
      Wire slow = serverSide.nextOpened();
      Wire healthy =
          dialer.dial("ws://127.0.0.1:" + server.port() + "/gun", clientSide)
              .get(10, TimeUnit.SECONDS);
      Wire healthyAccepted = serverSide.nextOpened();

      String chunk = "z".repeat(64 * 1024);
      int sent = 0;
      // Kernel buffers take a few MB first; then our queue fills to the cap.
      while (slow.send(chunk)) {
        sent++;
        assertThat(slow.queuedBytes()).isLessThanOrEqualTo(cap);
        assertThat(sent).as("frames accepted by a peer that never reads").isLessThan(10_000);
        if (sent % 16 == 0) {
          // others are served meanwhile
          assertThat(healthy.send("ping " + sent)).isTrue();
          assertThat(clientSide.nextReceived()).isEqualTo("ping " + sent);
        }
      }
      assertThat(slow.isOpen()).isFalse();
      assertThat(slow.send("more")).isFalse();
      RecordingListener.Closed closed = serverSide.nextClosed();
      assertThat(closed.wire()).isSameAs(slow);
      assertThat(closed.cause())
          .isInstanceOfSatisfying(
              WireClosedException.class, e -> assertThat(e.status()).isEqualTo(1008));
      await().until(() -> slow.queuedBytes() == 0);

      assertThat(healthy.send("after")).isTrue();
      assertThat(clientSide.nextReceived()).isEqualTo("after");
      assertThat(healthyAccepted.isOpen()).isTrue();
      assertThat(clientSide.violations).isEmpty();
    }
  }

  @Test
  void aSocketThatSendsNoRequestIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (WebSocketServer server =
            WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .handshakeTimeout(Duration.ofMillis(200))
                .build()
                .start(serverSide);
        Socket silent = RawWebSocket.socket(server.port())) {
      await().until(() -> server.connections() == 1);
      assertThat(silent.getInputStream().read()).isEqualTo(-1); // closed by the server
      await().until(() -> server.connections() == 0);
      assertThat(serverSide.opened).isEmpty();
    }
  }

  @Test
  void anIdleWireIsClosedWhenAnIdleTimeoutIsSet() throws Exception {
    try (WebSocketServer server =
            WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .idleTimeout(Duration.ofMillis(300))
                .build()
                .start(serverSide);
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      RawWebSocket.Frame close = ws.readFrame();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeStatus()).isEqualTo(1001);
      assertThat(serverSide.nextClosed().cause()).isInstanceOf(WireClosedException.class);
    }
  }

  @Test
  void buildersRejectNonsense() {
    assertThatThrownBy(() -> WebSocketServer.builder().port(70000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebSocketServer.builder().path("gun"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebSocketServer.builder().maxFrameBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebSocketServer.builder().maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebSocketServer.builder().outboundCapBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebSocketServer.builder().idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                WebSocketServer.builder()
                    .tls(java.nio.file.Path.of("/nonexistent.pem"), java.nio.file.Path.of("/k"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent.pem");
    assertThatThrownBy(() -> WebSocketDialer.builder().ioThreads(0))
        .isInstanceOf(IllegalArgumentException.class);
    // Gun.js's own limit (90 million characters) is accepted
    WebSocketServer.builder().maxFrameBytes(90_000_000);
  }
}
