package io.jgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import io.jgun.relay.CliRun;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgun import-radata} on the radata folders real Gun.js wrote, kept once in jgun-radata's test
 * resources ({@code io/jgun/radata/golden}, README there).
 */
class ImportRadataCommandTest {
  private static Path golden(String name) {
    // Surefire runs in the module folder, so jgun-radata is one level up.
    Path p = Path.of("..", "jgun-radata", "src", "test", "resources", "io", "jgun", "radata", "golden", name);
    assertThat(p).as("jgun-radata's golden radata folder").isDirectory();
    return p;
  }

  @Test
  void importsAGunJsFolderAndIsIdempotent(@TempDir Path data) throws Exception {
    Path radata = golden("split-chunk400");
    assertThat(Main.run("import-radata", radata.toString(), "--data", data.toString(), "--quiet")).isEqualTo(0);
    assertThat(Main.run("import-radata", radata.toString(), "--data", data.toString(), "--quiet")).isEqualTo(0);
    try (Store store = RocksStore.builder(data).open()) {
      Field name = store.fieldNow("alice", "name");
      assertThat(name).isNotNull();
      assertThat(name.value()).isEqualTo(Value.text("Alice"));
      assertThat(store.fieldNow("alice", "nick").value()).isEqualTo(Value.NULL); // a tombstone
      assertThat(store.fieldNow("alice", "age").value()).isEqualTo(Value.NULL); // deleted later
    }
  }

  @Test
  void damagedFolderIsImportedWithItsDamageReportedAndStrictFails(@TempDir Path data) throws Exception {
    Path radata = golden("yson-damaged-10k");
    assertThat(Main.run("import-radata", radata.toString(), "--data", data.toString(), "--quiet", "--strict")).isEqualTo(3);
    assertThat(Files.list(data).count()).isGreaterThan(0);
  }

  @Test
  void missingFolderIsAClearFailure(@TempDir Path data) {
    assertThat(Main.run("import-radata", data.resolve("nope").toString(), "--data", data.resolve("d").toString())).isEqualTo(1);
  }

  @Test
  void theProgressBarIsNotBrokenByLogLines(@TempDir Path data) throws Exception {
    // in its own JVM, as bin/jgun runs it: the store's loggers are made there after the command starts
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "import-radata", golden("split-chunk400").toString(), "--data", data.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(err).isZero();
    assertThat(err).contains("100%").doesNotContain("INFO");
  }

  /** Import refuses the directories the relay refuses (io.jgun.relay.RelayStartupFailureTest), with the same one line. */
  @Test
  void importRadataRefusesTheSameDirectories(@TempDir Path tmp) throws Exception {
    Path radata = Files.createDirectories(tmp.resolve("radata"));
    Path file = Files.writeString(tmp.resolve("file"), "x");
    CliRun r = CliRun.of(Main::run, "import-radata", radata.toString(), "--data", file.toString(), "--quiet");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errorLines()).singleElement().asString()
        .startsWith("jgun import-radata: cannot open store at " + file.toAbsolutePath() + ": ")
        .contains("not a directory");
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(photos.resolve("notes.txt"), "my notes");
    r = CliRun.of(Main::run, "import-radata", radata.toString(), "--data", photos.toString(), "--quiet");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errorLines()).singleElement().asString().contains("not empty");
    assertThat(r.err()).doesNotContain("\tat ");
    try (Stream<Path> all = Files.list(photos)) {
      assertThat(all.count()).isEqualTo(1);
    }
  }
}
