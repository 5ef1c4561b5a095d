package io.jgun.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The jgun relay, started as {@code bin/jgun relay --port P [--peers URL,URL] [--data DIR]} from the
 * repository root. It is ready when it logs a line containing {@code ws://0.0.0.0:P/gun} (on stdout or
 * stderr). {@code bin/jgun} builds the project on first use, so the first start in a test run gets a
 * long timeout ({@code -Djgun.interop.jgun.firstStartSeconds}, default 300) and later ones a short one
 * ({@code -Djgun.interop.jgun.startSeconds}, default 60).
 */
final class JgunRelay extends ProcessRelay {

  private static boolean startedOnce;

  private JgunRelay(RelayOptions options) {
    super(RelayKind.JGUN, options);
  }

  /** {@code <repository root>/bin/jgun}. */
  static Path launcher() {
    return InteropEnvironment.repoRoot().resolve("bin").resolve("jgun");
  }

  static boolean launcherPresent() {
    return Files.isRegularFile(launcher());
  }

  static JgunRelay start(RelayOptions options) {
    return start(options, List.of());
  }

  /** {@link #start(RelayOptions)} with more options for {@code bin/jgun relay} (e.g. {@code --rules FILE}). */
  static JgunRelay start(RelayOptions options, List<String> moreArgs) {
    JgunRelay relay = new JgunRelay(options);
    List<String> command = new ArrayList<>(List.of(launcher().toString(), "relay",
        "--port", Integer.toString(options.port()), "--data", relay.dataDir().toString()));
    command.addAll(moreArgs);
    if (!options.peers().isEmpty()) {
      command.add("--peers");
      command.add(String.join(",", options.peers()));
    }
    String listening = "ws://0.0.0.0:" + options.port() + "/gun";
    relay.launch("jgun-relay:" + options.port(), command, InteropEnvironment.repoRoot(), Map.of(),
        line -> line.contains(listening), startTimeout());
    return relay;
  }

  /**
   * Starts and stops one jgun relay if none was started yet in this JVM, so that {@code bin/jgun}'s
   * first-use build happens here, outside any test's time limit. Does nothing when the jgun relay is
   * not selected or {@code bin/jgun} is missing (the tests themselves then skip).
   */
  static void warmUp() {
    synchronized (JgunRelay.class) {
      if (startedOnce || !launcherPresent()
          || !InteropEnvironment.selectedRelays().contains("jgun")) {
        return;
      }
    }
    start(RelayOptions.onFreePort()).close();
  }

  private static synchronized Duration startTimeout() {
    boolean first = !startedOnce;
    startedOnce = true;
    return Duration.ofSeconds(first
        ? Long.getLong("jgun.interop.jgun.firstStartSeconds", 300)
        : Long.getLong("jgun.interop.jgun.startSeconds", 60));
  }
}
