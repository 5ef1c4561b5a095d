package io.jgun.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Gun.js's own PANIC release tests (npm gun 0.2020.1241, {@code test/panic}) with browsers in Debian's
 * Chromium, against jgun relays, plus the two-tab browser realtime check: runs
 * {@code jgun-interop/panic/run.js} (see {@code panic/README.md}) and fails with its summary when a step
 * fails that {@code panic/expected.js} does not list.
 *
 * <p>Needs Chromium ({@code CHROMIUM_PATH}, default {@code /usr/bin/chromium}): without it the test is
 * skipped, or fails when {@code CI=true}. {@code -Djgun.interop.panic.skip=true} skips it;
 * {@code -Djgun.interop.panic.relays=jgun,gunjs} also runs the suite against Gun.js's relays (about
 * twice the time); {@code -Djgun.interop.panic.timeoutMinutes} caps the run (default 20).
 */
class PanicReleaseTest {

  @Test
  void gunJsReleaseTestsPassAgainstJgunRelays() throws Exception {
    assumeFalse(Boolean.getBoolean("jgun.interop.panic.skip"), "-Djgun.interop.panic.skip=true");
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      String why = "no Chromium at " + chromium + " (apt-get install chromium, or set CHROMIUM_PATH): "
          + "the PANIC release tests need a browser";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      assumeTrue(false, why);
    }
    String relays = System.getProperty("jgun.interop.panic.relays", "jgun");
    // the realtime check runs a jgun relay whatever the PANIC relays are
    assumeTrue(JgunRelay.launcherPresent(), "bin/jgun not present (" + JgunRelay.launcher() + ")");
    Path dir = panicDir();
    NodeModules.ensureInstalled(dir, true);
    Path summary = Files.createTempFile("jgun-panic-summary", ".json");
    List<String> command = List.of("node", dir.resolve("run.js").toString(), "--relays", relays,
        "--json", summary.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("CHROMIUM_PATH", chromium.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.out.println("[panic] " + line);
          synchronized (output) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        synchronized (output) {
          output.append("(reading the runner's output failed: ").append(e).append(")\n");
        }
      }
    }, "panic-run-output");
    reader.setDaemon(true);
    reader.start();
    long minutes = Long.getLong("jgun.interop.panic.timeoutMinutes", 20);
    try {
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        stop(process);
        reader.join(5000);
        fail("the PANIC run took longer than " + minutes + " min:\n" + tail(output, 120));
      }
      reader.join(10000);
      if (process.exitValue() != 0) {
        fail("the PANIC run failed (exit " + process.exitValue() + "): a step not listed in "
            + "jgun-interop/panic/expected.js failed\n" + summaryOf(output));
      }
    } finally {
      stop(process);
      Files.deleteIfExists(summary);
    }
  }

  /** SIGTERM first: run.js then kills the process groups it started (relays, browsers). */
  private static void stop(Process process) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static Path panicDir() {
    String dir = System.getProperty("jgun.interop.panic.dir");
    Path path = dir != null ? Path.of(dir) : InteropEnvironment.repoRoot().resolve("jgun-interop/panic");
    path = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path.resolve("run.js"))) {
      throw new UncheckedIOException(new IOException("panic runner not found in " + path));
    }
    return path;
  }

  /** The runner's per-test lines with their unexpected failures, then its summary table. */
  private static String summaryOf(StringBuilder output) {
    String all;
    synchronized (output) {
      all = output.toString();
    }
    List<String> kept = new ArrayList<>();
    boolean inSummary = false;
    for (String line : all.split("\n")) {
      inSummary |= line.startsWith("== PANIC summary");
      if (inSummary || line.startsWith("== PANIC ") || line.contains("UNEXPECTED")
          || line.startsWith("realtime") || line.startsWith("   gunjs:") || line.startsWith("   jgun:")
          || line.startsWith("runner error")) {
        kept.add(line);
      }
    }
    return kept.isEmpty() ? tail(output, 120) : String.join("\n", kept);
  }

  private static String tail(StringBuilder output, int lines) {
    String[] all;
    synchronized (output) {
      all = output.toString().split("\n");
    }
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }
}
