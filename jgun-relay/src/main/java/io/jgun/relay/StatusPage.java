package io.jgun.relay;

import io.jgun.netty.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The operator's page: {@code GET /status} is one HTML file with its script and styles inline (no
 * external assets: it works with no network), which polls {@code GET /status.json} every two
 * seconds and draws the figures and the last ten minutes' charts. Counts only, never data.
 */
final class StatusPage implements HttpRoute {
  private final byte[] html;
  private final Supplier<String> json;

  StatusPage(Supplier<String> json) {
    this.json = json;
    try (InputStream in =
        Objects.requireNonNull(StatusPage.class.getResourceAsStream("status.html"), "status.html")) {
      this.html = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public @Nullable Reply handle(Request request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return null;
    }
    switch (request.path()) {
      case "/status":
        return new Reply(200, "text/html; charset=utf-8", html, Map.of())
            .withHeader("Cache-Control", "no-cache")
            .withHeader("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:");
      case "/status.json":
        return new Reply(
                200,
                "application/json",
                json.get().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of())
            .withHeader("Cache-Control", "no-store");
      default:
        return null;
    }
  }
}
