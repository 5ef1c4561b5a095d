package io.jgun.netty;

import io.jgun.mesh.WireListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a server connection: upgrades WebSocket requests for the configured path,
 * answers other upgrades with 400 the way the Node {@code ws} server does (docs/protocol.md §5.2),
 * and hands plain requests to the {@link HttpRoute}s. A connection that sends no complete request
 * within the handshake timeout is closed. Removed from the pipeline once the connection is
 * upgraded.
 */
final class ServerHttpHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerHttpHandler.class);

  /** A Sec-WebSocket-Key: 16 random bytes in base64 (the check {@code ws} makes). */
  private static final Pattern KEY = Pattern.compile("^[+/0-9A-Za-z]{22}==$");

  private static final HttpRoute.Reply BANNER = HttpRoute.Reply.text(200, "jgun relay");

  private final ServerConfig config;
  private final WireListener listener;
  /** Shared by all of a server's connections (see {@link WireHandler#decoderConfig}). */
  private final WebSocketDecoderConfig decoderConfig;
  /** Shared by all of a server's connections. */
  private final FrameAssembly assembly;
  private @Nullable ScheduledFuture<?> timeout;

  ServerHttpHandler(
      ServerConfig config, WireListener listener, WebSocketDecoderConfig decoderConfig, FrameAssembly assembly) {
    this.config = config;
    this.listener = listener;
    this.decoderConfig = decoderConfig;
    this.assembly = assembly;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Duration limit = config.handshakeTimeout();
    timeout =
        ctx.executor()
            .schedule(
                () -> {
                  log.debug(
                      "{}: no request within {}; closing",
                      NettyWire.describe(ctx.channel().remoteAddress()),
                      limit);
                  ctx.close();
                },
                limit.toNanos(),
                TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      cancelTimeout();
      if (request.decoderResult().isFailure()) {
        log.debug("{}: malformed HTTP request: {}", remote(ctx), request.decoderResult().cause());
        badRequest(ctx);
      } else if (isUpgrade(request.headers())) {
        upgrade(ctx, request);
      } else {
        serve(ctx, request);
      }
    } finally {
      request.release();
    }
  }

  /**
   * A WebSocket upgrade attempt. Other upgrades (an HTTP client offering {@code h2c}) are ignored,
   * as HTTP/1.1 allows, and served as plain requests.
   */
  private static boolean isUpgrade(HttpHeaders headers) {
    return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
    HttpHeaders headers = request.headers();
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (!HttpMethod.GET.equals(request.method())
        || key == null
        || !KEY.matcher(key.trim()).matches()
        || version == null
        || !"13".equals(version.trim())
        || !path.equals(config.path())) {
      log.debug("{}: WebSocket upgrade refused: {} {}", remote(ctx), request.method(), uri);
      badRequest(ctx);
      return;
    }
    String scheme = config.tls() ? "wss://" : "ws://";
    String host = headers.get(HttpHeaderNames.HOST, "localhost");
    NettyWire wire = new NettyWire(ctx.channel(), listener, config.limits(), false, null);
    // The handshaker installs its decoder as "wsdecoder": ours is the WireHandler itself.
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshaker13(scheme + host + uri, null, decoderConfig) {
          @Override
          protected WebSocketFrameDecoder newWebsocketDecoder() {
            return new WireHandler(wire, decoderConfig, assembly);
          }
        };

    ChannelPipeline pipeline = ctx.pipeline();
    handshaker
        .handshake(ctx.channel(), request)
        .addListener(
            done -> {
              if (done.isSuccess()) {
                // The wire writes frames it encodes itself (ServerFrames): no encoder needed.
                ChannelPipeline p = wire.channel().pipeline();
                if (p.get("wsencoder") != null) {
                  p.remove("wsencoder");
                }
                wire.activate();
              } else {
                log.debug("{}: handshake failed: {}", wire, done.cause().toString());
                ctx.channel().close();
              }
            });
    // The handshaker has installed the WireHandler ("wsdecoder") by now.
    Duration idle = config.limits().idleTimeout();
    if (idle != null && pipeline.get("wsdecoder") != null) {
      pipeline.addBefore(
          "wsdecoder", "idle", new IdleStateHandler(0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
    }
    pipeline.remove(this);
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
    }
    HttpRoute.Request req =
        new HttpRoute.Request(
            request.method().name(),
            uri,
            q < 0 ? uri : uri.substring(0, q),
            q < 0 ? "" : uri.substring(q + 1),
            headers,
            remote(ctx));
    HttpRoute.Reply reply = null;
    try {
      for (HttpRoute route : config.routes()) {
        reply = route.handle(req);
        if (reply != null) {
          break;
        }
      }
    } catch (RuntimeException e) {
      log.error("{}: HTTP route failed on {} {}", req.remote(), req.method(), uri, e);
      reply = HttpRoute.Reply.text(500, "Internal Server Error");
    }
    if (reply == null) {
      reply = fallback(req.method());
    }
    respond(ctx, reply, HttpMethod.HEAD.equals(request.method()));
  }

  private static HttpRoute.Reply fallback(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
        return BANNER;
      case "OPTIONS":
        return new HttpRoute.Reply(204, "text/plain; charset=utf-8", new byte[0], Map.of())
            .withHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
            .withHeader("Access-Control-Allow-Headers", "*");
      default:
        return HttpRoute.Reply.text(405, "Method Not Allowed").withHeader("Allow", "GET, HEAD");
    }
  }

  private static void respond(ChannelHandlerContext ctx, HttpRoute.Reply reply, boolean head) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(reply.status()),
            head || reply.body().length == 0
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(reply.body()));
    HttpHeaders out = response.headers();
    out.set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
      out.set(h.getKey(), h.getValue());
    }
    out.setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** What {@code ws} sends when it aborts a handshake. */
  private static void badRequest(ChannelHandlerContext ctx) {
    byte[] body = "Bad Request".getBytes(StandardCharsets.US_ASCII);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String remote(ChannelHandlerContext ctx) {
    return NettyWire.describe(ctx.channel().remoteAddress());
  }

  private void cancelTimeout() {
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      timeout = null;
      t.cancel(false);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: error before the upgrade: {}", remote(ctx), cause.toString());
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimeout();
  }
}
