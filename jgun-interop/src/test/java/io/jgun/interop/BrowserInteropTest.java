package io.jgun.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Gun.js web apps in Chromium against a jgun relay and, beside it, Gun.js's own relay: runs {@code
 * jgun-interop/browser/run.js} (its header lists the scenarios: two tabs chaining put/once/on/map/set,
 * SEA, a relay restart under an offline tab, a tab with a Java client and a node peer, meshed relays,
 * the status page under load and the {@code examples/chat} app served with {@code --static}) and
 * fails with every failing line, each naming the relay, the scenario and what the tab saw.
 *
 * <p>Needs Chromium ({@code CHROMIUM_PATH}, default {@code /usr/bin/chromium}): without it the test is
 * skipped, or fails when {@code CI=true}. {@code -Djgun.interop.browser.skip=true} skips it; {@code
 * -Djgun.interop.browser.relays=jgun} runs only against jgun.
 */
class BrowserInteropTest {

  @Test
  void gunJsWebAppsWorkOnJgunAsOnGunJsRelays() throws Exception {
    assumeFalse(Boolean.getBoolean("jgun.interop.browser.skip"), "-Djgun.interop.browser.skip=true");
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      String why = "no Chromium at " + chromium + " (apt-get install chromium, or set CHROMIUM_PATH)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      assumeTrue(false, why);
    }
    assumeTrue(JgunRelay.launcherPresent(), "bin/jgun not present (" + JgunRelay.launcher() + ")");
    Path root = InteropEnvironment.repoRoot();
    Path dir = root.resolve("jgun-interop/browser");
    NodeModules.ensureInstalled(dir, true);
    NodeModules.ensureInstalled(root.resolve("examples/chat"), true);
    String relays = System.getProperty("jgun.interop.browser.relays", "jgun,gunjs");
    ProcessBuilder builder =
        new ProcessBuilder("node", dir.resolve("run.js").toString(), "--relays", relays)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    builder.environment().put("CHROMIUM_PATH", chromium.toString());
    builder.environment().put("JGUN_NO_BUILD", "1"); // the build has just made the jar
    Process process = builder.start();
    process.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  System.out.println("[browser] " + line);
                  synchronized (lines) {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                synchronized (lines) {
                  lines.add("(reading the runner's output failed: " + e + ")");
                }
              }
            },
            "browser-run-output");
    reader.setDaemon(true);
    reader.start();
    long minutes = Long.getLong("jgun.interop.browser.timeoutMinutes", 8);
    try {
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        fail("the browser run took longer than " + minutes + " min:\n" + String.join("\n", copy(lines)));
      }
      reader.join(10_000);
      if (process.exitValue() != 0) {
        List<String> failed = new ArrayList<>();
        for (String line : copy(lines)) {
          if (line.startsWith("FAIL ") || line.startsWith("== ") || line.startsWith("browser runner error")) {
            failed.add(line);
          }
        }
        fail("browser end-to-end tests failed (exit " + process.exitValue() + "):\n"
            + String.join("\n", failed.isEmpty() ? copy(lines) : failed));
      }
    } finally {
      if (process.isAlive()) {
        process.destroy(); // SIGTERM: run.js kills the relays it started
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      }
    }
  }

  private static List<String> copy(List<String> lines) {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }
}
