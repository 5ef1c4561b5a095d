package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the server answers to requests that are not a WebSocket upgrade on /gun (docs/protocol.md §5.2, §5.3). */
class HttpSideTest {

  static {
    Leaks.install();
  }

  private final RecordingListener listener = new RecordingListener();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void contract() {
    assertThat(listener.violations).isEmpty();
    assertThat(listener.opened).as("no wire for HTTP requests").isEmpty();
    Leaks.assertNone();
  }

  private WebSocketServer server(WebSocketServer.Builder builder) throws Exception {
    return builder.host("127.0.0.1").port(0).build().start(listener);
  }

  private static String base(WebSocketServer server) {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void plainGetOnAnyPathIsAnsweredWithTheBannerAndCors() throws Exception {
    try (WebSocketServer server = server(WebSocketServer.builder())) {
      for (String path : new String[] {"/", "/gun", "/anything/else?x=1"}) {
        HttpResponse<String> res =
            http.send(
                HttpRequest.newBuilder(URI.create(base(server) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path).isEqualTo(200);
        assertThat(res.body()).isEqualTo("jgun relay");
        assertThat(res.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
            v -> assertThat(v).startsWith("text/plain"));
      }
    }
  }

  @Test
  void headOptionsAndOtherMethods() throws Exception {
    try (WebSocketServer server = server(WebSocketServer.builder())) {
      HttpResponse<String> head =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("content-length")).hasValue("10");

      HttpResponse<String> options =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/gun"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(options.statusCode()).isEqualTo(204);
      assertThat(options.headers().firstValue("access-control-allow-origin")).hasValue("*");

      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void routesAreTriedInOrderBeforeTheBanner() throws Exception {
    WebSocketServer.Builder builder =
        WebSocketServer.builder()
            .route(req -> req.path().equals("/hello") ? HttpRoute.Reply.text(200, "hi " + req.query()) : null)
            .route(
                req ->
                    req.path().startsWith("/boom")
                        ? (HttpRoute.Reply) failing()
                        : null)
            .route(
                req ->
                    req.path().equals("/js")
                        ? new HttpRoute.Reply(
                                200, "text/javascript", "x()".getBytes(), java.util.Map.of())
                            .withHeader("Cache-Control", "no-cache")
                        : null);
    try (WebSocketServer server = server(builder)) {
      HttpResponse<String> hello =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/hello?name=x")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(hello.body()).isEqualTo("hi name=x");
      assertThat(hello.headers().firstValue("access-control-allow-origin")).hasValue("*");

      HttpResponse<String> js =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/js")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(js.body()).isEqualTo("x()");
      assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript");
      assertThat(js.headers().firstValue("cache-control")).hasValue("no-cache");

      HttpResponse<String> boom =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/boom")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(boom.statusCode()).isEqualTo(500);

      HttpResponse<String> other =
          http.send(
              HttpRequest.newBuilder(URI.create(base(server) + "/other")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(other.body()).isEqualTo("jgun relay");
    }
  }

  private static Object failing() {
    throw new IllegalStateException("route bug (expected by the test)");
  }

  @Test
  void upgradeToAnotherPathIsRefusedWith400() throws Exception {
    try (WebSocketServer server = server(WebSocketServer.builder())) {
      for (String path : new String[] {"/other", "/gun/", "/gunx", "/GUN", "/"}) {
        assertThatThrownBy(
                () ->
                    http.newWebSocketBuilder()
                        .buildAsync(
                            URI.create("ws://127.0.0.1:" + server.port() + path),
                            new WebSocket.Listener() {})
                        .get(10, TimeUnit.SECONDS))
            .as(path)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOfSatisfying(
                WebSocketHandshakeException.class,
                e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));
      }
      // Exactly what the Node ws server sends when it aborts a handshake.
      String raw =
          RawWebSocket.exchange(
              server.port(),
              "GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertThat(raw).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("\r\n\r\nBad Request");
    }
  }

  @Test
  void malformedUpgradesToTheRightPathAreRefusedWith400() throws Exception {
    try (WebSocketServer server = server(WebSocketServer.builder())) {
      String noKey =
          "GET /gun HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Version: 13\r\n\r\n";
      String badVersion =
          "GET /gun HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
              + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 7\r\n\r\n";
      String post =
          "POST /gun HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n"
              + "Content-Length: 0\r\n\r\n";
      String garbage = "NOT HTTP AT ALL\r\n\r\n";
      for (String request : new String[] {noKey, badVersion, post, garbage}) {
        assertThat(RawWebSocket.exchange(server.port(), request))
            .as(request)
            .startsWith("HTTP/1.1 400 Bad Request\r\n");
      }
      // and the right request still upgrades
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun?x=1")) {
        assertThat(listener.nextOpened().isOpen()).isTrue();
        ws.sendText("[]");
        assertThat(listener.nextReceived()).isEqualTo("[]");
      }
      listener.nextClosed();
    }
  }
}
