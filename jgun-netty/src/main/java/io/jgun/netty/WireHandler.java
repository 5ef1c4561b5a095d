package io.jgun.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler of an upgraded connection: turns decoded frames into {@link NettyWire}
 * events. Text messages (fragments joined, up to the frame limit) are delivered as strings; binary
 * frames close the connection with 1003; pings are answered; a close frame is answered and ends the
 * connection; decoder errors close with the status they carry (1009 for a frame over the limit,
 * after telling the listener).
 *
 * <p>Memory stays bounded: Netty's decoder refuses a single frame over the limit from its header,
 * before reading the payload, and this handler refuses a fragmented message as soon as the fragments
 * received so far pass the limit.
 */
final class WireHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(WireHandler.class);

  private final NettyWire wire;
  private final int maxFrameBytes;
  /** The fragments of a text message received so far; null between messages. */
  private @Nullable ByteBuf fragments;

  WireHandler(NettyWire wire, int maxFrameBytes) {
    this.wire = wire;
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      handle(ctx, frame);
    } finally {
      frame.release();
    }
  }

  private void handle(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      if (frame.isFinalFragment()) {
        wire.deliver(frame.content().toString(StandardCharsets.UTF_8));
      } else {
        // The decoder guarantees a single frame is within the limit.
        int first = frame.content().readableBytes();
        ByteBuf buf = ctx.alloc().buffer((int) Math.min(2L * first, maxFrameBytes), maxFrameBytes);
        buf.writeBytes(frame.content());
        fragments = buf;
      }
    } else if (frame instanceof ContinuationWebSocketFrame) {
      ByteBuf buf = fragments;
      if (buf == null) {
        return; // the rest of a refused (binary or oversized) message
      }
      long size = (long) buf.readableBytes() + frame.content().readableBytes();
      if (size > maxFrameBytes) {
        discardFragments();
        tooBig(size);
        return;
      }
      buf.writeBytes(frame.content());
      if (frame.isFinalFragment()) {
        String text = buf.toString(StandardCharsets.UTF_8);
        discardFragments();
        wire.deliver(text);
      }
    } else if (frame instanceof BinaryWebSocketFrame) {
      log.warn(
          "{}: binary frame of {} bytes refused (GUN speaks text); closing with 1003",
          wire,
          frame.content().readableBytes());
      wire.fail(WireClosedException.UNSUPPORTED_DATA, "binary frames are not accepted");
    } else if (frame instanceof PingWebSocketFrame) {
      // Written from the channel's tail so it passes the frame encoder wherever this handler sits.
      ctx.channel().writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame close) {
      discardFragments();
      wire.peerClosed(close.statusCode(), close.reasonText());
    }
    // Pong frames: nothing to do.
  }

  private void tooBig(long bytes) {
    log.warn(
        "{}: message of {}{} bytes exceeds the limit of {}; closing with 1009",
        wire,
        bytes > maxFrameBytes + 1L ? "" : "more than ",
        bytes > maxFrameBytes + 1L ? bytes : maxFrameBytes,
        maxFrameBytes);
    wire.oversized(bytes);
  }

  private void discardFragments() {
    ByteBuf buf = fragments;
    if (buf != null) {
      fragments = null;
      buf.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    discardFragments();
    if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      int status = corrupt.closeStatus().code();
      if (status == WireClosedException.MESSAGE_TOO_BIG) {
        // A single frame over the limit, refused from its header: its real size is unknown.
        tooBig(maxFrameBytes + 1L);
      } else {
        log.warn("{}: {}; closing with {}", wire, corrupt.getMessage(), status);
        wire.fail(status, corrupt.closeStatus().reasonText());
      }
    } else if (cause instanceof IOException) {
      // Resets and broken pipes are routine on the internet.
      log.debug("{}: {}", wire, cause.toString());
      wire.abort(cause);
    } else {
      log.warn("{}: unexpected error; dropping the connection", wire, cause);
      wire.abort(cause);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      log.info("{}: idle for too long; closing", wire);
      wire.fail(1001, "idle timeout");
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    discardFragments();
    wire.inactive();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discardFragments();
  }
}
