package io.jgun.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.client.Gun;
import io.jgun.json.Json;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options shared by the client commands ({@code put}, {@code get}, {@code watch}, {@code chat}). */
final class ClientOptions {
  static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--peer", paramLabel = "URL", description = "The relay to talk to (default: ${DEFAULT-VALUE}).", defaultValue = "ws://localhost:8765/gun")
  String peer = "ws://localhost:8765/gun";

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the relay (default: ${DEFAULT-VALUE}).", defaultValue = "10")
  int timeoutSeconds = 10;

  Duration timeout() {
    return Duration.ofSeconds(Math.max(1, timeoutSeconds));
  }

  /** A client on {@code --peer}, connected (or an exception naming the peer). */
  Gun connect() throws ClientFailure {
    Gun gun = Gun.builder().peers(peer).ackTimeout(timeout()).readTimeout(timeout()).build();
    try {
      gun.whenConnected().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      return gun;
    } catch (TimeoutException | ExecutionException e) {
      gun.close();
      throw new ClientFailure("could not connect to " + peer + " within " + timeout().toSeconds() + " s");
    } catch (InterruptedException e) {
      gun.close();
      Thread.currentThread().interrupt();
      throw new ClientFailure("interrupted");
    }
  }

  /** Waits for a future of the client, turning its failure into a {@link ClientFailure}. */
  <T> T await(java.util.concurrent.CompletableFuture<T> f) throws ClientFailure {
    try {
      return f.get(timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new ClientFailure(c.getMessage() != null ? c.getMessage() : c.toString());
    } catch (TimeoutException e) {
      throw new ClientFailure("no answer from " + peer + " within " + timeout().toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientFailure("interrupted");
    }
  }

  /** A command-line value: JSON when it parses as JSON, else the text itself. */
  static @Nullable Object value(String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      return text;
    }
  }

  /**
   * Data as one line of JSON, as Gun.js's {@code JSON.stringify} prints it: numbers in JavaScript's
   * form ({@code 1e+21}, {@code 5e-324}, {@code 0.1}), keys in JavaScript's property order.
   */
  static String json(@Nullable Object data) {
    return Json.fromPlain(data).toJs();
  }

  /** A value for a line of text: a string as it is, anything else as {@link #json}. */
  static String text(@Nullable Object data) {
    return data instanceof String s ? s : json(data);
  }

  /** Why a client command failed, in words for stderr. */
  static final class ClientFailure extends Exception {
    ClientFailure(String message) {
      super(message);
    }
  }
}
