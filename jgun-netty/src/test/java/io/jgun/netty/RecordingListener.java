package io.jgun.netty;

import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A listener that records everything and checks the contract as it goes: callbacks on an I/O
 * thread, {@code opened} first, nothing after {@code closed}, {@code closed} exactly once. Optional
 * behaviours: echo every message back, greet on open, answer an oversized message.
 */
final class RecordingListener implements WireListener {

  /** A {@code closed} call. */
  record Closed(Wire wire, @Nullable Throwable cause) {}

  final BlockingQueue<Wire> opened = new LinkedBlockingQueue<>();
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final BlockingQueue<Long> oversized = new LinkedBlockingQueue<>();
  /** Bytes reported read, over all wires. */
  final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
  final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  private final Map<Wire, String> states = new ConcurrentHashMap<>();

  volatile boolean echo;
  volatile @Nullable String greeting;
  volatile @Nullable String oversizedReply;

  RecordingListener echo() {
    echo = true;
    return this;
  }

  RecordingListener greet(String text) {
    greeting = text;
    return this;
  }

  RecordingListener answerOversized(String text) {
    oversizedReply = text;
    return this;
  }

  private void check(Wire wire, String event, @Nullable String expectedState) {
    String thread = Thread.currentThread().getName();
    if (!thread.startsWith("jgun-ws-")) {
      violations.add(event + " on thread " + thread);
    }
    String state = states.get(wire);
    if (!java.util.Objects.equals(state, expectedState)) {
      violations.add(event + " in state " + state + " for " + wire);
    }
  }

  @Override
  public void opened(Wire wire) {
    check(wire, "opened", null);
    states.put(wire, "open");
    String hello = greeting;
    if (hello != null) {
      wire.send(hello);
    }
    opened.add(wire);
  }

  @Override
  public void received(Wire wire, String frame) {
    check(wire, "received", "open");
    received.add(frame);
    if (echo) {
      wire.send(frame);
    }
  }

  @Override
  public void read(Wire wire, int bytes) {
    check(wire, "read", "open");
    bytesRead.addAndGet(bytes);
  }

  @Override
  public void oversized(Wire wire, long bytes) {
    check(wire, "oversized", "open");
    String reply = oversizedReply;
    if (reply != null) {
      wire.send(reply);
    }
    oversized.add(bytes);
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    check(wire, "closed", "open");
    states.put(wire, "closed");
    closed.add(new Closed(wire, cause));
  }

  String nextReceived() throws InterruptedException {
    return Optional.ofNullable(received.poll(20, TimeUnit.SECONDS))
        .orElseThrow(() -> new AssertionError("no message within 20 s"));
  }

  Wire nextOpened() throws InterruptedException {
    return Optional.ofNullable(opened.poll(20, TimeUnit.SECONDS))
        .orElseThrow(() -> new AssertionError("no open within 20 s"));
  }

  Closed nextClosed() throws InterruptedException {
    return Optional.ofNullable(closed.poll(20, TimeUnit.SECONDS))
        .orElseThrow(() -> new AssertionError("no close within 20 s"));
  }

  long nextOversized() throws InterruptedException {
    return Optional.ofNullable(oversized.poll(20, TimeUnit.SECONDS))
        .orElseThrow(() -> new AssertionError("no oversized within 20 s"));
  }
}
