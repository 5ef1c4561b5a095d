package io.jgun.relay;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A relay started as its own process ({@code java … io.jgun.relay.RelayMain relay …}), on a free
 * port. Public for jgun-cli's tests (through this module's test-jar).
 */
public final class RelayProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on ws://[^:]+:(\\d+)/gun");

  final Process process;
  private final int port;

  private RelayProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code jgun relay --host 127.0.0.1 --port 0 ARGS…} with the given JVM options and waits
   * until it listens.
   */
  public static RelayProcess start(List<String> jvmOptions, String... relayArgs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayMain.class.getName(), "relay", "--host", "127.0.0.1", "--port", "0"));
    cmd.addAll(List.of(relayArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("MALLOC_ARENA_MAX", "2"); // as bin/jgun runs a relay
    Process p = pb.start();
    try {
      return new RelayProcess(p, awaitPort(p));
    } catch (RuntimeException | IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and wait for the process to end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, and wait (at most {@code timeout}) for the process to end; its exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("relay did not stop within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** The process's resident memory now (VmRSS in /proc), in bytes. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for process " + process.pid());
  }

  private static int awaitPort(Process relay) throws IOException {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("relay exited before listening"));
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
    });
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(30)).until(port::isDone);
    return port.join();
  }

  /** Asks the relay to stop (SIGTERM) and waits; SIGKILL if it does not stop within 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
