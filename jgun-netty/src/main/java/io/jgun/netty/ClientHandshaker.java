package io.jgun.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * Netty's RFC 6455 client handshake, with the {@link WireHandler} as its frame decoder: the stock
 * decoder would close the connection itself on a protocol error, before the listener could hear of
 * an oversized frame.
 */
final class ClientHandshaker extends WebSocketClientHandshaker13 {

  private final WebSocketDecoderConfig decoderConfig;
  private final FrameAssembly assembly;
  /** The wire the decoder delivers to: set by {@link #finish} just before Netty asks for it. */
  private @Nullable NettyWire wire;

  ClientHandshaker(URI uri, int maxFrameBytes, long closeTimeoutMillis, FrameAssembly assembly) {
    super(uri, WebSocketVersion.V13, null, false, null, maxFrameBytes, true, false, closeTimeoutMillis);
    this.decoderConfig = WireHandler.decoderConfig(maxFrameBytes, false);
    this.assembly = assembly;
  }

  /**
   * Checks the server's 101 answer and installs the {@link WireHandler} for {@code wire}.
   *
   * @throws io.netty.handler.codec.http.websocketx.WebSocketHandshakeException if the answer is
   *     not a valid upgrade
   */
  void finish(Channel channel, FullHttpResponse response, NettyWire wire) {
    this.wire = wire;
    finishHandshake(channel, response);
  }

  @Override
  protected WebSocketFrameDecoder newWebsocketDecoder() {
    NettyWire w = wire;
    if (w == null) {
      throw new IllegalStateException("finish() installs the decoder");
    }
    return new WireHandler(w, decoderConfig, assembly);
  }
}
