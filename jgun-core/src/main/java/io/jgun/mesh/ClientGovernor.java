package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds each client to its {@link ClientLimits}: counts connections per IP, meters the bytes a
 * connection sends as the transport reads them ({@link #read}) and its messages frame by frame
 * ({@link #admit}), against its connection's and its IP's rates. Over a rate, a client is slowed
 * (its reading paused until its debt is repaid), then told, then disconnected. Bytes are charged
 * as they arrive so that a client sending megabyte frames is paused while a frame is still
 * arriving, before the relay spends memory assembling it and time parsing it. Called on the
 * transport's threads: a connection's {@link Throttle} is only used on its own connection's
 * thread; the per-IP state is shared and locked, briefly.
 */
final class ClientGovernor {
  private static final Logger log = LoggerFactory.getLogger(ClientGovernor.class);

  /** The error a client over its rate is told, as a {@code dam:'!'} message. */
  static final String SLOW_DOWN = "Too many messages: slow down.";

  private final ClientLimits limits;
  private final MeshStats stats;
  private final LongSupplier ticker;
  private final LoopScheduler later;
  private final Supplier<String> ids;
  private final ConcurrentHashMap<String, Ip> ips = new ConcurrentHashMap<>();

  ClientGovernor(ClientLimits limits, MeshStats stats, LongSupplier ticker, LoopScheduler later, Supplier<String> ids) {
    this.limits = limits;
    this.stats = stats;
    this.ticker = ticker;
    this.later = later;
    this.ids = ids;
  }

  /** The clients of one IP: how many connections, and their shared rates. Guarded by itself. */
  private static final class Ip {
    int connections;
    final TokenBucket messages;
    final TokenBucket bytes;

    Ip(ClientLimits l, long now) {
      double burst = l.burst().toNanos() / 1e9;
      messages = new TokenBucket(l.ipMessagesPerSecond(), burst, now);
      bytes = new TokenBucket(l.ipBytesPerSecond(), burst, now);
    }
  }

  /** One connection's meter. Used on its connection's thread only. */
  final class Throttle {
    private final @Nullable String ip;
    private final TokenBucket messages;
    private final TokenBucket bytes;
    /** When the client went over a rate and has stayed over since (ticker), or 0. */
    private long overSince;
    private boolean slowLogged;
    private boolean told;
    /** True once the transport reports reads: bytes are then charged there, not per frame. */
    private boolean bytesOnRead;
    /** True while the last read left this connection (or its IP) in byte debt. */
    private boolean bytesOver;

    private Throttle(@Nullable String ip, long now, boolean limited) {
      this.ip = ip;
      double burst = limits.burst().toNanos() / 1e9;
      messages = new TokenBucket(limited ? limits.messagesPerSecond() : 0, burst, now);
      bytes = new TokenBucket(limited ? limits.bytesPerSecond() : 0, burst, now);
    }
  }

  /**
   * A connection opened: its throttle, or null when its IP is at its connection cap (the caller
   * closes it). Outbound connections (to relays we chose to dial) have no limits; loopback ones
   * have no IP limits.
   */
  @Nullable Throttle opened(Wire wire) {
    long now = ticker.getAsLong();
    String ip = wire.outbound() ? null : host(wire.remote());
    if (ip != null && isLoopback(ip)) {
      ip = null;
    }
    if (ip != null) {
      Ip state = ips.compute(ip, (k, v) -> v == null ? new Ip(limits, now) : v);
      synchronized (state) {
        if (limits.connectionsPerIp() > 0 && state.connections >= limits.connectionsPerIp()) {
          stats.connectionsRefused.increment();
          log.warn("refused a connection from {}: {} connections from that IP already", wire.remote(), state.connections);
          return null;
        }
        state.connections++;
      }
    }
    return new Throttle(ip, now, !wire.outbound());
  }

  /** A connection closed: it no longer counts towards its IP's cap. */
  void closed(Throttle t) {
    String ip = t.ip;
    if (ip == null) {
      return;
    }
    ips.computeIfPresent(
        ip,
        (k, state) -> {
          synchronized (state) {
            state.connections--;
            return state.connections <= 0 ? null : state;
          }
        });
  }

  /**
   * Meters {@code bytes} just read from {@code peer}'s connection, before they are decoded: false
   * when the peer is to be disconnected (it stayed over its rate too long); otherwise, over its
   * byte rate, the peer's reading is paused until its debt is repaid.
   */
  boolean read(Peer peer, Throttle t, long bytes) {
    t.bytesOnRead = true;
    long now = ticker.getAsLong();
    long wait = t.bytes.take(bytes, now);
    String ip = t.ip;
    if (ip != null) {
      Ip state = ips.get(ip);
      if (state != null) {
        synchronized (state) {
          wait = Math.max(wait, state.bytes.take(bytes, now));
        }
      }
    }
    t.bytesOver = wait > 0;
    return wait == 0 || slow(peer, t, wait, now);
  }

  /**
   * Meters a frame of {@code messages} messages and {@code bytes} bytes from {@code peer} (the
   * bytes only when the transport does not report its reads to {@link #read}): false when the peer
   * is to be disconnected (it stayed over its rate too long); otherwise the frame is handled, and a
   * peer over its rate has its reading paused until its debt is repaid.
   */
  boolean admit(Peer peer, Throttle t, int messages, long bytes) {
    long now = ticker.getAsLong();
    long charged = t.bytesOnRead ? 0 : bytes;
    long wait = Math.max(t.messages.take(messages, now), t.bytes.take(charged, now));
    String ip = t.ip;
    if (ip != null) {
      Ip state = ips.get(ip);
      if (state != null) {
        synchronized (state) {
          wait = Math.max(wait, Math.max(state.messages.take(messages, now), state.bytes.take(charged, now)));
        }
      }
    }
    if (wait == 0) {
      if (!t.bytesOver) {
        t.overSince = 0;
      }
      return true;
    }
    return slow(peer, t, wait, now);
  }

  /**
   * {@code peer} is over a rate by {@code wait} nanoseconds: pauses its reading that long, tells it
   * once it stayed over for {@code tellAfter}; false once it stayed over for {@code disconnectAfter}.
   */
  private boolean slow(Peer peer, Throttle t, long wait, long now) {
    if (t.overSince == 0) {
      t.overSince = now;
    }
    long over = now - t.overSince;
    if (over >= limits.disconnectAfter().toNanos()) {
      stats.clientsDisconnected.increment();
      log.warn("client {} stayed over its rate for {} ms: disconnected", peer, TimeUnit.NANOSECONDS.toMillis(over));
      return false;
    }
    if (over >= limits.tellAfter().toNanos() && !t.told) {
      t.told = true;
      stats.clientsTold.increment();
      log.warn("client {} stays over its rate: told to slow down", peer);
      peer.wire.send(MessageWriter.write(Message.builder().dam(DamProtocol.DAM_ERROR).err(SLOW_DOWN).id(ids.get()).build()));
    }
    stats.clientsSlowed.increment();
    if (!t.slowLogged) {
      t.slowLogged = true;
      log.info("client {} is over its rate: its frames wait (logged once per connection)", peer);
    }
    Wire wire = peer.wire;
    wire.pauseReading(true);
    later.schedule(
        () -> {
          if (!peer.readingPaused) { // else the read queue resumes it when its GETs are served
            wire.pauseReading(false);
          }
        },
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
    return true;
  }

  /** The host of a remote address {@code host:port}. */
  static String host(String remote) {
    int colon = remote.lastIndexOf(':');
    String h = colon < 0 ? remote : remote.substring(0, colon);
    return h.startsWith("/") ? h.substring(1) : h;
  }

  private static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1") || host.equals("::1") || host.equals("localhost");
  }
}
