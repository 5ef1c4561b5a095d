package io.jgun.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A hand-driven WebSocket to a relay ({@link java.net.http.WebSocket}): sends exactly the text it is
 * given and records every message the relay sends (each element of a batch array separately).
 */
final class RawSocket implements AutoCloseable {

  private static final AtomicInteger IDS = new AtomicInteger();

  private final WebSocket socket;
  private final Recorder recorder;

  private RawSocket(WebSocket socket, Recorder recorder) {
    this.socket = socket;
    this.recorder = recorder;
  }

  static RawSocket connect(Relay relay) {
    Recorder recorder = new Recorder();
    try {
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .buildAsync(URI.create(relay.url()), recorder)
          .get(15, TimeUnit.SECONDS);
      return new RawSocket(socket, recorder);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot open a WebSocket to " + relay.url() + "\n" + relay.diagnostics(), e);
    }
  }

  /** A fresh message id for hand-written messages. */
  static String freshId(String prefix) {
    return prefix + IDS.incrementAndGet() + "x" + System.nanoTime() % 100_000;
  }

  /**
   * Sends one text frame and waits until it is written. Returns false when the relay closed the
   * connection before the frame was out (which counts as dropping it cleanly).
   */
  boolean send(String text, Duration timeout) {
    try {
      socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (isClosed()) {
        return false;
      }
      throw new AssertionError("sending failed without the connection being closed", e.getCause());
    } catch (TimeoutException e) {
      if (isClosed()) {
        return false;
      }
      throw new AssertionError("sending " + text.length() + " chars took over " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  boolean send(String text) {
    return send(text, Duration.ofSeconds(10));
  }

  /** Sends a GET for {@code soul} (and field, if given) and returns the message id used. */
  String get(String soul, @Nullable Object field) {
    String id = freshId("g");
    StringBuilder get = new StringBuilder("{\"#\":").append(Json.write(soul));
    if (field != null) {
      get.append(",\".\":").append(Json.write(field));
    }
    get.append('}');
    send("{\"#\":" + Json.write(id) + ",\"get\":" + get + "}");
    return id;
  }

  /** Whether the relay (or the network) closed the connection. */
  boolean isClosed() {
    return recorder.closed.isDone() || socket.isInputClosed();
  }

  /** The close status the relay sent, or -1 when the connection was not closed with a close frame. */
  int closeCode() {
    return recorder.closed.getNow(-1);
  }

  /** The reason text of the close frame (or the error), empty while open. */
  String closeReason() {
    return recorder.closeReason;
  }

  /** Every message received so far (batch arrays are split into their elements). */
  List<JsonNode> received() {
    return List.copyOf(recorder.messages);
  }

  long framesReceived() {
    return recorder.frames.get();
  }

  /** Waits for the first message with {@code "@": id}. */
  JsonNode awaitReply(String id, Duration timeout) {
    return await("a reply to " + id, m -> id.equals(m.path("@").asText(null)), timeout);
  }

  /** Waits until a received message matches; fails with everything received when none does. */
  JsonNode await(String what, Predicate<JsonNode> matches, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    synchronized (recorder) {
      while (true) {
        List<JsonNode> all = recorder.messages;
        for (; checked < all.size(); checked++) {
          if (matches.test(all.get(checked))) {
            return all.get(checked);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms; received "
              + abbreviate(all) + (isClosed() ? " (connection closed, code " + closeCode() + ")" : ""));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(recorder, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  /** How a relay dealt with a connection after hostile input. */
  enum Outcome { ANSWERED, CLOSED }

  /**
   * Sends a GET on this connection and waits for either its answer or the connection to close: a
   * relay facing hostile input must do one or the other, never leave the connection hanging.
   */
  Outcome probe(Duration timeout) {
    if (isClosed()) {
      return Outcome.CLOSED;
    }
    String id = freshId("probe");
    String frame = "{\"#\":\"" + id + "\",\"get\":{\"#\":\"jgun-interop/probe/" + id + "\"}}";
    if (!send(frame, timeout)) {
      return Outcome.CLOSED;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorder) {
      while (true) {
        for (JsonNode m : recorder.messages) {
          if (id.equals(m.path("@").asText(null))) {
            return Outcome.ANSWERED;
          }
        }
        if (isClosed()) {
          return Outcome.CLOSED;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the relay neither answered GET " + id + " nor closed the connection within "
              + timeout.toMillis() + " ms; received " + abbreviate(recorder.messages));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(recorder, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  private static String abbreviate(List<JsonNode> messages) {
    String text = messages.toString();
    return text.length() > 1500 ? text.substring(0, 1500) + "…(" + messages.size() + " messages)" : text;
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null);
    }
    socket.abort();
  }

  /** Collects what the relay sends; notifies waiters on the recorder's monitor. */
  private static final class Recorder implements WebSocket.Listener {

    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final AtomicLong frames = new AtomicLong();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason = "";
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        frames.incrementAndGet();
        List<JsonNode> parsed = new ArrayList<>();
        try {
          JsonNode node = Json.parse(text);
          if (node.isArray()) {
            node.forEach(parsed::add);
          } else {
            parsed.add(node);
          }
        } catch (JsonProcessingException e) {
          parsed.add(Json.MAPPER.getNodeFactory().textNode(text));
        }
        synchronized (this) {
          messages.addAll(parsed);
          notifyAll();
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      synchronized (this) {
        closeReason = reason;
        closed.complete(statusCode);
        notifyAll();
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      synchronized (this) {
        closeReason = String.valueOf(error);
        closed.complete(-1);
        notifyAll();
      }
    }
  }
}
