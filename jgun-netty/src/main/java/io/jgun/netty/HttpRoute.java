package io.jgun.netty;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A hook for the plain HTTP requests a {@link WebSocketServer} receives (everything that is not a
 * WebSocket upgrade). Routes are tried in the order they were added; the first non-null reply is
 * sent. When none answers, the server replies {@code 200 text/plain "jgun relay"} to GET and HEAD,
 * {@code 204} to OPTIONS and {@code 405} to anything else. Every reply carries {@code
 * Access-Control-Allow-Origin: *} (as Gun.js's {@code serve} does, docs/protocol.md §5.3) unless
 * the route sets it, and the connection is closed after the reply.
 *
 * <p>Routes run on the connection's I/O thread: they must not block (no disk reads of unknown
 * size, no network calls). Request bodies are not passed on (a request may carry up to 64 KiB).
 */
@FunctionalInterface
public interface HttpRoute {

  /** Answers {@code request}, or returns null to let the next route try. */
  @Nullable Reply handle(Request request);

  /**
   * An HTTP request head.
   *
   * @param method the method, upper case as sent ("GET")
   * @param uri the request target as sent ("/gun.js?x=1")
   * @param path the part of {@code uri} before any '?', not decoded
   * @param query the part after '?', or "" when there is none
   * @param headers header values by lower-case name (repeated headers joined with ", ")
   * @param remote the client's address, for logs
   */
  record Request(
      String method, String uri, String path, String query, Map<String, String> headers,
      String remote) {
    public Request {
      headers = Map.copyOf(headers);
    }

    /** The value of header {@code name} (any case), or null. */
    public @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * A reply. {@code body} is sent as given (the array is not copied: do not change it afterwards).
   *
   * @param status the HTTP status code
   * @param contentType the Content-Type header value
   * @param body the body bytes (omitted on the wire for HEAD requests)
   * @param headers extra headers
   */
  record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Reply {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("HTTP status out of range: " + status);
      }
      headers = Map.copyOf(headers);
    }

    /** A UTF-8 {@code text/plain} reply. */
    public static Reply text(int status, String text) {
      return new Reply(
          status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** This reply with one more header. */
    public Reply withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Reply(status, contentType, body, more);
    }
  }
}
