package io.jgun.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one scenario of {@code node/sea-users.js} against a relay and returns its one JSON line. */
final class SeaUsersScript {
  private SeaUsersScript() {}

  static JsonNode run(Relay relay, String mode, String... args) throws IOException, InterruptedException {
    NodeModules.ensureInstalled();
    List<String> command = new ArrayList<>(List.of("node", "sea-users.js", relay.url(), mode));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("jgun-sea-users", ".err");
    try {
      Process p = new ProcessBuilder(command).directory(InteropEnvironment.nodeDir().toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("sea-users.js " + mode + " did not finish\n" + Files.readString(err) + "\n" + relay.diagnostics());
      }
      assertThat(p.exitValue()).as("sea-users.js %s failed:\n%s\n%s", mode, Files.readString(err), relay.diagnostics()).isZero();
      return Json.parse(new String(out, StandardCharsets.UTF_8).trim());
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
