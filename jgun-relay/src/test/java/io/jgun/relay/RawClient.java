package io.jgun.relay;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A raw WebSocket client (the JDK's) that records every frame the relay sends. Public for
 * jgun-cli's tests (through this module's test-jar).
 */
public final class RawClient implements AutoCloseable {
  public final List<String> frames = new CopyOnWriteArrayList<>();
  /** How many {@code "ok":true} acks arrived. */
  public final java.util.concurrent.atomic.AtomicInteger oks = new java.util.concurrent.atomic.AtomicInteger();
  private final WebSocket ws;
  private final StringBuilder partial = new StringBuilder();
  volatile boolean closed;

  public RawClient(int port) {
    ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/gun"), new Listener())
            .join();
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String f = partial.toString();
        frames.add(f);
        for (int i = f.indexOf("\"ok\":true"); i >= 0; i = f.indexOf("\"ok\":true", i + 1)) {
          oks.incrementAndGet();
        }
        partial.setLength(0);
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
      closed = true;
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      closed = true;
    }
  }

  public void send(String text) {
    ws.sendText(text, true).join();
  }

  public List<String> with(String needle) {
    return frames.stream().filter(f -> f.contains(needle)).collect(Collectors.toList());
  }

  /** Waits for a frame containing {@code needle} and returns the first such frame. */
  public String awaitFrame(String needle) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !with(needle).isEmpty());
    return with(needle).get(0);
  }

  @Override
  public void close() {
    ws.abort();
  }
}
