package io.jgun.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.store.CrashCheck;
import io.jgun.store.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a writing process with SIGKILL right after it printed acks, then checks that every acked
 * field is in the store with its state. Under {@code SYNC} and {@code WAL} an ack must survive the
 * death of the process (a power cut, which only {@code SYNC} survives, is not simulated here).
 */
class CrashTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"SYNC", "WAL"})
  void everyAckedFieldSurvivesAKill(Durability durability) throws Exception {
    killAndCheck(durability, List.of(), 2_000);
  }

  /**
   * With 1 MiB memtables the write-ahead log rolls every few thousand puts and obsolete log files
   * are reused (recycle_log_file_num), so the kills land after puts went to reused files, whose old
   * records recovery must not take for new ones nor stop short of the acked ones. The info logs
   * prove that files were reused.
   */
  @Test
  void everyAckedFieldSurvivesAKillWhileLogFilesAreReused() throws Exception {
    killAndCheck(Durability.SYNC, List.of(Long.toString(1L << 20)), 25_000);
    // RocksDB's info logs of the children (LOG.old.* once the store was reopened) say so.
    List<String> reused = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp.resolve("db"))) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("LOG"))::iterator) {
        if (Files.readString(f, StandardCharsets.ISO_8859_1).contains("reusing log")) {
          reused.add(f.getFileName().toString());
        }
      }
    }
    assertThat(reused).as("info logs that record a reused log file").isNotEmpty();
  }

  /** Three rounds of: a child writes, is killed after {@code (round + 1) * step} acks, is checked. */
  private void killAndCheck(Durability durability, List<String> extraArgs, int step) throws Exception {
    for (int round = 0; round < 3; round++) {
      Path dir = tmp.resolve("db");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          CrashWriter.class.getName(), dir.toString(), durability.name(), "8"));
      command.addAll(extraArgs);
      Process p = new ProcessBuilder(command)
          .redirectError(tmp.resolve("child-" + round + ".err").toFile())
          .start();
      List<String[]> acked = CrashCheck.ackedUntilKilled(p, step * (round + 1), Duration.ofSeconds(60));
      try (RocksStore s = RocksStore.builder(dir).open()) {
        CrashCheck.assertEveryAckedFieldStored(s, acked, "round " + round);
      }
    }
  }
}
