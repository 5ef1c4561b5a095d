package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.mesh.ClientLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --rules FILE}: an error in the file stops the relay before it listens, naming the line and why. */
class RelayRulesOptionTest {
  @TempDir Path dir;

  @Test
  void aRulesFileWithAnErrorStopsTheRelayWithItsLineAndReason() throws Exception {
    Path rules = dir.resolve("rules.txt");
    Files.writeString(rules, "# fine\ndeny write public/* \"read-only\"\ndeny write log/* sise>10\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream was = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = new CommandLine(new RelayCommand()).execute("--memory", "--port", "0", "--rules", rules.toString());
    } finally {
      System.setErr(was);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("jgun relay: --rules " + rules + ":3: unknown condition 'sise>10'");
  }

  @Test
  void limitOptionsHaveSafeDefaultsAndAreChecked() {
    RelayCommand c = new RelayCommand();
    new CommandLine(c).parseArgs("--limit-messages", "500", "--limit-connections-per-ip", "8");
    assertThat(c.limitMessages).isEqualTo(500);
    assertThat(c.limitConnectionsPerIp).isEqualTo(8);
    assertThat(c.limitIpMessages).isEqualTo(ClientLimits.DEFAULTS.ipMessagesPerSecond());
    assertThat(c.limitBytes).isEqualTo(ClientLimits.DEFAULTS.bytesPerSecond());
    assertThat(c.limitIpBytes).isEqualTo(ClientLimits.DEFAULTS.ipBytesPerSecond());
    RelayCommand d = new RelayCommand();
    new CommandLine(d).parseArgs();
    assertThat(d.limitMessages).as("the CLI's default is the mesh's").isEqualTo(ClientLimits.DEFAULTS.messagesPerSecond());
    assertThat(c.limitGets).isEqualTo(256);
  }
}
