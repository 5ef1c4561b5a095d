package io.jgun.netty;

import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;

/**
 * Netty's RFC 6455 client handshake with our decoder settings: the stock one closes the connection
 * itself on a protocol error, before the listener could hear of an oversized frame.
 */
final class ClientHandshaker extends WebSocketClientHandshaker13 {

  private final WebSocketDecoderConfig decoderConfig;

  ClientHandshaker(URI uri, int maxFrameBytes, long closeTimeoutMillis) {
    super(uri, WebSocketVersion.V13, null, false, null, maxFrameBytes, true, false, closeTimeoutMillis);
    this.decoderConfig =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(maxFrameBytes)
            .expectMaskedFrames(false)
            .allowMaskMismatch(false)
            .allowExtensions(false)
            .closeOnProtocolViolation(false)
            .withUTF8Validator(false)
            .build();
  }

  @Override
  protected WebSocketFrameDecoder newWebsocketDecoder() {
    return new WebSocket13FrameDecoder(decoderConfig);
  }
}
