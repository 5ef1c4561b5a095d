package io.jgun.testing;

import static org.awaitility.Awaitility.await;

import io.jgun.mesh.Mesh;
import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A connection with no socket: it records each frame the mesh sends, as text ({@link #sent}) and as
 * typed messages read in order ({@link #next}, {@link #expectNothingElse}), and plays a peer that
 * reads slowly ({@link #queued}) or closes. A test may override {@link #send} to play a peer that
 * reacts to what it is sent.
 */
public class FakeWire implements Wire {
  /** Every frame sent, in order; a test may clear it. */
  public final List<String> sent = new CopyOnWriteArrayList<>();
  /** What {@link #queuedBytes} answers: a test sets it to play a peer that reads slowly. */
  public volatile long queued;
  /** Whether the mesh asked to stop reading from this peer. */
  public volatile boolean readingPaused;
  /** How often the mesh asked to pause reading. */
  public final AtomicInteger pauses = new AtomicInteger();

  private final boolean outbound;
  private final @Nullable String url;
  private final String name;
  private final @Nullable WireListener listener;
  private final MessageReader reader = new MessageReader(MessageReader.Limits.defaults());
  private volatile boolean open = true;
  private int read;

  public FakeWire(String name, @Nullable WireListener listener) {
    this(name, listener, false, null);
  }

  public FakeWire(String name, @Nullable WireListener listener, boolean outbound, @Nullable String url) {
    this.name = name;
    this.listener = listener;
    this.outbound = outbound;
    this.url = url;
  }

  /** A wire from {@code name} opened on {@code mesh}, once the relay has spoken first (dam '?'). */
  public static FakeWire connect(String name, Mesh mesh) {
    FakeWire w = new FakeWire(name, mesh);
    mesh.opened(w);
    await().until(() -> !w.sent.isEmpty());
    return w;
  }

  /** Every message sent so far, read from the frames in order. */
  public List<Message> messages() {
    List<Message> out = new ArrayList<>();
    for (String frame : sent) {
      out.addAll(parse(frame));
    }
    return out;
  }

  /** The next message sent that this test has not taken yet; fails if there is none. */
  public synchronized Message next() {
    List<Message> all = messages();
    if (read >= all.size()) {
      throw new AssertionError(name + ": expected another message, but only " + all.size() + " were sent");
    }
    return all.get(read++);
  }

  /** Fails if a message was sent that the test did not take with {@link #next}. */
  public synchronized void expectNothingElse() {
    List<Message> all = messages();
    if (read < all.size()) {
      throw new AssertionError(name + ": unexpected messages sent: " + all.subList(read, all.size()));
    }
  }

  private List<Message> parse(String frame) {
    Frame f = reader.read(frame);
    if (f.error() != null) {
      throw new AssertionError(name + ": the mesh sent a frame that does not parse (" + f.error() + "): " + frame);
    }
    return f.messages();
  }

  @Override
  public boolean send(String frame) {
    if (!open) {
      return false;
    }
    sent.add(frame);
    return true;
  }

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
