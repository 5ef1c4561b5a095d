package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.jgun.relay.Main", "import-radata", golden("split-chunk400").toString(), "--data", data.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(err).isZero();
    assertThat(err).contains("100%").doesNotContain("INFO");
  }
}
