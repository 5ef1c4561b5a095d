package io.jgun.client;

import io.jgun.graph.StateClock;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshOptions;
import io.jgun.mesh.MeshStats;
import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.jgun.netty.WebSocketDialer;
import io.jgun.netty.WebSocketServer;
import io.jgun.wire.Frame;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A jgun relay (mesh + WebSocket server, data in memory) in this JVM, with a filter between the
 * socket and the mesh that can lose the acknowledgements of puts (the relay stores the put, the
 * client never hears of it) or lose incoming puts (the relay never sees them), and can drop every
 * connection: what a flaky network does to a write.
 */
final class LossyRelay implements WireListener, AutoCloseable {
  private final MessageReader reader = new MessageReader();
  private final Map<Wire, Filtered> wires = new ConcurrentHashMap<>();
  /** The ids of the puts received, whose acknowledgements {@link #dropAcks} loses. */
  private final Set<String> putIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger acksDropped = new AtomicInteger();
  private final AtomicInteger putsDropped = new AtomicInteger();
  private volatile boolean dropAcks;
  private volatile boolean dropPuts;
  private final WebSocketServer server;
  private final WebSocketDialer dialer;
  private final Mesh mesh;

  private LossyRelay() throws IOException {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lossy-relay-mesh");
      t.setDaemon(true);
      return t;
    });
    dialer = WebSocketDialer.builder().build();
    mesh = new Mesh(MeshOptions.builder().build(), loop, dialer::dial, new MemoryGraphEngine(StateClock.system(), 10_000), Ids.secure());
    server = WebSocketServer.builder().host("127.0.0.1").port(0).build();
    server.start(this);
    mesh.start();
  }

  static LossyRelay start() throws IOException {
    return new LossyRelay();
  }

  String url() {
    return "ws://127.0.0.1:" + server.port() + "/gun";
  }

  MeshStats stats() {
    return mesh.stats();
  }

  /** From now on, the relay's acknowledgements of puts are lost (true) or delivered (false). */
  void dropAcks(boolean on) {
    dropAcks = on;
  }

  /** From now on, incoming puts are lost before the relay sees them (true) or delivered (false). */
  void dropPuts(boolean on) {
    dropPuts = on;
  }

  int acksDropped() {
    return acksDropped.get();
  }

  int putsDropped() {
    return putsDropped.get();
  }

  /** Closes every connection (the clients redial). */
  void disconnectAll() {
    for (Wire w : wires.keySet()) {
      w.close();
    }
  }

  @Override
  public void opened(Wire wire) {
    Filtered f = new Filtered(wire);
    wires.put(wire, f);
    mesh.opened(f);
  }

  @Override
  public void received(Wire wire, String text) {
    Filtered f = wires.get(wire);
    if (f == null) {
      return;
    }
    Frame frame = reader.read(text);
    List<Message> kept = frame.messages();
    if (dropPuts) {
      kept = kept.stream().filter(m -> m.put() == null || m.ack() != null).toList();
      putsDropped.addAndGet(frame.messages().size() - kept.size());
      if (kept.isEmpty()) {
        return;
      }
    }
    for (Message m : kept) {
      if (m.put() != null && m.ack() == null && m.id() != null) {
        putIds.add(m.id());
      }
    }
    mesh.received(f, kept.size() == frame.messages().size() ? text : MessageWriter.writeBatch(kept));
  }

  @Override
  public void oversized(Wire wire, long bytes) {
    Filtered f = wires.get(wire);
    if (f != null) {
      mesh.oversized(f, bytes);
    }
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    Filtered f = wires.remove(wire);
    if (f != null) {
      mesh.closed(f, cause);
    }
  }

  @Override
  public void close() {
    server.close();
    mesh.close();
    dialer.close();
  }

  /** The mesh's side of a connection: what it sends passes the ack filter. */
  private final class Filtered implements Wire {
    private final Wire wire;

    Filtered(Wire wire) {
      this.wire = wire;
    }

    @Override
    public boolean send(String text) {
      if (!dropAcks) {
        return wire.send(text);
      }
      Frame frame = reader.read(text);
      List<Message> kept = frame.messages().stream().filter(m -> m.ack() == null || !putIds.contains(m.ack())).toList();
      int dropped = frame.messages().size() - kept.size();
      if (dropped == 0) {
        return wire.send(text);
      }
      acksDropped.addAndGet(dropped);
      return kept.isEmpty() || wire.send(MessageWriter.writeBatch(kept));
    }

    @Override
    public void close() {
      wire.close();
    }

    @Override
    public boolean isOpen() {
      return wire.isOpen();
    }

    @Override
    public boolean outbound() {
      return wire.outbound();
    }

    @Override
    public @Nullable String url() {
      return wire.url();
    }

    @Override
    public String remote() {
      return wire.remote();
    }
  }
}
