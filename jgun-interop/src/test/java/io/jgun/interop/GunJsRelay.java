package io.jgun.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stock Gun.js node relay ({@code node/relay.js}: {@code require('gun')} with radisk, AXE and SEA,
 * multicast off) on {@code 0.0.0.0:<port>}, path {@code /gun}.
 */
final class GunJsRelay extends ProcessRelay {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private GunJsRelay(RelayOptions options) {
    super(RelayKind.GUN_JS, options);
  }

  static GunJsRelay start(RelayOptions options) {
    NodeModules.ensureInstalled();
    GunJsRelay relay = new GunJsRelay(options);
    List<String> command = new ArrayList<>(List.of("node", "relay.js",
        "--port", Integer.toString(options.port()), "--data", relay.dataDir().toString()));
    if (!options.peers().isEmpty()) {
      command.add("--peers");
      command.add(String.join(",", options.peers()));
    }
    Map<String, String> env = InteropEnvironment.trace() ? Map.of("JGUN_INTEROP_TRACE", "1") : Map.of();
    relay.launch("gunjs-relay:" + options.port(), command, InteropEnvironment.nodeDir(), env,
        line -> line.startsWith("{\"ready\":true"), START_TIMEOUT);
    return relay;
  }
}
