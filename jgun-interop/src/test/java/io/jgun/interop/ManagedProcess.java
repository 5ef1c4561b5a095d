package io.jgun.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process owned by a test: its stdout lines go to a listener, the tails of stdout and stderr
 * are kept for failure messages, and closing it ends the process and everything it started (SIGTERM,
 * then SIGKILL after a grace period). Close is idempotent.
 */
final class ManagedProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int TAIL_LINES = 200;
  private static final int TAIL_LINE_CHARS = 600;
  private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

  private final String name;
  private final Process process;
  private final Deque<String> tail = new ArrayDeque<>();
  private final OutputStream stdin;
  private volatile boolean closed;

  private ManagedProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = process.getOutputStream();
  }

  /**
   * Starts {@code command} in {@code dir}. Both listeners are called on the process's reader threads,
   * one line at a time, in order; {@code onStdout} and {@code onStderr} may be the same.
   */
  static ManagedProcess start(String name, List<String> command, Path dir, Map<String, String> env,
      Consumer<String> onStdout, Consumer<String> onStderr, Runnable onStdoutEnd) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
    }
    ManagedProcess managed = new ManagedProcess(name, process);
    LIVE.add(managed);
    managed.pump(process.getInputStream(), "out", onStdout, onStdoutEnd);
    managed.pump(process.getErrorStream(), "err", onStderr, () -> { });
    LOG.debug("started {} (pid {}): {}", name, process.pid(), command);
    return managed;
  }

  /** The processes started and not yet closed, for diagnostics when a test fails. */
  static List<ManagedProcess> live() {
    return List.copyOf(LIVE);
  }

  private void pump(InputStream in, String stream, Consumer<String> listener, Runnable atEnd) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          remember(stream, line);
          try {
            listener.accept(line);
          } catch (RuntimeException e) {
            remember("harness", "listener failed on a line: " + e);
          }
        }
      } catch (IOException e) {
        remember("harness", "reading " + stream + " failed: " + e);
      } finally {
        atEnd.run();
      }
    }, name + "-" + stream);
    thread.setDaemon(true);
    thread.start();
  }

  private void remember(String stream, String line) {
    String shown = line.length() > TAIL_LINE_CHARS
        ? line.substring(0, TAIL_LINE_CHARS) + "…(" + line.length() + " chars)" : line;
    synchronized (tail) {
      if (tail.size() == TAIL_LINES) {
        tail.removeFirst();
      }
      tail.addLast(stream + "| " + shown);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Writes one line to the process's stdin. */
  void writeLine(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (stdin) {
      try {
        stdin.write(bytes);
        stdin.flush();
      } catch (IOException e) {
        throw new IllegalStateException(name + " does not take input any more\n" + diagnostics(), e);
      }
    }
  }

  /** Name, pid, exit state and the last lines it printed: what a failure message needs. */
  String diagnostics() {
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(name).append(" (pid ").append(process.pid()).append(", ")
        .append(process.isAlive() ? "running" : "exited with " + process.exitValue())
        .append("), last output lines:\n");
    synchronized (tail) {
      tail.forEach(line -> out.append("  ").append(line).append('\n'));
    }
    return out.toString();
  }

  /**
   * Resident memory of the process and its descendants (a launcher script may run the real relay as
   * a child), from {@code /proc/<pid>/status}; empty where there is no /proc.
   */
  OptionalLong rssBytes() {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return OptionalLong.empty();
    }
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    long total = 0;
    for (ProcessHandle handle : tree) {
      total += rssOf(handle.pid());
    }
    return OptionalLong.of(total);
  }

  private static long rssOf(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kib = line.substring("VmRSS:".length()).replace("kB", "").trim();
          return Long.parseLong(kib) * 1024;
        }
      }
      return 0;
    } catch (IOException e) {
      return 0; // the process ended between listing and reading: it holds no memory any more
    }
  }

  /**
   * Sends SIGTERM to the process and its descendants and waits up to {@code grace} for all of them
   * to end; whatever is still running then is killed. Returns true when SIGTERM was enough.
   */
  boolean terminate(Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    boolean graceful = true;
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      if (!awaitExit(handle, Math.max(0, deadline - System.nanoTime()))) {
        graceful = false;
        handle.destroyForcibly();
        awaitExit(handle, TimeUnit.SECONDS.toNanos(5));
      }
    }
    return graceful;
  }

  /**
   * Waits for a process to end. The JDK learns of a grandchild's exit only by polling with growing
   * pauses (up to seconds), so this looks every 10 ms itself: a relay restart must be quick (Gun.js
   * clients retry once, ~2 s after the close).
   */
  private static boolean awaitExit(ProcessHandle handle, long nanos) {
    long deadline = System.nanoTime() + nanos;
    CompletableFuture<ProcessHandle> exit = handle.onExit();
    while (!isGone(handle)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        exit.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // look again
      } catch (ExecutionException e) {
        return isGone(handle);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return isGone(handle);
      }
    }
    return true;
  }

  /**
   * Ended, or a zombie: a descendant whose parent died first is reaped by init, which can take a while
   * in a container, and until then the JDK still reports it alive.
   */
  private static boolean isGone(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
    } catch (IOException e) {
      return !handle.isAlive(); // no /proc, or it is gone already
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      synchronized (stdin) {
        stdin.close();
      }
    } catch (IOException e) {
      // the process already closed its end; terminating it below is all that is left to do
    }
    terminate(Duration.ofSeconds(5));
    LIVE.remove(this);
  }
}
