package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay's memory stays flat while it takes far more data than its caches hold: a relay process
 * with an 8 MiB cache ({@code --cache-mb 8}) and a fixed heap takes more than ten times that in
 * durable 1 KiB writes, and its resident memory after the warm-up grows by at most 10%: the peak of
 * the second half is within 10% of the peak from 20% to 50% of the writes (peaks, not single
 * samples, which may fall on a dip after a collection). Then the data is read back from disk. (bench/memory-flat.sh does the same at 2 GB, beside Gun.js.)
 */
class MemoryFlatTest {
  static final int CACHE_MB = 8;
  static final int VALUE_BYTES = 1024;
  static final int PUTS = 120_000; // ~120 MiB of values: 15x the cache
  static final int PER_FRAME = 20;
  static final int IN_FLIGHT = 2_000;

  @Test
  void residentMemoryStaysFlatWhileTheDataGrowsTenTimesBeyondTheCache(@TempDir Path data) throws Exception {
    // The heap is committed and touched at start, so growth is not the JVM slowly taking its heap.
    List<String> jvm = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=64m");
    try (RelayProcess relay = RelayProcess.start(jvm, "--data", data.toString(), "--cache-mb", Integer.toString(CACHE_MB),
            // one connection writing at full speed, like a load tool: over the default per-client rates
            "--limit-messages", "0", "--limit-bytes", "0");
        RawClient c = new RawClient(relay.port())) {
      Random r = new Random(42);
      char[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
      List<Long> rss = new ArrayList<>(); // one sample per 5% of the writes
      double state = 1795520872832.0;
      for (int i = 0; i < PUTS; i += PER_FRAME) {
        int sent = i;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> c.oks.get() >= sent - IN_FLIGHT);
        StringBuilder frame = new StringBuilder(PER_FRAME * (VALUE_BYTES + 120)).append('[');
        for (int j = i; j < i + PER_FRAME; j++) {
          char[] v = new char[VALUE_BYTES];
          for (int k = 0; k < v.length; k++) {
            v[k] = alphabet[r.nextInt(alphabet.length)]; // incompressible enough: no help from compression
          }
          state += 1;
          String soul = "flat/" + j;
          frame.append(j == i ? "" : ",")
              .append("{\"#\":\"p").append(j).append("\",\"put\":{\"").append(soul).append("\":{\"_\":{\"#\":\"").append(soul)
              .append("\",\">\":{\"v\":").append(state).append("}},\"v\":\"").append(v).append("\"}}}");
        }
        c.send(frame.append(']').toString());
        if ((i + PER_FRAME) % (PUTS / 20) == 0) {
          rss.add(relay.rssBytes());
        }
      }
      await().atMost(Duration.ofSeconds(120)).until(() -> c.oks.get() >= PUTS);
      rss.add(relay.rssBytes());
      long onDisk = du(data);
      // samples 3..9 are 20%..50% of the writes (the first fifth is the warm-up), 10.. the second half
      long earlyPeak = rss.subList(3, 10).stream().mapToLong(Long::longValue).max().orElseThrow();
      long latePeak = rss.subList(10, rss.size()).stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.printf("MemoryFlatTest: %d puts of %d B acked, %d MiB on disk, cache %d MiB; RSS MiB every 5%%: %s%n",
          PUTS, VALUE_BYTES, onDisk >> 20, CACHE_MB, rss.stream().map(b -> Long.toString(b >> 20)).toList());
      assertThat(c.frames).noneMatch(f -> f.contains("\"err\""));
      assertThat(onDisk).as("data on disk, beyond 10x the cache").isGreaterThan(10L * CACHE_MB << 20);
      assertThat(latePeak).as("peak RSS of the second half vs the peak from 20%% to 50%% (%d MiB)", earlyPeak >> 20)
          .isLessThanOrEqualTo((long) (earlyPeak * 1.10));

      // the early writes, long out of every cache, are read back from disk
      for (int j = 0; j < 2_000; j += 97) {
        c.send("{\"#\":\"g" + j + "\",\"get\":{\"#\":\"flat/" + j + "\"}}");
        assertThat(c.awaitFrame("\"@\":\"g" + j + "\"")).contains("\"flat/" + j + "\"").contains("\"v\":\"");
      }
    }
  }

  private static long du(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
