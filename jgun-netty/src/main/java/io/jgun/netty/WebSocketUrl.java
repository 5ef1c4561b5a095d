package io.jgun.netty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A peer URL made dialable: {@code http(s)://} is rewritten to {@code ws(s)://} as Gun.js does
 * (docs/protocol.md §4.4), the path and query are kept as given, a fragment is dropped.
 *
 * @param uri the ws or wss URI to upgrade on
 * @param host the host to connect to (IPv6 without brackets)
 * @param port the port (80 or 443 when the URL has none)
 * @param secure whether to use TLS
 */
record WebSocketUrl(URI uri, String host, int port, boolean secure) {

  static WebSocketUrl parse(String url) {
    URI given;
    try {
      given = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
    }
    String scheme = given.getScheme() == null ? "" : given.getScheme().toLowerCase(Locale.ROOT);
    boolean secure;
    switch (scheme) {
      case "ws":
      case "http":
        secure = false;
        break;
      case "wss":
      case "https":
        secure = true;
        break;
      default:
        throw new IllegalArgumentException("scheme must be ws, wss, http or https: " + url);
    }
    String host = given.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + url);
    }
    int port = given.getPort() == -1 ? (secure ? 443 : 80) : given.getPort();
    String path = given.getRawPath() == null || given.getRawPath().isEmpty() ? "/" : given.getRawPath();
    String query = given.getRawQuery() == null ? "" : "?" + given.getRawQuery();
    URI ws =
        URI.create(
            (secure ? "wss://" : "ws://")
                + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host)
                + ":"
                + port
                + path
                + query);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new WebSocketUrl(ws, host, port, secure);
  }
}
