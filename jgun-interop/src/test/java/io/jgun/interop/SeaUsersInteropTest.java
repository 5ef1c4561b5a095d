package io.jgun.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gun.js users through a relay's SEA firewall ({@code node/sea-users.js}, the browser build with
 * sea.js): one Gun.js client creates a user and writes signed data, which the relay must accept; a
 * plain Gun.js client's forgeries into that user's graph get Gun.js's {@code err} acks; a third
 * Gun.js client reads the user's data back, unforged. The same against the stock Gun.js relay and the
 * jgun relay.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RelayKind.class)
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SeaUsersInteropTest {

  @Parameter
  RelayKind kind;

  @Test
  void gunJsUsersWriteThroughTheFirewallAndForgeriesAreRefused() throws Exception {
    kind.assumeAvailable();
    try (Relay relay = kind.start(RelayOptions.onFreePort())) {
      String alias = "sea-interop-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
      JsonNode written = SeaUsersScript.run(relay, "write", alias, "correct horse battery staple");
      String pub = written.get("pub").asText();
      assertThat(pub).hasSize(87);
      for (String key : List.of("says", "name", "age")) {
        assertThat(written.get("acks").get(key).has("err")).as("the relay accepts the Gun.js user's signed %s: %s", key, written.get("acks")).isFalse();
        assertThat(written.get("acks").get(key).get("ok").asBoolean()).as("ack of %s: %s", key, written.get("acks")).isTrue();
      }

      JsonNode forged = SeaUsersScript.run(relay, "forge", pub);
      assertThat(forged.get("acks").get("says").get("err").asText()).isEqualTo("Unverified data.");
      assertThat(forged.get("acks").get("pub").get("err").asText()).isEqualTo("Account not same!");
      assertThat(forged.get("acks").get("fakeSig").get("err").asText()).isEqualTo("Unverified data.");

      JsonNode read = SeaUsersScript.run(relay, "read", pub);
      assertThat(read.get("values").get("says").get("value").asText()).isEqualTo("hello from a Gun.js user");
      assertThat(read.get("values").get("name").get("value").asText()).isEqualTo("Alice");
      assertThat(read.get("values").get("age").get("value").asInt()).isEqualTo(30);
      assertThat(read.get("values").get("alias").get("value").asText()).isEqualTo(alias);
    }
  }
}
