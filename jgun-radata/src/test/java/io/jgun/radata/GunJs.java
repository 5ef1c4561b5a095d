package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real Gun.js for tests: node from the PATH and npm {@code gun@0.2020.1241}, installed on first use
 * with {@code npm install --prefix} into {@code target/gunjs} (or {@code -Djgun.gunjs.dir}). Tests
 * using it are skipped when node is not installed, or with {@code -Djgun.interop.skip=true}.
 * Public for jgun-cli's tests (through this module's test-jar).
 */
public final class GunJs {
  public static final String VERSION = "0.2020.1241";

  private final Path prefix;

  private GunJs(Path prefix) {
    this.prefix = prefix;
  }

  /** Node and Gun.js, or a skipped test. */
  public static synchronized GunJs require() throws IOException, InterruptedException {
    assumeFalse(Boolean.getBoolean("jgun.interop.skip"), "-Djgun.interop.skip=true");
    assumeTrue(
        nodeVersion() != null, "node is not installed: skipping the test against real Gun.js");
    Path prefix = Path.of(System.getProperty("jgun.gunjs.dir", "target/gunjs")).toAbsolutePath();
    Path pkg = prefix.resolve("node_modules/gun/package.json");
    if (!Files.exists(pkg) || !Files.readString(pkg).contains("\"version\": \"" + VERSION + "\"")) {
      Files.createDirectories(prefix);
      Result r =
          run(
              prefix,
              List.of(
                  "npm",
                  "install",
                  "--prefix",
                  prefix.toString(),
                  "--no-audit",
                  "--no-fund",
                  "--loglevel=error",
                  "gun@" + VERSION),
              300,
              null);
      assertThat(r.exit).as("npm install gun@%s failed:%n%s", VERSION, r.output).isZero();
    }
    return new GunJs(prefix);
  }

  private static String nodeVersion() throws InterruptedException {
    try {
      Result r = run(Path.of("."), List.of("node", "--version"), 30, null);
      return r.exit == 0 ? r.output.trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Runs {@code node script args...} in {@code cwd} with Gun.js resolvable. */
  public Result node(Path cwd, Path script, List<String> args, int timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("node");
    cmd.add(script.toString());
    cmd.addAll(args);
    return run(cwd, cmd, timeoutSeconds, prefix.resolve("node_modules").toString());
  }

  /**
   * Runs the radata writer ({@code gun-write-radata.js}: {@code script radata report 8192}) in
   * {@code cwd}. Gun.js's radisk now and then fails a write of its own ("ENOENT … rename
   * radata-X.tmp -> radata/X": two flushes of one file racing on its temp file); such a run's folder
   * is not what the tests are about, so the writer runs again on an empty folder, at most 3 times.
   */
  public Result writeRadata(Path cwd, Path script, Path radata, Path report) throws IOException, InterruptedException {
    Result r = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      deleteTree(radata);
      java.nio.file.Files.deleteIfExists(report);
      r = node(cwd, script, List.of(radata.toString(), report.toString(), "8192"), 150);
      if (r.exit() == 0 || !(r.output().contains("ENOENT") && r.output().contains("rename"))) {
        return r;
      }
    }
    return r;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        java.nio.file.Files.delete(p);
      }
    }
  }

  /** How a process ended and what it printed (stdout and stderr). */
  public record Result(int exit, String output) {}

  private static Result run(Path cwd, List<String> cmd, int timeoutSeconds, String nodePath)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("jgun-gunjs", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      if (nodePath != null) {
        pb.environment().put("NODE_PATH", nodePath);
      }
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return new Result(
            -1,
            "timed out after "
                + timeoutSeconds
                + " s: "
                + cmd
                + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
