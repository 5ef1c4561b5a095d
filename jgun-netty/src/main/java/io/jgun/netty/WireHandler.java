package io.jgun.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of an upgraded connection, in one handler: Netty's RFC 6455 frame decoder
 * (extended, not chained), the UTF-8 check, and the hand-off of whole messages to the {@link
 * NettyWire}. One handler instead of three (decoder, UTF-8 validator, wire handler) because an idle
 * connection's cost is mostly its per-channel objects, and each handler in a pipeline costs a
 * context besides itself (see docs/benchmarks.md, "idle connections").
 *
 * <p>Text messages (fragments joined, up to the frame limit) are delivered as strings once their
 * bytes are checked to be UTF-8 (1007 otherwise, as Netty's validator would); binary frames close
 * the connection with 1003; pings are answered; a close frame is answered and ends the connection;
 * decoder errors close with the status they carry (1009 for a frame over the limit, after telling
 * the listener).
 *
 * <p>Memory stays bounded: the decoder refuses a single frame over the limit from its header,
 * before reading the payload, and this handler refuses a fragmented message as soon as the
 * fragments received so far pass the limit. Across connections, what messages being assembled
 * hold is counted in a shared {@link FrameAssembly}: a read that would take it past its cap
 * refuses that connection's message the same way (1009), instead of failing an allocation.
 *
 * <p>Every read is reported to the wire ({@link NettyWire#read}) before it is decoded, so a
 * listener that meters bytes can pause the connection while a large message is still arriving.
 */
final class WireHandler extends WebSocket13FrameDecoder {

  private static final Logger log = LoggerFactory.getLogger(WireHandler.class);

  private final NettyWire wire;
  private final int maxFrameBytes;
  private final FrameAssembly assembly;
  /** The fragments of a text message received so far; null between messages. */
  private @Nullable ByteBuf fragments;
  /** What this connection counts in {@link #assembly}. */
  private long held;
  /** True once a message was refused for want of assembly memory: the rest is dropped unread. */
  private boolean refused;

  /**
   * @param config the decoder's settings: masked frames or not, the frame limit; extensions off,
   *     and no close on a protocol violation (this handler closes, after telling the listener)
   * @param assembly the memory shared by the messages being assembled on all connections
   */
  WireHandler(NettyWire wire, WebSocketDecoderConfig config, FrameAssembly assembly) {
    super(config);
    this.wire = wire;
    this.maxFrameBytes = config.maxFramePayloadLength();
    this.assembly = assembly;
  }

  /** The decoder's settings for a wire whose frames are limited to {@code maxFrameBytes}. */
  static WebSocketDecoderConfig decoderConfig(int maxFrameBytes, boolean expectMaskedFrames) {
    return WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(maxFrameBytes)
        .expectMaskedFrames(expectMaskedFrames)
        .allowMaskMismatch(false)
        .allowExtensions(false)
        // Errors reach exceptionCaught, which lets the listener answer before closing.
        .closeOnProtocolViolation(false)
        .withUTF8Validator(false) // checked here, once per message
        .build();
  }

  NettyWire wire() {
    return wire;
  }

  /**
   * Reports the bytes to the wire, counts what assembling them may hold (refusing the message if
   * that would pass the shared cap), then decodes them.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf in)) {
      super.channelRead(ctx, msg);
      return;
    }
    if (refused) {
      in.release(); // the rest of a message refused for memory, until the close completes
      return;
    }
    int n = in.readableBytes();
    wire.read(n);
    long want = assembling(n);
    if (!assembly.resize(held, want)) {
      in.release();
      refuse(want);
      return;
    }
    held = want;
    try {
      super.channelRead(ctx, msg);
    } finally {
      long now = ctx.isRemoved() ? 0 : assembling(0);
      assembly.resize(held, now); // a shrink: what was decoded is gone
      held = now;
    }
  }

  /**
   * What this connection may hold while it assembles the bytes it has buffered plus {@code more}:
   * {@link FrameAssembly#FACTOR} times them (see there).
   */
  private long assembling(int more) {
    ByteBuf f = fragments;
    return FrameAssembly.FACTOR * ((long) internalBuffer().readableBytes() + more + (f == null ? 0 : f.readableBytes()));
  }

  private void refuse(long want) {
    refused = true;
    discardFragments();
    log.warn(
        "{}: messages being assembled on all connections hold {} of {} bytes; refusing this one ({} bytes buffered), closing with 1009",
        wire,
        assembly.held(),
        assembly.capBytes(),
        want / FrameAssembly.FACTOR);
    wire.oversized(want / FrameAssembly.FACTOR);
  }

  /** Decodes what the bytes hold and handles each frame here instead of passing it on. */
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    super.decode(ctx, in, out);
    int n = out.size();
    if (n == 0) {
      return;
    }
    int i = 0;
    try {
      for (; i < n; i++) {
        Object msg = out.get(i);
        try {
          if (msg instanceof WebSocketFrame frame) {
            handle(ctx, frame);
          }
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }
    } finally {
      for (i++; i < n; i++) {
        ReferenceCountUtil.release(out.get(i)); // the frames after one whose handling threw
      }
      out.clear();
    }
  }

  private void handle(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      if (frame.isFinalFragment()) {
        deliver(frame.content());
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
        try {
          deliver(buf);
        } finally {
          discardFragments();
        }
      }
    } else if (frame instanceof BinaryWebSocketFrame) {
      log.warn(
          "{}: binary frame of {} bytes refused (GUN speaks text); closing with 1003",
          wire,
          frame.content().readableBytes());
      wire.fail(WireClosedException.UNSUPPORTED_DATA, "binary frames are not accepted");
    } else if (frame instanceof PingWebSocketFrame) {
      wire.pong(frame.content());
    } else if (frame instanceof CloseWebSocketFrame close) {
      discardFragments();
      wire.peerClosed(close.statusCode(), close.reasonText());
    }
    // Pong frames: nothing to do.
  }

  /** A whole text message: delivered if it is UTF-8, else the connection closes with 1007. */
  private void deliver(ByteBuf text) {
    String s = text.toString(StandardCharsets.UTF_8);
    // Decoding replaces malformed bytes with U+FFFD: only a message holding one needs the strict
    // check (U+FFFD may also be real text).
    if (s.indexOf('\uFFFD') >= 0 && !isUtf8(text)) {
      log.warn(
          "{}: text message of {} bytes is not UTF-8; closing with 1007",
          wire,
          text.readableBytes());
      wire.fail(WireClosedException.INVALID_PAYLOAD, "bytes are not UTF-8");
      return;
    }
    wire.deliver(s);
  }

  private static boolean isUtf8(ByteBuf text) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(text.nioBuffer());
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
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
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      log.info("{}: idle for too long; closing", wire);
      wire.fail(1001, "idle timeout");
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx);
    } finally {
      discardFragments();
      releaseHeld();
      wire.inactive();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    discardFragments();
    releaseHeld();
  }

  private void releaseHeld() {
    assembly.resize(held, 0);
    held = 0;
  }
}
