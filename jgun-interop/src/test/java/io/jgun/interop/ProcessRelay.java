package io.jgun.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A relay run as a child process: started with a command line, ready when a given line appears on
 * its stdout or stderr, stopped with SIGTERM.
 */
abstract class ProcessRelay implements Relay {

  private final RelayKind kind;
  private final RelayOptions options;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private @Nullable ManagedProcess process;

  ProcessRelay(RelayKind kind, RelayOptions options) {
    this.kind = kind;
    this.options = options;
    if (options.dataDir() != null) {
      this.dataDir = options.dataDir();
      this.ownsDataDir = false;
    } else {
      try {
        this.dataDir = Files.createTempDirectory("jgun-interop-" + kind.name().toLowerCase() + "-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.ownsDataDir = true;
    }
  }

  /**
   * Starts the process and waits for its ready line. {@code isReady} sees every line of stdout and
   * stderr; {@code onLine} too (after it), for subclasses that follow events.
   */
  final void launch(String name, List<String> command, Path workDir, Map<String, String> env,
      Predicate<String> isReady, Duration timeout) {
    java.util.function.Consumer<String> watch = line -> {
      if (!ready.isDone() && isReady.test(line)) {
        ready.complete(line);
      }
      onLine(line);
    };
    ManagedProcess started = ManagedProcess.start(name, command, workDir, env, watch, watch,
        () -> ready.completeExceptionally(new IllegalStateException(name + " closed its stdout")));
    process = started;
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      String why = name + " did not get ready within " + timeout.toSeconds() + " s\n" + started.diagnostics();
      started.close();
      throw new IllegalStateException(why, e);
    } catch (ExecutionException e) {
      // the process ended before it got ready; wait a moment for its exit code to be known
      started.terminate(Duration.ofSeconds(2));
      String why = name + " ended before it got ready\n" + started.diagnostics();
      started.close();
      throw new IllegalStateException(why, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.close();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
  }

  /** Every line the process prints, on its reader threads. */
  void onLine(String line) {}

  final Path dataDir() {
    return dataDir;
  }

  final ManagedProcess process() {
    ManagedProcess p = process;
    if (p == null) {
      throw new IllegalStateException("not started");
    }
    return p;
  }

  @Override
  public final RelayKind kind() {
    return kind;
  }

  @Override
  public final RelayOptions options() {
    return options;
  }

  @Override
  public final int port() {
    return options.port();
  }

  @Override
  public final boolean isAlive() {
    return process().isAlive();
  }

  @Override
  public final OptionalLong rssBytes() {
    return process().rssBytes();
  }

  @Override
  public final boolean stop(Duration grace) {
    return process().terminate(grace);
  }

  @Override
  public final String diagnostics() {
    ManagedProcess p = process;
    return p == null ? kind + " relay not started\n" : p.diagnostics();
  }

  @Override
  public final void close() {
    ManagedProcess p = process;
    if (p != null) {
      p.close();
    }
    if (ownsDataDir) {
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a leftover temporary folder is harmless; the test result does not depend on it
    }
  }

  @Override
  public String toString() {
    return kind + " relay on port " + port();
  }
}
