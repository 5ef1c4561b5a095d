package io.jgun.netty;

import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client side of the upgrade: sends the request once connected (after TLS, which the TLS
 * handler waits for), checks the 101 answer, then installs the {@link WireHandler}, fires {@code
 * opened} and completes the dial's future. Any failure before that fails the future (and the
 * listener hears nothing).
 */
final class ClientHandshakeHandler extends ChannelInboundHandlerAdapter {

  private final String url;
  private final ClientHandshaker handshaker;
  private final WireListener listener;
  private final WireLimits limits;
  private final Duration handshakeTimeout;
  private final CompletableFuture<Wire> result;
  private @Nullable ScheduledFuture<?> timeout;
  private boolean done;

  ClientHandshakeHandler(
      String url,
      WebSocketUrl target,
      WireListener listener,
      WireLimits limits,
      FrameAssembly assembly,
      Duration handshakeTimeout,
      CompletableFuture<Wire> result) {
    this.url = url;
    this.handshaker =
        new ClientHandshaker(
            target.uri(), limits.maxFrameBytes(), limits.closeTimeout().toMillis(), assembly);
    this.listener = listener;
    this.limits = limits;
    this.handshakeTimeout = handshakeTimeout;
    this.result = result;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout =
        ctx.executor()
            .schedule(
                () -> fail(ctx, "no WebSocket handshake within " + handshakeTimeout, null),
                handshakeTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    handshaker
        .handshake(ctx.channel())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(ctx, "cannot send the upgrade request: " + rootMessage(f.cause()), f.cause());
              }
            });
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpResponse response)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      if (done) {
        return;
      }
      NettyWire wire = new NettyWire(ctx.channel(), listener, limits, true, url);
      try {
        handshaker.finish(ctx.channel(), response, wire);
      } catch (WebSocketHandshakeException e) {
        fail(ctx, "upgrade refused: HTTP " + response.status() + ": " + e.getMessage(), e);
        return;
      }
      done = true;
      cancelTimeout();
      ctx.pipeline().remove(this);
      wire.activate();
      if (!result.complete(wire)) {
        wire.close(); // the caller gave up (cancelled the future)
      }
    } finally {
      response.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, rootMessage(cause), cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, "connection closed during the WebSocket handshake", null);
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimeout();
  }

  private void fail(ChannelHandlerContext ctx, String message, @Nullable Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    cancelTimeout();
    result.completeExceptionally(
        cause == null ? new DialException(url, message) : new DialException(url, message, cause));
    ctx.close();
  }

  private void cancelTimeout() {
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      timeout = null;
      t.cancel(false);
    }
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
