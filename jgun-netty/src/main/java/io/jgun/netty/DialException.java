package io.jgun.netty;

import java.io.IOException;

/**
 * A dial that failed: the URL was malformed, the TCP connection or the TLS handshake failed or
 * timed out, or the server refused the WebSocket upgrade. The cause, when there is one, is the
 * underlying error (a {@link java.net.ConnectException}, an {@link javax.net.ssl.SSLException}, a
 * Netty handshake exception carrying the HTTP response status, ...).
 */
public final class DialException extends IOException {

  private final String url;

  /** Creates one for {@code url}. */
  public DialException(String url, String message, Throwable cause) {
    super("dial " + url + ": " + message, cause);
    this.url = url;
  }

  /** Creates one for {@code url} without a cause. */
  public DialException(String url, String message) {
    super("dial " + url + ": " + message);
    this.url = url;
  }

  /** The URL as it was given to {@link WebSocketDialer#dial}. */
  public String url() {
    return url;
  }
}
