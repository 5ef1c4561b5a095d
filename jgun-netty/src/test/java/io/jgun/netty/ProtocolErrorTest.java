package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.mesh.Wire;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Frames a peer should not send, and frames too large to accept: closed, bounded, server unharmed. */
class ProtocolErrorTest {

  static {
    Leaks.install();
  }

  private static final String TOO_BIG = "{\"dam\":\"!\",\"err\":\"Message too big!\"}";
  private static final int LIMIT = 1024 * 1024;

  private final RecordingListener serverSide =
      new RecordingListener().echo().answerOversized(TOO_BIG);

  @AfterEach
  void contract() {
    assertThat(serverSide.violations).isEmpty();
    Leaks.assertNone();
  }

  private WebSocketServer server() throws Exception {
    return WebSocketServer.builder()
        .host("127.0.0.1")
        .port(0)
        .maxFrameBytes(LIMIT)
        .build()
        .start(serverSide);
  }

  /** The server still works: a fresh client round-trips a message. */
  private void assertServes(WebSocketServer server) throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      Wire wire = serverSide.nextOpened();
      ws.sendText("{\"still\":\"here\"}");
      assertThat(serverSide.nextReceived()).isEqualTo("{\"still\":\"here\"}");
      assertThat(ws.readFrame().text()).isEqualTo("{\"still\":\"here\"}");
      ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xE8});
      assertThat(ws.readFrame().closeStatus()).isEqualTo(1000);
      RecordingListener.Closed closed = serverSide.nextClosed();
      assertThat(closed.wire()).isSameAs(wire);
      assertThat(closed.cause()).isNull();
    }
  }

  @Test
  void binaryFrameClosesWith1003AndTheServerKeepsServing() throws Exception {
    try (WebSocketServer server = server()) {
      CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
      WebSocket jdk =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.port() + "/gun"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                      closeStatus.complete(status);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      serverSide.nextOpened();
      jdk.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
      assertThat(closeStatus.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
      assertClosedWith(serverSide.nextClosed(), 1003);
      assertThat(serverSide.received).isEmpty();
      assertServes(server);
    }
  }

  @Test
  void invalidUtf8ClosesWith1007() throws Exception {
    try (WebSocketServer server = server()) {
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
        serverSide.nextOpened();
        // A lone surrogate as CESU-8 (ED A0 80): what a buggy encoder would send. Not UTF-8.
        ws.sendFrame(RawWebSocket.TEXT, true, new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        RawWebSocket.Frame close = ws.readFrame();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeStatus()).isEqualTo(1007);
        assertThat(ws.readsToEnd(0)).isTrue();
      }
      assertClosedWith(serverSide.nextClosed(), 1007);
      assertThat(serverSide.received).isEmpty();
      assertServes(server);
    }
  }

  @Test
  void aHundredMegabyteFrameIsRefusedFromItsHeaderWithoutBufferingIt() throws Exception {
    long declared = 100_000_000L;
    long written = 0;
    try (WebSocketServer server = server();
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      ws.sendHeader(RawWebSocket.TEXT, true, declared, new byte[4]); // zero mask: payload as is
      byte[] chunk = new byte[64 * 1024];
      try {
        while (written < declared) {
          ws.write(chunk);
          written += chunk.length;
        }
      } catch (IOException expected) {
        // the server hung up mid-payload
      }
      assertThat(written).as("bytes sent before the server hung up").isLessThan(declared);
      assertThat(serverSide.nextOversized()).isEqualTo(LIMIT + 1L);
      assertClosedWith(serverSide.nextClosed(), 1009);
      assertThat(serverSide.received).isEmpty();
      assertServes(server);
    }
  }

  @Test
  void theListenersAnswerToAnOversizedFrameGoesOutBeforeThe1009Close() throws Exception {
    try (WebSocketServer server = server();
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      ws.sendHeader(RawWebSocket.TEXT, true, LIMIT + 1L, new byte[4]);
      ws.write(new byte[1000]);
      RawWebSocket.Frame answer = ws.readFrame();
      assertThat(answer.opcode()).isEqualTo(RawWebSocket.TEXT);
      assertThat(answer.text()).isEqualTo(TOO_BIG);
      RawWebSocket.Frame close = ws.readFrame();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeStatus()).isEqualTo(1009);
      assertThat(ws.readsToEnd(0)).isTrue();
      assertThat(serverSide.nextOversized()).isEqualTo(LIMIT + 1L);
    }
  }

  @Test
  void invalidUtf8InALaterFragmentClosesWith1007() throws Exception {
    try (WebSocketServer server = server()) {
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
        serverSide.nextOpened();
        ws.sendFrame(RawWebSocket.TEXT, false, "[\"ok".getBytes(StandardCharsets.UTF_8));
        // 0xC3 opens a two-byte character; '"' cannot continue it.
        ws.sendFrame(RawWebSocket.CONTINUATION, true, new byte[] {(byte) 0xC3, '"', ']'});
        RawWebSocket.Frame close = ws.readFrame();
        assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
        assertThat(close.closeStatus()).isEqualTo(1007);
      }
      assertClosedWith(serverSide.nextClosed(), 1007);
      assertThat(serverSide.received).isEmpty();
    }
  }

  @Test
  void aRealReplacementCharacterIsText() throws Exception {
    try (WebSocketServer server = server();
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      // U+FFFD sent as the valid UTF-8 it is (EF BF BD): the strict check must let it through.
      ws.sendFrame(RawWebSocket.TEXT, true, "[\"\uFFFD\"]".getBytes(StandardCharsets.UTF_8));
      assertThat(serverSide.nextReceived()).isEqualTo("[\"\uFFFD\"]");
      assertThat(ws.readFrame().text()).isEqualTo("[\"\uFFFD\"]"); // the echo
    }
  }

  @Test
  void fragmentsAreJoinedUpToTheLimit() throws Exception {
    try (WebSocketServer server = server();
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      byte[] snowman = "☃".getBytes(StandardCharsets.UTF_8); // split across fragments below
      ws.sendFrame(RawWebSocket.TEXT, false, new byte[] {'[', snowman[0]});
      ws.sendFrame(RawWebSocket.PING, true, new byte[] {7}); // control frames may interleave
      ws.sendFrame(RawWebSocket.CONTINUATION, false, new byte[] {snowman[1], snowman[2]});
      ws.sendFrame(RawWebSocket.CONTINUATION, true, new byte[] {']'});
      assertThat(serverSide.nextReceived()).isEqualTo("[☃]");
      RawWebSocket.Frame pong = ws.readFrame();
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(pong.payload()).containsExactly(7);
      assertThat(ws.readFrame().text()).isEqualTo("[☃]"); // the echo

      // Now a message whose fragments are each small but add up past the limit.
      int part = 600 * 1024;
      ws.sendFrame(RawWebSocket.TEXT, false, new byte[part]);
      ws.sendFrame(RawWebSocket.CONTINUATION, false, new byte[part]);
      assertThat(serverSide.nextOversized()).isEqualTo(2L * part);
      assertThat(ws.readFrame().text()).isEqualTo(TOO_BIG);
      assertThat(ws.readFrame().closeStatus()).isEqualTo(1009);
      assertClosedWith(serverSide.nextClosed(), 1009);
      assertThat(serverSide.received).isEmpty();
    }
  }

  @Test
  void aDialerSendingTooMuchHearsWhyAndIsClosed() throws Exception {
    RecordingListener clientSide = new RecordingListener();
    try (WebSocketServer server = server();
        WebSocketDialer dialer = WebSocketDialer.builder().maxFrameBytes(4 * LIMIT).build()) {
      Wire wire =
          dialer
              .dial("ws://127.0.0.1:" + server.port() + "/gun", clientSide)
              .get(10, TimeUnit.SECONDS);
      wire.send("x".repeat(2 * LIMIT));
      assertThat(clientSide.nextReceived()).isEqualTo(TOO_BIG);
      assertClosedWith(clientSide.nextClosed(), 1009);
      assertThat(serverSide.nextOversized()).isEqualTo(LIMIT + 1L);
      assertThat(clientSide.violations).isEmpty();
    }
  }

  @Test
  void aDialerRefusesOversizedFramesToo() throws Exception {
    RecordingListener clientSide = new RecordingListener().answerOversized(TOO_BIG);
    try (WebSocketServer server =
            WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().maxFrameBytes(LIMIT).build()) {
      Wire wire =
          dialer
              .dial("ws://127.0.0.1:" + server.port() + "/gun", clientSide)
              .get(10, TimeUnit.SECONDS);
      Wire accepted = serverSide.nextOpened();
      accepted.send("y".repeat(LIMIT + 10));
      assertThat(clientSide.nextOversized()).isEqualTo(LIMIT + 1L);
      assertThat(serverSide.nextReceived()).isEqualTo(TOO_BIG); // the client's answer
      assertClosedWith(clientSide.nextClosed(), 1009);
      assertThat(wire.isOpen()).isFalse();
      assertThat(clientSide.violations).isEmpty();
    }
  }

  @Test
  void aConnectionDroppedWithoutCloseFrameIsReportedOnceAs1006() throws Exception {
    try (WebSocketServer server = server()) {
      RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun");
      Wire wire = serverSide.nextOpened();
      ws.socket.setSoLinger(true, 0); // close with a reset
      ws.close();
      RecordingListener.Closed closed = serverSide.nextClosed();
      assertThat(closed.wire()).isSameAs(wire);
      assertThat(closed.cause()).isNotNull();
      assertThat(wire.isOpen()).isFalse();
      assertThat(wire.send("x")).isFalse();
      assertServes(server);
      assertThat(serverSide.closed).isEmpty(); // exactly once
    }
  }

  /** The wire was closed by a {@link WireClosedException} with WebSocket status {@code status}. */
  private static void assertClosedWith(RecordingListener.Closed closed, int status) {
    assertThat(closed.cause())
        .isInstanceOfSatisfying(
            WireClosedException.class, e -> assertThat(e.status()).isEqualTo(status));
  }
}
