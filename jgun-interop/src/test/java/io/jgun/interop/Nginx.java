package io.jgun.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * nginx from the Debian package as a WebSocket load balancer in front of relays: a generated
 * configuration in a temporary prefix ({@code nginx -p DIR -c nginx.conf}), master in the
 * foreground, one worker, listening on a loopback port, {@code least_conn} over the relays' ports,
 * with the upgrade headers a WebSocket needs and idle timeouts long enough for Gun.js's
 * connections. Without nginx the test is skipped, except under {@code CI=true}, where it fails
 * ({@code .ci/run} installs it).
 */
final class Nginx implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final Path dir;
  private final int port;
  private final ManagedProcess process;

  private Nginx(Path dir, int port, ManagedProcess process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static void assumeInstalled() {
    if (!Files.isExecutable(BINARY)) {
      String msg = "nginx not found at " + BINARY + " (apt-get install -y nginx)";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(msg);
      }
      Assumptions.abort(msg);
    }
  }

  /** Starts nginx on a free loopback port, balancing over the relays on {@code relayPorts}. */
  static Nginx start(List<Integer> relayPorts) {
    assumeInstalled();
    try {
      Path dir = Files.createTempDirectory("jgun-nginx-");
      Files.createDirectories(dir.resolve("logs"));
      Files.createDirectories(dir.resolve("tmp"));
      int port = FreePorts.pick();
      Files.writeString(dir.resolve("nginx.conf"), config(port, relayPorts));
      ManagedProcess p = ManagedProcess.start("nginx:" + port,
          List.of(BINARY.toString(), "-p", dir.toString(), "-c", "nginx.conf", "-e", "stderr"),
          dir, Map.of(), line -> { }, line -> { }, () -> { });
      Nginx nginx = new Nginx(dir, port, p);
      nginx.awaitListening(Duration.ofSeconds(20));
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String config(int port, List<Integer> relayPorts) {
    String servers = relayPorts.stream().map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
        .collect(Collectors.joining("\n"));
    return """
        daemon off;
        master_process on;
        worker_processes 1;
        user root;
        pid nginx.pid;
        error_log stderr warn;
        events { worker_connections 1024; }
        http {
          access_log off;
          client_body_temp_path tmp/body;
          proxy_temp_path tmp/proxy;
          fastcgi_temp_path tmp/fastcgi;
          uwsgi_temp_path tmp/uwsgi;
          scgi_temp_path tmp/scgi;
          map $http_upgrade $connection_upgrade { default upgrade; '' close; }
          upstream jgun {
            least_conn;
        %s
          }
          server {
            listen 127.0.0.1:%d;
            location /gun {
              proxy_pass http://jgun;
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection $connection_upgrade;
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_read_timeout 1h;
              proxy_send_timeout 1h;
              proxy_connect_timeout 2s;
            }
          }
        }
        """.formatted(servers, port);
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("nginx did not listen on " + port + "\n" + process.diagnostics(), e);
        }
        try {
          Thread.sleep(50); // polling a port; nginx gives no other readiness signal
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
  }

  String url() {
    return "ws://127.0.0.1:" + port + "/gun";
  }

  String diagnostics() {
    return process.diagnostics();
  }

  @Override
  public void close() {
    process.terminate(Duration.ofSeconds(5));
    process.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is harmless
    }
  }
}
