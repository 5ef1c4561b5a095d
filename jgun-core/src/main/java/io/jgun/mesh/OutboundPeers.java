package io.jgun.mesh;

import io.jgun.dam.ReconnectPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers this relay dialed ({@code --peers}): dialed at start and re-dialed forever, with the
 * {@link ReconnectPolicy}'s backoff, until the mesh closes. A connection found redundant by the
 * handshake (it leads back to this relay, or the other relay dialed us too) goes dormant: it is
 * not re-dialed while the connection it duplicates stays open. Loop only.
 */
final class OutboundPeers {
  private static final Logger log = LoggerFactory.getLogger(OutboundPeers.class);

  private final Dialer dialer;
  private final WireListener listener;
  private final ReconnectPolicy policy;
  private final LoopScheduler loop;
  /** Hands a dial's failure, reported on a transport's thread, to the loop. */
  private final Executor toLoop;
  private final BooleanSupplier closed;
  /** By URL, which is also a dialed peer's {@link Peer#id()}. */
  private final Map<String, Outbound> byUrl = new LinkedHashMap<>();

  OutboundPeers(
      Dialer dialer,
      WireListener listener,
      ReconnectPolicy policy,
      LoopScheduler loop,
      Executor toLoop,
      BooleanSupplier closed) {
    this.dialer = dialer;
    this.listener = listener;
    this.policy = policy;
    this.loop = loop;
    this.toLoop = toLoop;
    this.closed = closed;
  }

  /** Adds a peer to keep connected, and dials it; a URL added before is left as it is. */
  void add(String url) {
    assert loop.inLoop() : "OutboundPeers.add off the mesh loop";
    if (closed.getAsBoolean() || byUrl.containsKey(url)) {
      return;
    }
    Outbound o = new Outbound(url);
    byUrl.put(url, o);
    dial(o);
  }

  /** The open connections we dialed, in the order their URLs were added. */
  List<Peer> connected() {
    List<Peer> out = new ArrayList<>(byUrl.size());
    for (Outbound o : byUrl.values()) {
      if (o.peer != null) {
        out.add(o.peer);
      }
    }
    return out;
  }

  /** A dialed connection opened. */
  void opened(Peer p) {
    Outbound o = byUrl.get(p.id());
    if (o != null) {
      o.connected(p);
    }
  }

  /**
   * A connection closed: re-dial it if we dialed it (and it is not dormant), and wake the
   * connections it made redundant, which take over.
   */
  void closed(Peer p) {
    Outbound o = p.outbound() ? byUrl.get(p.id()) : null;
    if (o != null && o.peer == p) {
      o.disconnected();
    }
    if (p.pid != null && !p.redundant) {
      for (Outbound other : byUrl.values()) {
        if (other.dormantFor != null && other.dormantFor.equals(p.pid)) {
          other.dormantFor = null;
          dial(other);
        }
      }
    }
  }

  /**
   * The dialed connection {@code p} is redundant while the peer {@code pid} stays connected
   * another way (or for good, when {@code pid} is our own): it is not re-dialed until then.
   */
  void dormant(Peer p, String pid) {
    Outbound o = p.outbound() ? byUrl.get(p.id()) : null;
    if (o != null) {
      o.dormantFor = pid;
    }
  }

  private void dial(Outbound o) {
    if (closed.getAsBoolean() || o.dormantFor != null) {
      return;
    }
    o.backoff.attempt();
    dialer
        .dial(o.url, listener)
        .whenComplete(
            (wire, err) -> {
              if (err != null) {
                toLoop.execute(() -> o.failed(err));
              }
            });
  }

  /** One peer we dial. */
  private final class Outbound {
    final String url;
    @Nullable Peer peer;
    final ReconnectPolicy.Backoff backoff = policy.backoff();
    /** The pid of a connection that made this one redundant; re-dial when it closes. */
    @Nullable String dormantFor;

    Outbound(String url) {
      this.url = url;
    }

    void connected(Peer p) {
      peer = p;
      backoff.reset();
      log.info("connected to peer {}", url);
    }

    void disconnected() {
      peer = null;
      if (!closed.getAsBoolean() && dormantFor == null) {
        log.info("lost peer {}; reconnecting", url);
        retry();
      }
    }

    void failed(Throwable err) {
      log.info("could not reach peer {} (attempt {}): {}", url, backoff.attempts(), err.toString());
      retry();
    }

    private void retry() {
      if (closed.getAsBoolean()) {
        return;
      }
      loop.schedule(() -> dial(this), backoff.nextDelayMillis());
    }
  }
}
