package io.jgun.mesh;

import java.util.concurrent.CompletableFuture;

/**
 * Opens connections to peers by URL ({@code ws://host:port/gun}, {@code wss://…}, or {@code
 * http(s)://…} which Gun.js rewrites to ws). A transport implements it (jgun-netty's
 * WebSocketDialer); the mesh uses it for {@code --peers} and reconnects.
 */
public interface Dialer {

  /**
   * Dials {@code url}. The future completes with the open wire (after {@link WireListener#opened}
   * was called) or fails with the reason the connection could not be made.
   */
  CompletableFuture<Wire> dial(String url, WireListener listener);
}
