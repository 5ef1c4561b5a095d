package io.jgun.relay;

import io.jgun.mesh.Dialer;
import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The state of each peer this relay dials ({@code --peers}), for the status page: a {@link
 * Dialer} in front of the real one that watches each dial and its connection. The mesh decides
 * when to dial; this only observes.
 */
final class PeerLinks implements Dialer {

  /** A dialed peer's state: being dialed, connected, or down (between attempts). */
  enum State {
    CONNECTING,
    OPEN,
    DOWN
  }

  /** One dialed peer: its state since when (epoch ms), connections made, and the last failure. */
  record Link(String url, State state, long sinceMillis, long connects, @Nullable String lastError) {}

  private final Dialer dialer;
  private final Clock clock;
  private final Consumer<String> onError;
  private final Map<String, Link> links = new ConcurrentHashMap<>();

  /** Watches {@code dialer}; {@code onError} hears a one-line reason for each failed or lost link. */
  PeerLinks(Dialer dialer, Clock clock, Consumer<String> onError) {
    this.dialer = dialer;
    this.clock = clock;
    this.onError = onError;
  }

  @Override
  public CompletableFuture<Wire> dial(String url, WireListener listener) {
    update(url, State.CONNECTING, 0, null);
    CompletableFuture<Wire> dialed = dialer.dial(url, new Watching(url, listener));
    dialed.whenComplete(
        (wire, e) -> {
          if (e != null) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            update(url, State.DOWN, 0, why);
            onError.accept("peer " + url + ": " + why);
          }
        });
    return dialed;
  }

  /** Every dialed peer, in URL order. */
  List<Link> links() {
    List<Link> all = new ArrayList<>(links.values());
    all.sort((a, b) -> a.url().compareTo(b.url()));
    return all;
  }

  private void update(String url, State state, int connected, @Nullable String error) {
    long now = clock.millis();
    links.compute(
        url,
        (k, old) -> {
          long connects = (old == null ? 0 : old.connects()) + connected;
          String lastError = error != null ? error : old == null ? null : old.lastError();
          long since = old != null && old.state() == state ? old.sinceMillis() : now;
          return new Link(url, state, since, connects, lastError);
        });
  }

  /** The mesh's listener for one dialed wire, noting when it opens and closes. */
  private final class Watching implements WireListener {
    private final String url;
    private final WireListener delegate;

    Watching(String url, WireListener delegate) {
      this.url = url;
      this.delegate = delegate;
    }

    @Override
    public void opened(Wire wire) {
      update(url, State.OPEN, 1, null);
      delegate.opened(wire);
    }

    @Override
    public void received(Wire wire, String frame) {
      delegate.received(wire, frame);
    }

    @Override
    public void oversized(Wire wire, long bytes) {
      delegate.oversized(wire, bytes);
    }

    @Override
    public void closed(Wire wire, @Nullable Throwable cause) {
      String why = cause == null ? null : cause.getMessage() != null ? cause.getMessage() : cause.toString();
      update(url, State.DOWN, 0, why);
      onError.accept("peer " + url + ": connection closed" + (why == null ? "" : ": " + why));
      delegate.closed(wire, cause);
    }
  }
}
