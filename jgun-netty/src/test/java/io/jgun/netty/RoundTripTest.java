package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.mesh.Wire;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Text frames both ways between our server and our dialer, and with the JDK's own client. */
class RoundTripTest {

  static {
    Leaks.install();
  }

  private final RecordingListener serverSide = new RecordingListener().echo().greet("hello");
  private final RecordingListener clientSide = new RecordingListener();

  @AfterEach
  void contract() {
    assertThat(serverSide.violations).isEmpty();
    assertThat(clientSide.violations).isEmpty();
    Leaks.assertNone();
  }

  private static WebSocketServer server(RecordingListener listener) throws Exception {
    return WebSocketServer.builder().host("127.0.0.1").port(0).build().start(listener);
  }

  private static String url(WebSocketServer server) {
    return "ws://127.0.0.1:" + server.port() + "/gun";
  }

  @Test
  void exchangesTextBothWaysAndClosesOrderly() throws Exception {
    try (WebSocketServer server = server(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      Wire wire = dialer.dial(url(server), clientSide).get(10, TimeUnit.SECONDS);
      assertThat(wire.isOpen()).isTrue();
      assertThat(wire.outbound()).isTrue();
      assertThat(wire.url()).isEqualTo(url(server));
      assertThat(wire.remote()).isEqualTo("127.0.0.1:" + server.port());
      assertThat(clientSide.nextOpened()).isSameAs(wire);
      // The server greets in opened(): that frame may share a TCP segment with the 101 answer.
      assertThat(clientSide.nextReceived()).isEqualTo("hello");

      Wire accepted = serverSide.nextOpened();
      assertThat(accepted.outbound()).isFalse();
      assertThat(accepted.url()).isNull();
      assertThat(accepted.remote()).startsWith("127.0.0.1:");

      assertThat(wire.send("{\"#\":\"a\",\"get\":{\"#\":\"x\"}}")).isTrue();
      assertThat(serverSide.nextReceived()).isEqualTo("{\"#\":\"a\",\"get\":{\"#\":\"x\"}}");
      assertThat(clientSide.nextReceived()).isEqualTo("{\"#\":\"a\",\"get\":{\"#\":\"x\"}}");
      assertThat(wire.send("[]")).isTrue();
      assertThat(clientSide.nextReceived()).isEqualTo("[]");
      assertThat(wire.send("")).isTrue();
      assertThat(clientSide.nextReceived()).isEmpty();

      wire.close();
      wire.close(); // idempotent
      assertThat(wire.isOpen()).isFalse();
      assertThat(wire.send("late")).isFalse();
      assertThat(clientSide.nextClosed().cause()).isNull();
      RecordingListener.Closed serverClosed = serverSide.nextClosed();
      assertThat(serverClosed.wire()).isSameAs(accepted);
      assertThat(serverClosed.cause()).isNull();
      await().until(() -> server.connections() == 0);
    }
    assertThat(clientSide.closed).isEmpty();
    assertThat(serverSide.closed).isEmpty();
  }

  @Test
  void carriesFiveMegabyteFramesBothWays() throws Exception {
    StringBuilder big = new StringBuilder(5 * 1024 * 1024);
    for (int i = 0; big.length() < 5 * 1024 * 1024; i++) {
      big.append("{\"k").append(i).append("\":\"é✓😀\"}");
    }
    String text = big.toString();
    try (WebSocketServer server = server(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      Wire wire = dialer.dial(url(server), clientSide).get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("hello");
      assertThat(wire.send(text)).isTrue();
      assertThat(serverSide.nextReceived()).isEqualTo(text);
      assertThat(clientSide.nextReceived()).isEqualTo(text); // echoed
      await().until(() -> wire.queuedBytes() == 0);
    }
  }

  @Test
  void unicodeSurvivesAndLoneSurrogatesBecomeReplacementCharacters() throws Exception {
    String unicode = "{\"emoji\":\"😀👍🏽\",\"cjk\":\"漢字\",\"nul\":\"\u0000\",\"bidi\":\"\u202e\"}";
    try (WebSocketServer server = server(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      Wire wire = dialer.dial(url(server), clientSide).get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("hello");
      wire.send(unicode);
      assertThat(serverSide.nextReceived()).isEqualTo(unicode);
      assertThat(clientSide.nextReceived()).isEqualTo(unicode);

      // UTF-8 cannot carry a lone surrogate: like Node and browsers we send U+FFFD instead.
      wire.send("a\uD800b\uDC00c\uD83D");
      assertThat(serverSide.nextReceived()).isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
      assertThat(clientSide.nextReceived()).isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
      assertThat(wire.isOpen()).isTrue();
    }
  }

  @Test
  void sendsFromManyThreadsKeepEachThreadsOrder() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    try (WebSocketServer server = server(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      Wire wire = dialer.dial(url(server), clientSide).get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("hello");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  for (int i = 0; i < perThread; i++) {
                    assertThat(wire.send(id + ":" + i)).isTrue();
                  }
                },
                pool));
      }
      start.countDown();
      CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
      pool.shutdown();
      int[] next = new int[threads];
      for (int n = 0; n < threads * perThread; n++) {
        String[] parts = serverSide.nextReceived().split(":");
        int t = Integer.parseInt(parts[0]);
        assertThat(Integer.parseInt(parts[1])).isEqualTo(next[t]++);
      }
      assertThat(next).containsOnly(perThread);
    }
  }

  @Test
  void worksOverNioAndWithAQueryString() throws Exception {
    try (WebSocketServer server =
            WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .nativeTransport(false)
                .build()
                .start(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().nativeTransport(false).build()) {
      Wire wire =
          dialer.dial(url(server) + "?peer=1", clientSide).get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("hello");
      wire.send("{\"nio\":true}");
      assertThat(clientSide.nextReceived()).isEqualTo("{\"nio\":true}");
    }
  }

  @Test
  void httpUrlsAreRewrittenToWs() throws Exception {
    try (WebSocketServer server = server(serverSide);
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      String http = "http://127.0.0.1:" + server.port() + "/gun";
      Wire wire = dialer.dial(http, clientSide).get(10, TimeUnit.SECONDS);
      assertThat(wire.url()).isEqualTo(http); // the peer's identity stays as configured
      assertThat(clientSide.nextReceived()).isEqualTo("hello");
    }
  }

  @Test
  void interoperatesWithTheJdkClientIncludingPing() throws Exception {
    try (WebSocketServer server = server(serverSide)) {
      LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
      WebSocket.Listener jdk =
          new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              text.append(data);
              if (last) {
                got.add(text.toString());
                text.setLength(0);
              }
              ws.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
              pongs.add(message);
              ws.request(1);
              return null;
            }
          };
      HttpClient http = HttpClient.newHttpClient();
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(url(server) + "?x=y"), jdk)
              .get(10, TimeUnit.SECONDS);
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
      ws.sendText("{\"jdk\":\"😀\"}", true).get(10, TimeUnit.SECONDS);
      assertThat(serverSide.nextReceived()).isEqualTo("{\"jdk\":\"😀\"}");
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"jdk\":\"😀\"}");
      ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(10, TimeUnit.SECONDS);
      ByteBuffer pong = pongs.poll(10, TimeUnit.SECONDS);
      assertThat(pong).isNotNull();
      assertThat(pong.remaining()).isEqualTo(3);
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
      assertThat(serverSide.nextClosed().cause()).isNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
    }
  }
}
