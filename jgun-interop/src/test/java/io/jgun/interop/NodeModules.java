package io.jgun.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Installs the node side ({@code npm ci} in {@code jgun-interop/node}) the first time a test needs it,
 * so a fresh clone with node, npm and the npm registry needs nothing else.
 */
final class NodeModules {

  /** The Gun.js version the whole project is compatible with; package.json pins it exactly. */
  static final String GUN_VERSION = "0.2020.1241";

  private static final long INSTALL_MINUTES = 5;
  private static final Set<Path> CHECKED = new HashSet<>();

  private NodeModules() {}

  /** Makes sure {@code node_modules/gun} is the pinned version, running {@code npm ci} if it is not. */
  static void ensureInstalled() {
    ensureInstalled(InteropEnvironment.nodeDir(), false);
  }

  /**
   * The same for a node project of this module ({@code node/}, {@code panic/}): {@code npm ci} there
   * when its {@code node_modules/gun} is missing or not the pinned version, and with {@code lockCheck}
   * also when its lock file is newer than what npm last installed ({@code node_modules/.package-lock.json}).
   */
  static synchronized void ensureInstalled(Path dir, boolean lockCheck) {
    if (CHECKED.contains(dir)) {
      return;
    }
    run(List.of("node", "--version"), dir, 1);
    if (!installedVersionMatches(dir) || (lockCheck && lockNewerThanInstall(dir))) {
      List<String> npm = Files.exists(dir.resolve("package-lock.json"))
          ? List.of("npm", "ci", "--no-audit", "--no-fund")
          : List.of("npm", "install", "--no-audit", "--no-fund");
      run(npm, dir, INSTALL_MINUTES);
      if (!installedVersionMatches(dir)) {
        throw new IllegalStateException(String.join(" ", npm) + " in " + dir
            + " did not install gun " + GUN_VERSION);
      }
    }
    CHECKED.add(dir);
  }

  private static boolean lockNewerThanInstall(Path dir) {
    Path lock = dir.resolve("package-lock.json");
    Path installed = dir.resolve("node_modules/.package-lock.json");
    try {
      return Files.isRegularFile(lock) && (!Files.isRegularFile(installed)
          || Files.getLastModifiedTime(lock).compareTo(Files.getLastModifiedTime(installed)) > 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean installedVersionMatches(Path dir) {
    Path pkg = dir.resolve("node_modules/gun/package.json");
    if (!Files.isRegularFile(pkg)) {
      return false;
    }
    try {
      return Files.readString(pkg).contains("\"version\": \"" + GUN_VERSION + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(List<String> command, Path dir, long minutes) {
    String what = String.join(" ", command);
    Path log = null;
    try {
      log = Files.createTempFile("jgun-interop-npm", ".log");
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      process.getOutputStream().close();
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " in " + dir + " took longer than " + minutes + " min:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(what + " in " + dir + " failed with exit code "
            + process.exitValue() + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run '" + what + "' (node and npm must be on the PATH)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // a leftover log file in the temp folder is harmless
        }
      }
    }
  }
}
