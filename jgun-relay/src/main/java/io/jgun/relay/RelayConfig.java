package io.jgun.relay;

import io.jgun.store.Durability;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A relay's settings, as given on the command line. {@code data} null: in memory only. */
record RelayConfig(
    String host,
    int port,
    @Nullable Path data,
    Durability durability,
    List<String> peers,
    @Nullable Path tlsCert,
    @Nullable Path tlsKey,
    int maxFrameBytes,
    int maxConnections,
    @Nullable String pid) {

  RelayConfig {
    peers = List.copyOf(peers);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, was " + port);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
  }

  boolean tls() {
    return tlsCert != null;
  }
}
