package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of acknowledged writes: a relay runs as its own process, a client streams writes
 * and records every ack, the relay is killed with SIGKILL at a random point, restarted on the same
 * data, and every acknowledged write must be there with its state. Several cycles.
 */
class CrashTest {
  private static final Pattern NOT_FOUND = Pattern.compile("\\{\"#\":\"[^\"]+\",\"@\":\"(g[^\"]+)\"}");
  private static final Pattern LISTENING = Pattern.compile("listening on ws://[^:]+:(\\d+)/gun");

  @Test
  void everyAcknowledgedWriteSurvivesSigkill(@TempDir Path data) throws Exception {
    Random random = new Random(Long.getLong("jgun.crash.seed", System.nanoTime()));
    int cycles = Integer.getInteger("jgun.crash.cycles", 4);
    Map<String, String> acked = new LinkedHashMap<>(); // soul -> value, of acknowledged writes
    double state = 1795520872832.0;
    int sent = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      Process relay = startRelay(data);
      int port = awaitPort(relay);
      try (RawClient c = new RawClient(port)) {
        // everything acknowledged before the earlier crashes is still there
        verify(c, acked, "cycle " + cycle);
        int killAfter = 200 + random.nextInt(800);
        List<String> inFlight = new ArrayList<>();
        int base = c.oks.get();
        for (int i = 0; i < killAfter + 400 && relay.isAlive(); i++) {
          int sentThisCycle = i;
          if (i < killAfter) {
            // at most 64 writes in flight, so acks keep flowing up to the kill
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> c.oks.get() - base >= sentThisCycle - 64);
          }
          String soul = "crash/" + sent;
          String value = "v" + sent + "-" + cycle;
          state += 1;
          String id = "p" + sent;
          sent++;
          inFlight.add(id + " " + soul + " " + value);
          c.send("{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"v\":" + state + "}},\"v\":\"" + value + "\"}}}");
          if (i == killAfter) {
            relay.destroyForcibly(); // SIGKILL, with writes in flight
            relay.waitFor();
          }
        }
        // what was acked before the kill
        for (String f : c.frames) {
          Matcher m = Pattern.compile("\"@\":\"(p\\d+)\"[^}]*\"ok\":true").matcher(f);
          while (m.find()) {
            for (String line : inFlight) {
              if (line.startsWith(m.group(1) + " ")) {
                String[] p = line.split(" ");
                acked.put(p[1], p[2]);
              }
            }
          }
        }
      } finally {
        relay.destroyForcibly();
        relay.waitFor();
      }
    }
    assertThat(acked).hasSizeGreaterThan(cycles * 100);
    Process relay = startRelay(data);
    try (RawClient c = new RawClient(awaitPort(relay))) {
      verify(c, acked, "final");
    } finally {
      relay.destroy();
      relay.waitFor();
    }
  }

  /** GETs every acknowledged soul (pipelined), then checks each reply holds the acked value. */
  private static void verify(RawClient c, Map<String, String> acked, String when) {
    Map<String, String> ids = new LinkedHashMap<>();
    int n = 0;
    for (String soul : acked.keySet()) {
      String id = "g" + Math.abs(when.hashCode()) + "x" + n++;
      ids.put(id, soul);
      c.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + soul + "\"}}");
    }
    Map<String, String> replies = new LinkedHashMap<>();
    Pattern reply = Pattern.compile("\\{\"#\":\"[^\"]+\",\"##\":-?\\d+,\"@\":\"(g[^\"]+)\",\"put\":\\{\"crash/\\d+\":\\{[^}]*\\}+,\"v\":\"([^\"]*)\"");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (String f : c.frames) {
        Matcher m = reply.matcher(f);
        while (m.find()) {
          replies.put(m.group(1), m.group(2));
        }
        Matcher nf = NOT_FOUND.matcher(f);
        while (nf.find()) {
          replies.putIfAbsent(nf.group(1), "(not found)");
        }
      }
      return replies.keySet().containsAll(ids.keySet());
    });
    for (Map.Entry<String, String> e : ids.entrySet()) {
      assertThat(replies.get(e.getKey())).as("%s: %s", when, e.getValue()).isEqualTo(acked.get(e.getValue()));
    }
  }

  private static Process startRelay(Path data) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.jgun.relay.Main",
            "relay", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(),
            "--durability", System.getProperty("jgun.crash.durability", "SYNC"))
        .redirectErrorStream(true)
        .start();
  }

  private static int awaitPort(Process relay) throws Exception {
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
    return port.get();
  }
}
