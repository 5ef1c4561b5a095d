package io.jgun.netty;

import io.jgun.mesh.WireListener;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's WebSocket server: accepts {@code ws://host:port/gun} (or {@code wss://} with TLS)
 * and hands each upgraded connection to a {@link WireListener} as an {@link io.jgun.mesh.Wire}.
 * Plain HTTP requests go to {@link HttpRoute}s; upgrades to any other path get HTTP 400
 * (docs/protocol.md §5.2).
 *
 * <pre>{@code
 * try (WebSocketServer server = WebSocketServer.builder().port(8765).build().start(mesh)) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Every limit has a default and a builder setting: frame size (10 MiB), connections (20,000),
 * outbound bytes per connection (16 MiB), handshake time (10 s), optional idle time. One event loop
 * group serves the listening socket and all connections; listener callbacks run on the
 * connection's event loop (see the package documentation).
 */
public final class WebSocketServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebSocketServer.class);

  /** HTTP requests (which carry no data for us) are refused past this many body bytes. */
  static final int MAX_HTTP_REQUEST_BYTES = 64 * 1024;

  private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ServerConfig config;
  /** The frame decoder's settings, shared by every connection. */
  private final WebSocketDecoderConfig decoderConfig;
  /** What messages being assembled hold on all connections, against its cap. */
  private final FrameAssembly assembly;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - 2 * REFUSAL_LOG_INTERVAL_NANOS);
  private final ChannelGroup channels = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
  private final Object lock = new Object();

  // Guarded by lock.
  private boolean started;
  private boolean closed;
  /** The I/O threads: the server's own, or {@link ServerConfig#sharedThreads} (not stopped here). */
  private @Nullable IoThreads threads;
  private @Nullable Channel serverChannel;

  private WebSocketServer(ServerConfig config) {
    this.config = config;
    this.decoderConfig = WireHandler.decoderConfig(config.limits().maxFrameBytes(), true);
    this.assembly = new FrameAssembly(config.maxAssemblyBytes());
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts accepting; returns once the socket is listening (this server, for chaining).
   * Can be called once.
   *
   * @throws IOException if the TLS files cannot be read or the address cannot be bound
   * @throws IllegalStateException if already started or closed
   */
  public WebSocketServer start(WireListener listener) throws IOException {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("server closed");
      }
      if (started) {
        throw new IllegalStateException("server already started");
      }
      started = true;
      SslContext ssl = config.tls() ? sslContext() : null;
      IoThreads shared = config.sharedThreads();
      IoThreads t =
          shared != null ? shared : IoThreads.create("jgun-ws-server", config.ioThreads(), config.nativeTransport(), false);
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(t.group)
              .channel(t.transport.serverChannel())
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              // One allocator for all connections (each still gets its own sizing handle).
              .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
              .childHandler(new Initializer(listener, ssl));
      ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
      if (!bound.isSuccess()) {
        if (t != shared) {
          t.close();
        }
        Throwable cause = bound.cause();
        throw new IOException(
            "cannot listen on " + config.host() + ":" + config.port() + ": " + cause, cause);
      }
      threads = t;
      serverChannel = bound.channel();
      log.info(
          "WebSocket server listening on {}://{}:{}{} ({})",
          config.tls() ? "wss" : "ws",
          config.host(),
          port(),
          config.path(),
          t.transport.name().toLowerCase(java.util.Locale.ROOT));
      return this;
    }
  }

  private SslContext sslContext() throws IOException {
    Path chain = Objects.requireNonNull(config.certificateChain());
    Path key = Objects.requireNonNull(config.privateKey());
    try {
      return SslContextBuilder.forServer(chain.toFile(), key.toFile(), config.keyPassword())
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS certificate " + chain + " / key " + key + ": " + e, e);
    }
  }

  /** The address the server listens on. */
  public InetSocketAddress localAddress() {
    synchronized (lock) {
      Channel ch = serverChannel;
      if (ch == null) {
        throw new IllegalStateException("server not started");
      }
      return (InetSocketAddress) ch.localAddress();
    }
  }

  /** The port the server listens on (the ephemeral one when configured with port 0). */
  public int port() {
    return localAddress().getPort();
  }

  /** The WebSocket path ("/gun"). */
  public String path() {
    return config.path();
  }

  /** True when serving wss (TLS). */
  public boolean tls() {
    return config.tls();
  }

  /** TCP connections open now (HTTP and WebSocket). */
  public int connections() {
    return channels.size();
  }

  /**
   * Stops listening (the port is free when this returns), closes every connection with 1001 "going
   * away" (each wire's {@code closed} fires), and stops the I/O threads (unless they are {@link
   * Builder#threads shared}: their owner stops them). Idempotent. Do not call it from a listener
   * callback (an I/O thread).
   */
  @Override
  public void close() {
    IoThreads t;
    Channel server;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      t = threads;
      server = serverChannel;
    }
    if (server != null) {
      server.close().awaitUninterruptibly();
    }
    for (Channel ch : channels) {
      NettyWire wire = NettyWire.of(ch);
      if (wire != null) {
        wire.goAway();
      } else {
        ch.close();
      }
    }
    channels
        .newCloseFuture()
        .awaitUninterruptibly(config.limits().closeTimeout().toMillis() + 1000);
    if (t != null) {
      if (t != config.sharedThreads()) {
        t.close();
      }
      log.info("WebSocket server on port {} closed", server == null ? -1 : portOf(server));
    }
  }

  private static int portOf(Channel server) {
    return server.localAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
  }

  private void refuse(Channel ch) {
    long n = refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
      log.warn(
          "refusing connection from {}: {} connections open, the maximum ({} refused so far)",
          NettyWire.describe(ch.remoteAddress()),
          config.maxConnections(),
          n);
    }
  }

  private final class Initializer extends ChannelInitializer<SocketChannel> {
    private final WireListener listener;
    private final @Nullable SslContext ssl;

    Initializer(WireListener listener, @Nullable SslContext ssl) {
      this.listener = listener;
      this.ssl = ssl;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
      // Counted by the group alone: a second close listener per channel costs an idle connection
      // a listener array. Two connections accepted at once at the limit may both be refused.
      channels.add(ch);
      if (channels.size() > config.maxConnections()) {
        channels.remove(ch); // not counted while its close completes
        refuse(ch);
        ch.close();
        return;
      }
      ChannelPipeline p = ch.pipeline();
      if (ssl != null) {
        p.addLast("tls", ssl.newHandler(ch.alloc()));
      }
      p.addLast("http", new HttpServerCodec());
      p.addLast("aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
      p.addLast("http-handler", new ServerHttpHandler(config, listener, decoderConfig, assembly));
    }
  }

  /**
   * Options for a {@link WebSocketServer}. Setters validate at once; {@link #build} makes an
   * immutable server configuration.
   */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8765;
    private String path = "/gun";
    private @Nullable Path certificateChain;
    private @Nullable Path privateKey;
    private @Nullable String keyPassword;
    private int maxFrameBytes = WireLimits.DEFAULT_MAX_FRAME_BYTES;
    private int maxConnections = 20_000;
    private long outboundCapBytes = WireLimits.DEFAULT_OUTBOUND_CAP_BYTES;
    private long maxAssemblyBytes;
    private @Nullable Duration idleTimeout;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = WireLimits.DEFAULT_CLOSE_TIMEOUT;
    private final List<HttpRoute> routes = new ArrayList<>();
    private int ioThreads;
    private boolean nativeTransport = true;
    private @Nullable IoThreads sharedThreads;

    private Builder() {}

    /** The address to bind; default 0.0.0.0 (all interfaces). */
    public Builder host(String host) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("host is blank");
      }
      this.host = host;
      return this;
    }

    /** The port; default 8765 (Gun.js's); 0 picks a free one (read it with {@link #port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The WebSocket path; default "/gun". Upgrades must match it exactly (a query is allowed). */
    public Builder path(String path) {
      if (!path.startsWith("/") || path.indexOf('?') >= 0) {
        throw new IllegalArgumentException("path must start with '/' and have no query: " + path);
      }
      this.path = path;
      return this;
    }

    /**
     * Serve wss: a PEM certificate chain (server certificate first) and a PEM PKCS#8 private key
     * ("BEGIN PRIVATE KEY"; "BEGIN RSA PRIVATE KEY" needs BouncyCastle on the class path).
     */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      return tls(certificateChainPem, privateKeyPem, null);
    }

    /** As {@link #tls(Path, Path)}, for an encrypted key. */
    public Builder tls(Path certificateChainPem, Path privateKeyPem, @Nullable String keyPassword) {
      this.certificateChain = Objects.requireNonNull(certificateChainPem);
      this.privateKey = Objects.requireNonNull(privateKeyPem);
      this.keyPassword = keyPassword;
      return this;
    }

    /**
     * The largest inbound message in bytes (one frame, or fragments joined); default 10 MiB, at
     * most 1 GiB. Gun.js itself allows up to 90 million characters (docs/protocol.md §4.1).
     */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = WireLimits.checkMaxFrameBytes(bytes);
      return this;
    }

    /** Open TCP connections allowed; more are closed at once, with a log line. Default 20,000. */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be positive: " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * Bytes queued for one connection (sent but not yet written to its socket) past which it is
     * dropped: {@code send} returns false. Default 16 MiB (OkHttp's).
     */
    public Builder outboundCapBytes(long bytes) {
      this.outboundCapBytes = WireLimits.checkOutboundCap(bytes);
      return this;
    }

    /**
     * The most memory all connections together may hold for messages still being assembled
     * (counted as {@value FrameAssembly#FACTOR} times their bytes: the growing buffer and the
     * copy); a connection whose message would take more is refused with 1009, "Message too big!".
     * At least 3 × {@link #maxFrameBytes}. Default: half the JVM's direct memory limit, or 3 ×
     * {@code maxFrameBytes} if that is more.
     */
    public Builder maxAssemblyBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxAssemblyBytes must be positive: " + bytes);
      }
      this.maxAssemblyBytes = bytes;
      return this;
    }

    /**
     * Close upgraded connections that neither read nor wrote for this long; null (the default)
     * never does. The mesh's 20 s heartbeat counts as a write.
     */
    public Builder idleTimeout(@Nullable Duration timeout) {
      this.idleTimeout = timeout == null ? null : WireLimits.checkPositive("idleTimeout", timeout);
      return this;
    }

    /** Close a connection that sends no complete HTTP request within this; default 10 s. */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = WireLimits.checkPositive("handshakeTimeout", timeout);
      return this;
    }

    /** How long a local close waits for the peer's close frame; default 1 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = WireLimits.checkPositive("closeTimeout", timeout);
      return this;
    }

    /** Adds an HTTP route, tried after those added before it. */
    public Builder route(HttpRoute route) {
      routes.add(Objects.requireNonNull(route));
      return this;
    }

    /** I/O threads; default 0 = Netty's default (twice the cores). */
    public Builder ioThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("ioThreads must not be negative: " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /** Use native epoll when it loads (default true); false forces the JDK's NIO. */
    public Builder nativeTransport(boolean enabled) {
      this.nativeTransport = enabled;
      return this;
    }

    /**
     * Serve on these I/O threads instead of threads of the server's own ({@link #ioThreads} and
     * {@link #nativeTransport} are then theirs); closing the server leaves them running.
     */
    public Builder threads(IoThreads shared) {
      this.sharedThreads = Objects.requireNonNull(shared, "shared");
      return this;
    }

    /** An unstarted server with these options; see {@link WebSocketServer#start}. */
    public WebSocketServer build() {
      if (certificateChain != null) {
        requireReadable(certificateChain);
        requireReadable(Objects.requireNonNull(privateKey));
      }
      return new WebSocketServer(
          new ServerConfig(
              host,
              port,
              path,
              certificateChain,
              privateKey,
              keyPassword,
              maxConnections,
              handshakeTimeout,
              routes,
              ioThreads,
              nativeTransport,
              sharedThreads,
              assemblyCap(),
              new WireLimits(maxFrameBytes, outboundCapBytes, closeTimeout, idleTimeout)));
    }

    private long assemblyCap() {
      long least = (long) FrameAssembly.FACTOR * maxFrameBytes;
      if (maxAssemblyBytes == 0) {
        return Math.max(FrameAssembly.defaultCap(), least);
      }
      if (maxAssemblyBytes < least) {
        throw new IllegalArgumentException(
            "maxAssemblyBytes must be at least " + FrameAssembly.FACTOR + " × maxFrameBytes (" + least + "): " + maxAssemblyBytes);
      }
      return maxAssemblyBytes;
    }

    private static void requireReadable(Path file) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("TLS file not readable: " + file);
      }
    }
  }
}
