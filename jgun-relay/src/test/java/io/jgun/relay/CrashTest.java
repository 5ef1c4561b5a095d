package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
  private static final int GET_WINDOW = 1_000;

  @Test
  void everyAcknowledgedWriteSurvivesSigkill(@TempDir Path data) throws Exception {
    long seed = Long.getLong("jgun.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    int cycles = Integer.getInteger("jgun.crash.cycles", 4);
    String durability = System.getProperty("jgun.crash.durability", "SYNC");
    System.out.printf("CrashTest: seed %d, %d cycles, durability %s (-Djgun.crash.seed=%d replays the same kill points)%n", seed, cycles, durability, seed);
    Map<String, String> acked = new LinkedHashMap<>(); // soul -> value, of acknowledged writes
    double state = 1795520872832.0;
    int sent = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      RelayProcess relay = startRelay(data);
      try (RawClient c = new RawClient(relay.port())) {
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
            relay.kill(); // SIGKILL, with writes in flight
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
        relay.kill();
      }
    }
    assertThat(acked).hasSizeGreaterThan(cycles * 100);
    try (RelayProcess relay = startRelay(data); RawClient c = new RawClient(relay.port())) {
      verify(c, acked, "final");
      System.out.printf("CrashTest: seed %d: %d SIGKILLs, %d writes sent, %d acknowledged writes verified after every restart%n",
          seed, cycles, sent, acked.size());
    }
  }

  /**
   * GETs every acknowledged soul, pipelined in windows of {@link #GET_WINDOW} (a relay disconnects a
   * peer with more than 10,000 frames waiting, and a soak acknowledges more than that), then checks
   * each reply holds the acked value.
   */
  static void verify(RawClient c, Map<String, String> acked, String when) {
    Pattern reply = Pattern.compile("\\{\"#\":\"[^\"]+\",\"##\":-?\\d+,\"@\":\"(g[^\"]+)\",\"put\":\\{\"crash/\\d+\":\\{[^}]*\\}+,\"v\":\"([^\"]*)\"");
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, String> replies = new LinkedHashMap<>();
    int[] scanned = {c.frames.size()}; // frames before this verify hold no reply to it
    int n = 0;
    List<String> window = new ArrayList<>();
    for (String soul : acked.keySet()) {
      String id = "g" + Math.abs(when.hashCode()) + "x" + n++;
      ids.put(id, soul);
      window.add(id);
      c.send("{\"#\":\"" + id + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      if (window.size() == GET_WINDOW || n == acked.size()) {
        await(when + ": replies to " + window.size() + " GETs from " + window.get(0))
            .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
              for (int i = scanned[0]; i < c.frames.size(); i++, scanned[0]++) {
                String f = c.frames.get(i);
                Matcher m = reply.matcher(f);
                while (m.find()) {
                  replies.put(m.group(1), m.group(2));
                }
                Matcher nf = NOT_FOUND.matcher(f);
                while (nf.find()) {
                  replies.putIfAbsent(nf.group(1), "(not found)");
                }
              }
              return replies.keySet().containsAll(window);
            });
        window.clear();
      }
    }
    for (Map.Entry<String, String> e : ids.entrySet()) {
      assertThat(replies.get(e.getKey())).as("%s: %s", when, e.getValue()).isEqualTo(acked.get(e.getValue()));
    }
  }

  private static RelayProcess startRelay(Path data) throws IOException {
    return RelayProcess.start(List.of("-Xmx256m"), "--data", data.toString(),
        "--durability", System.getProperty("jgun.crash.durability", "SYNC"));
  }
}
