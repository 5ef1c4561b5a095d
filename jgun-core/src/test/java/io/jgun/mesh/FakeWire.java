package io.jgun.mesh;

import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** A wire that records what the mesh sends, for tests. */
class FakeWire implements Wire {
  final List<String> sent = new CopyOnWriteArrayList<>();
  private final boolean outbound;
  private final @Nullable String url;
  private final String name;
  private volatile boolean open = true;
  /** What {@link #queuedBytes} answers: a test sets it to play a peer that reads slowly. */
  volatile long queued;
  private final @Nullable WireListener listener;

  FakeWire(String name, @Nullable WireListener listener) {
    this(name, listener, false, null);
  }

  FakeWire(String name, @Nullable WireListener listener, boolean outbound, @Nullable String url) {
    this.name = name;
    this.listener = listener;
    this.outbound = outbound;
    this.url = url;
  }

  /** A wire from {@code name} opened on {@code mesh}, once the relay has spoken first (dam '?'). */
  static FakeWire connect(String name, Mesh mesh) {
    FakeWire w = new FakeWire(name, mesh);
    mesh.opened(w);
    await().until(() -> !w.sent.isEmpty());
    return w;
  }

  @Override
  public boolean send(String frame) {
    if (!open) {
      return false;
    }
    sent.add(frame);
    return true;
  }

  /** Whether the mesh asked to stop reading from this peer, and how often it asked to pause. */
  volatile boolean readingPaused;
  final java.util.concurrent.atomic.AtomicInteger pauses = new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public void pauseReading(boolean pause) {
    readingPaused = pause;
    if (pause) {
      pauses.incrementAndGet();
    }
  }

  @Override
  public long queuedBytes() {
    return queued;
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      if (listener != null) {
        listener.closed(this, null);
      }
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean outbound() {
    return outbound;
  }

  @Override
  public @Nullable String url() {
    return url;
  }

  @Override
  public String remote() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
