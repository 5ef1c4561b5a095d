package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.netty.HttpRoute;
import io.jgun.store.Durability;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health}, {@code /ready} and the drain on SIGTERM. */
class DrainTest {
  private static final Pattern OK = Pattern.compile("\"@\":\"(p\\d+)\"[^}]*\"ok\":true");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static int status(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void readyAnswers503WhileDrainingAndNewConnectionsAreClosed(@TempDir Path dir) throws Exception {
    RelayConfig config = new RelayConfig("127.0.0.1", 0, dir, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null);
    Relay relay = Relay.start(config);
    HttpRoute.Request ready = new HttpRoute.Request("GET", "/ready", "/ready", "", Map.of(), "test");
    assertThat(status(relay.port(), "/health")).isEqualTo(200);
    assertThat(status(relay.port(), "/ready")).isEqualTo(200);
    // hold the mesh loop so the drain cannot finish while we look at it
    CountDownLatch release = new CountDownLatch(1);
    relay.meshLoop().execute(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread closer = new Thread(() -> relay.close(Duration.ofSeconds(30)));
    closer.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> relay.health().phase() == RelayHealth.Phase.DRAINING);
      HttpRoute.Reply r = relay.health().route().handle(ready);
      assertThat(r).isNotNull();
      assertThat(r.status()).isEqualTo(503);
      assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("shutting down");
      assertThat(relay.health().route().handle(new HttpRoute.Request("GET", "/health", "/health", "", Map.of(), "test")).status()).isEqualTo(200);
    } finally {
      release.countDown();
      closer.join(TimeUnit.SECONDS.toMillis(40));
    }
    assertThat(closer.isAlive()).isFalse();
  }

  @Test
  void notReadyAfterAFailedWriteUntilTheNextProbe() {
    long[] failures = {0};
    RelayHealth h = new RelayHealth(() -> failures[0]);
    assertThat(h.notReady()).isEqualTo("starting");
    h.started();
    assertThat(h.notReady()).isNull();
    failures[0] = 3;
    assertThat(h.notReady()).contains("failed 3 writes");
    assertThat(h.notReady()).isNull();
    h.draining();
    assertThat(h.notReady()).isEqualTo("shutting down");
  }

  @Test
  void notReadyWhileTheStoreSaysItCannotReachItsDatabase() {
    String[] down = {null};
    RelayHealth h = new RelayHealth(() -> 0, () -> down[0]);
    h.started();
    assertThat(h.notReady()).isNull();
    down[0] = "PostgreSQL unreachable";
    assertThat(h.notReady()).isEqualTo("PostgreSQL unreachable");
    assertThat(h.notReady()).as("on every probe while it lasts").isEqualTo("PostgreSQL unreachable");
    down[0] = null;
    assertThat(h.notReady()).isNull();
  }

  @Test
  void sigtermWhileWritingKeepsEveryAckedWriteAndExitsZero(@TempDir Path data) throws Exception {
    Map<String, String> acked = new LinkedHashMap<>();
    List<Integer> readyAfterTerm = new CopyOnWriteArrayList<>();
    RelayProcess relay = RelayProcess.start(List.of("-Xmx256m"), "--data", data.toString(), "--durability", "SYNC", "--drain-timeout", "20");
    int port = relay.port();
    assertThat(status(port, "/health")).isEqualTo(200);
    assertThat(status(port, "/ready")).isEqualTo(200);
    List<String> sent = new ArrayList<>();
    AtomicBoolean termSent = new AtomicBoolean();
    Thread prober = new Thread(() -> {
      while (relay.isAlive()) {
        try {
          int s = status(port, "/ready");
          if (termSent.get()) {
            readyAfterTerm.add(s);
          }
        } catch (Exception e) {
          if (termSent.get()) {
            readyAfterTerm.add(-1); // refused: the port is closed
          }
        }
      }
    });
    prober.setDaemon(true);
    prober.start();
    int exit;
    try (RawClient c = new RawClient(port)) {
      double state = 1795520872832.0;
      int termAt = 300;
      Future<Integer> exitCode = null;
      for (int i = 0; i < termAt + 2000 && relay.isAlive() && !c.closed; i++) {
        int n = i;
        if (i < termAt) {
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> c.oks.get() >= n - 64);
        }
        String soul = "crash/" + i;
        String value = "v" + i;
        state += 1;
        sent.add("p" + i + " " + soul + " " + value);
        try {
          c.send("{\"#\":\"p" + i + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"v\":" + state + "}},\"v\":\"" + value + "\"}}}");
        } catch (RuntimeException closed) {
          break;
        }
        if (i == termAt) {
          termSent.set(true);
          exitCode = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              return relay.terminate(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          });
        }
      }
      assertThat(exitCode).isNotNull();
      exit = exitCode.get(90, TimeUnit.SECONDS);
      for (String f : c.frames) {
        Matcher m = OK.matcher(f);
        while (m.find()) {
          for (String line : sent) {
            if (line.startsWith(m.group(1) + " ")) {
              String[] p = line.split(" ");
              acked.put(p[1], p[2]);
            }
          }
        }
      }
    }
    prober.join(10_000);
    assertThat(exit).as("exit code after SIGTERM").isZero();
    assertThat(acked).hasSizeGreaterThanOrEqualTo(250);
    // once /ready stopped answering 200 it never did again
    int firstNot200 = 0;
    while (firstNot200 < readyAfterTerm.size() && readyAfterTerm.get(firstNot200) == 200) {
      firstNot200++;
    }
    assertThat(readyAfterTerm.subList(firstNot200, readyAfterTerm.size())).doesNotContain(200);
    System.out.printf("DrainTest: %d writes sent, %d acked; /ready after SIGTERM: %s%n", sent.size(), acked.size(), summary(readyAfterTerm));
    try (RelayProcess again = RelayProcess.start(List.of("-Xmx256m"), "--data", data.toString()); RawClient c = new RawClient(again.port())) {
      CrashTest.verify(c, acked, "after SIGTERM");
    }
  }

  private static String summary(List<Integer> statuses) {
    Map<Integer, Integer> n = new LinkedHashMap<>();
    for (int s : statuses) {
      n.merge(s, 1, Integer::sum);
    }
    return n.toString();
  }
}
