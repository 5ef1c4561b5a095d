package io.jgun.postgres;

import io.jgun.store.CrashCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        List<String[]> acked = CrashCheck.ackedUntilKilled(p, 1_000 * (round + 1), Duration.ofSeconds(90));
        pg.stopImmediately();
        pg.startServer();
        try (PostgresStore s = pg.store(schema).open()) {
          CrashCheck.assertEveryAckedFieldStored(s, acked, "round " + round);
        }
      }
    }
  }
}
