package io.jgun.interop;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to start a relay: the port, the peers it dials (WebSocket URLs) and its data folder
 * ({@code null}: a fresh temporary folder that is deleted when the relay is closed).
 */
record RelayOptions(int port, List<String> peers, @Nullable Path dataDir) {

  RelayOptions {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
  }

  /** A free port, no peers, a temporary data folder. */
  static RelayOptions onFreePort() {
    return new RelayOptions(FreePorts.pick(), List.of(), null);
  }

  RelayOptions withPeers(Relay... relays) {
    return new RelayOptions(port, Arrays.stream(relays).map(Relay::url).toList(), dataDir);
  }

  RelayOptions withData(Path dir) {
    return new RelayOptions(port, peers, dir);
  }
}
