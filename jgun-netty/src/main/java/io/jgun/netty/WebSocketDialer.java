package io.jgun.netty;

import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials WebSocket peers ({@code ws://}, {@code wss://}, and {@code http(s)://} rewritten as Gun.js
 * does) and hands each connection to a {@link WireListener} as an {@link Wire}. It does not
 * reconnect: the mesh decides when to dial again.
 *
 * <pre>{@code
 * try (WebSocketDialer dialer = WebSocketDialer.builder().build()) {
 *   Wire wire = dialer.dial("http://relay.example:8765/gun", mesh).get();
 * }
 * }</pre>
 *
 * <p>TLS uses the JDK's default trust store and checks the host name, unless a trust manager is
 * given; {@link Builder#insecureTrustAll()} is for tests only. One event loop group (one thread by
 * default) serves every connection of a dialer.
 */
public final class WebSocketDialer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebSocketDialer.class);

  private final WireLimits limits;
  private final Duration connectTimeout;
  private final Duration handshakeTimeout;
  private final @Nullable TrustManagerFactory trust;
  private final boolean insecure;
  private final Transport transport;
  /** The memory this dialer's connections may hold for messages being assembled. */
  private final FrameAssembly assembly;
  private final EventLoopGroup group;
  private final ChannelGroup channels = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
  private final Object lock = new Object();

  // Guarded by lock.
  private boolean closed;
  private @Nullable SslContext ssl;

  private WebSocketDialer(Builder b) {
    this.limits = new WireLimits(b.maxFrameBytes, b.outboundCapBytes, b.closeTimeout, null);
    this.assembly = new FrameAssembly(Math.max(FrameAssembly.defaultCap(), (long) FrameAssembly.FACTOR * b.maxFrameBytes));
    this.connectTimeout = b.connectTimeout;
    this.handshakeTimeout = b.handshakeTimeout;
    this.trust = b.trust;
    this.insecure = b.insecure;
    this.transport = Transport.choose(b.nativeTransport);
    this.group = transport.newGroup("jgun-ws-dialer", b.ioThreads, true);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to {@code url} and upgrades to a WebSocket. On success {@code listener.opened} runs
   * first (on the wire's I/O thread), then the future completes with the wire; actions chained on
   * it with the non-async methods run on that I/O thread too and must not block. On failure the
   * future fails with a {@link DialException} and the listener hears nothing.
   */
  public CompletableFuture<Wire> dial(String url, WireListener listener) {
    Objects.requireNonNull(listener, "listener");
    CompletableFuture<Wire> result = new CompletableFuture<>();
    WebSocketUrl target;
    try {
      target = WebSocketUrl.parse(url);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(new DialException(url, String.valueOf(e.getMessage()), e));
      return result;
    }
    SslContext tls;
    synchronized (lock) {
      if (closed) {
        result.completeExceptionally(new DialException(url, "dialer closed"));
        return result;
      }
      try {
        tls = target.secure() ? sslContext() : null;
      } catch (SSLException e) {
        result.completeExceptionally(new DialException(url, "TLS setup failed: " + e, e));
        return result;
      }
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    channels.add(ch);
                    ChannelPipeline p = ch.pipeline();
                    if (tls != null) {
                      p.addLast("tls", tls.newHandler(ch.alloc(), target.host(), target.port()));
                    }
                    p.addLast("http", new HttpClientCodec());
                    p.addLast("aggregator", new HttpObjectAggregator(64 * 1024));
                    p.addLast(
                        "handshake",
                        new ClientHandshakeHandler(
                            url, target, listener, limits, assembly, handshakeTimeout, result));
                  }
                });
    try {
      ChannelFuture connecting = bootstrap.connect(target.host(), target.port());
      connecting.addListener(
          f -> {
            if (!f.isSuccess()) {
              Throwable cause = f.cause();
              result.completeExceptionally(
                  new DialException(
                      url, "cannot connect: " + ClientHandshakeHandler.rootMessage(cause), cause));
            }
          });
    } catch (RuntimeException e) { // e.g. the event loop rejected the task while closing
      result.completeExceptionally(new DialException(url, "cannot connect: " + e, e));
    }
    return result;
  }

  private SslContext sslContext() throws SSLException {
    SslContext context = ssl;
    if (context == null) {
      SslContextBuilder b = SslContextBuilder.forClient();
      if (insecure) {
        b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
      } else {
        if (trust != null) {
          b.trustManager(trust);
        }
        b.endpointIdentificationAlgorithm("HTTPS");
      }
      context = b.build();
      ssl = context;
    }
    return context;
  }

  /**
   * Closes every connection with 1001 "going away" (each wire's {@code closed} fires; pending dials
   * fail) and stops the I/O thread. Idempotent. Do not call it from a listener callback.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Channel ch : channels) {
      NettyWire wire = NettyWire.of(ch);
      if (wire != null) {
        wire.goAway();
      } else {
        ch.close();
      }
    }
    channels.newCloseFuture().awaitUninterruptibly(limits.closeTimeout().toMillis() + 1000);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    log.debug("WebSocket dialer closed");
  }

  /** Options for a {@link WebSocketDialer}. Setters validate at once. */
  public static final class Builder {
    private int maxFrameBytes = WireLimits.DEFAULT_MAX_FRAME_BYTES;
    private long outboundCapBytes = WireLimits.DEFAULT_OUTBOUND_CAP_BYTES;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = WireLimits.DEFAULT_CLOSE_TIMEOUT;
    private @Nullable TrustManagerFactory trust;
    private boolean insecure;
    private int ioThreads = 1;
    private boolean nativeTransport = true;

    private Builder() {}

    /** The largest inbound message in bytes; default 10 MiB, at most 1 GiB. */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = WireLimits.checkMaxFrameBytes(bytes);
      return this;
    }

    /** Bytes queued per connection past which it is dropped; default 16 MiB. */
    public Builder outboundCapBytes(long bytes) {
      this.outboundCapBytes = WireLimits.checkOutboundCap(bytes);
      return this;
    }

    /** TCP connect timeout; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      Duration t = WireLimits.checkPositive("connectTimeout", timeout);
      if (t.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("connectTimeout too long: " + timeout);
      }
      this.connectTimeout = t;
      return this;
    }

    /** Time from TCP connect to the server's 101 answer (TLS included); default 10 s. */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = WireLimits.checkPositive("handshakeTimeout", timeout);
      return this;
    }

    /** How long a local close waits for the peer's close frame; default 1 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = WireLimits.checkPositive("closeTimeout", timeout);
      return this;
    }

    /** Trust these certificates for wss instead of the JDK's default trust store. */
    public Builder trustManager(TrustManagerFactory factory) {
      this.trust = Objects.requireNonNull(factory);
      this.insecure = false;
      return this;
    }

    /** Trust any certificate and skip the host name check. For tests only. */
    public Builder insecureTrustAll() {
      this.insecure = true;
      this.trust = null;
      return this;
    }

    /** I/O threads shared by all connections; default 1. */
    public Builder ioThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("ioThreads must be positive: " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /** Use native epoll when it loads (default true); false forces the JDK's NIO. */
    public Builder nativeTransport(boolean enabled) {
      this.nativeTransport = enabled;
      return this;
    }

    /** A dialer with these options; it owns an I/O thread until closed. */
    public WebSocketDialer build() {
      return new WebSocketDialer(this);
    }
  }
}
