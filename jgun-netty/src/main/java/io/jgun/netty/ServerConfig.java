package io.jgun.netty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The validated, immutable options of a {@link WebSocketServer}; see its builder for each. */
record ServerConfig(
    String host,
    int port,
    String path,
    @Nullable Path certificateChain,
    @Nullable Path privateKey,
    @Nullable String keyPassword,
    int maxConnections,
    Duration handshakeTimeout,
    List<HttpRoute> routes,
    int ioThreads,
    boolean nativeTransport,
    @Nullable IoThreads sharedThreads,
    long maxAssemblyBytes,
    WireLimits limits) {

  ServerConfig {
    routes = List.copyOf(routes);
  }

  boolean tls() {
    return certificateChain != null;
  }
}
