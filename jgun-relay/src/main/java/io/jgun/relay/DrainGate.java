package io.jgun.relay;

import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Stands between the server and the mesh so a shutdown can drain: once {@link #close}d, new
 * WebSocket connections are closed as they open and open ones stop being read (their unread
 * frames stay in TCP's buffers, so no new put is taken), while the frames already read are still
 * handled and their acks still sent. HTTP requests ({@code /ready}) keep being answered.
 */
final class DrainGate implements WireListener {
  private final WireListener mesh;
  private final Set<Wire> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  DrainGate(WireListener mesh) {
    this.mesh = mesh;
  }

  /** Stops taking connections and frames (idempotent). */
  void close() {
    closed = true;
    for (Wire w : open) {
      w.pauseReading(true);
    }
  }

  /** The open connections' outbound bytes not yet written (acks on their way out). */
  long queuedBytes() {
    long n = 0;
    for (Wire w : open) {
      n += w.queuedBytes();
    }
    return n;
  }

  @Override
  public void opened(Wire wire) {
    if (closed) {
      wire.close();
      return;
    }
    open.add(wire);
    if (closed) { // raced with close(): it may not have seen this wire
      wire.pauseReading(true);
    }
    mesh.opened(wire);
  }

  @Override
  public void received(Wire wire, String frame) {
    if (closed) {
      // read before the pause took effect, or the mesh resumed reading it (a GET queue that
      // drained): handled, but nothing more is read
      wire.pauseReading(true);
    }
    mesh.received(wire, frame);
  }

  @Override
  public void oversized(Wire wire, long bytes) {
    mesh.oversized(wire, bytes);
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    open.remove(wire);
    mesh.closed(wire, cause);
  }
}
