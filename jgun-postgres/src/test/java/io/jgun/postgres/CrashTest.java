package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write, kill, restart, check: a child process writing through a {@link PostgresStore} is killed
 * with SIGKILL right after it printed acks, then PostgreSQL itself is stopped with {@code -m
 * immediate} (no shutdown checkpoint: recovery replays the WAL) and started again; every acked field
 * must be there with its state. Runs its own cluster, since it stops it.
 */
class CrashTest {
  @TempDir Path tmp;

  @Test
  void everyAckedFieldSurvivesKillingTheWriterAndThenTheServer() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      String schema = PostgresCluster.freshSchema();
      for (int round = 0; round < 3; round++) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
            CrashWriter.class.getName(), Integer.toString(pg.port()), schema, "4", Integer.toString(round))
            .redirectError(tmp.resolve("child-" + round + ".err").toFile())
            .start();
        List<String[]> acked = new ArrayList<>();
        int target = 1_000 * (round + 1);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
          while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith("ACK ")) {
              acked.add(line.substring(4).split(" "));
              if (acked.size() >= target) {
                p.destroyForcibly(); // SIGKILL while puts are in flight
                break;
              }
            }
          }
        } finally {
          p.destroyForcibly();
          assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("acks read from the child").hasSizeGreaterThanOrEqualTo(target);
        pg.stopImmediately();
        pg.startServer();
        try (PostgresStore s = pg.store(schema).open()) {
          int missing = 0;
          for (String[] a : acked) {
            Field f = s.fieldNow(a[0], a[1]);
            double state = Double.parseDouble(a[2]);
            if (f == null || f.state() != state) {
              missing++;
            } else {
              assertThat(f.value()).isEqualTo(Value.number(Double.parseDouble(a[1].substring(1))));
            }
          }
          assertThat(missing).as("acked fields lost in round %d of %d", round, acked.size()).isZero();
        }
      }
    }
  }
}
