package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.client.readme.FirstProgram;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The first program of docs/java-api.md (and of examples/java-app) runs against a relay and prints
 * what the guide says.
 */
class FirstProgramTest {
  @Test
  void theReadmeProgramWritesReadsAndListensThroughARelay() throws Exception {
    try (TestRelay relay = TestRelay.start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream before = System.out;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        FirstProgram.main(new String[] {relay.url()});
      } finally {
        System.setOut(before);
      }
      assertThat(out.toString(StandardCharsets.UTF_8).lines()).startsWith("Hello from Java").contains("greeting = Bonjour");
      assertThat(out.toString(StandardCharsets.UTF_8).lines()).last().isEqualTo("greeting = Bonjour");
      // and the data is in the relay for anyone
      try (Gun other = Gun.builder().peers(relay.url()).build()) {
        assertThat(join(other.get("hello/world").get("from").get("lang").once())).contains("Java");
      }
    }
  }

  @Test
  void theGuideAndTheExampleQuoteTheProgramAsItIs() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/jgun/client/readme/FirstProgram.java"));
    String program = source.substring(source.indexOf("import ")).replaceAll("(?s)/\\*\\*.*?\\*/\n", "").trim();
    assertThat(Files.readString(Path.of("../docs/java-api.md"))).contains(program);
    String example = Files.readString(Path.of("../examples/java-app/src/main/java/example/FirstProgram.java"));
    assertThat(example.substring(example.indexOf("import ")).replaceAll("(?s)/\\*\\*.*?\\*/\n", "").trim()).isEqualTo(program);
  }
}
