package io.jgun.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Where things are and what was asked for, from the system properties the module's pom sets. */
final class InteropEnvironment {

  private InteropEnvironment() {}

  /** The repository root: where {@code bin/jgun} lives. */
  static Path repoRoot() {
    String root = System.getProperty("jgun.repo.root");
    Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    return path.toAbsolutePath().normalize();
  }

  /** The node side of this module: package.json, the lock file and the driver scripts. */
  static Path nodeDir() {
    String dir = System.getProperty("jgun.interop.node.dir");
    Path path = dir != null ? Path.of(dir) : Path.of("node");
    path = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path.resolve("client.js"))) {
      throw new IllegalStateException("node drivers not found in " + path
          + " (run the tests through Maven, or set -Djgun.interop.node.dir)");
    }
    return path;
  }

  /** {@code -Djgun.interop.trace=true}: the node drivers log every frame to stderr. */
  static boolean trace() {
    return Boolean.getBoolean("jgun.interop.trace");
  }

  /** The relay kinds selected with {@code -Djgun.interop.relays=gunjs,jgun} (default: both). */
  static Set<String> selectedRelays() {
    String value = System.getProperty("jgun.interop.relays", "gunjs,jgun");
    return Arrays.stream(value.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
