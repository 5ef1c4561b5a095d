package io.jgun.interop;

import static io.jgun.interop.JavaClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jgun.client.Gun;
import io.jgun.client.UserInfo;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java user system ({@code io.jgun.client.User}) and Gun.js's ({@code node/sea-users.js}, the
 * browser build with sea.js) sharing accounts through each relay kind, with the relay's SEA
 * firewall checking every write: a Gun.js account logs in from Java and writes signed data; a Java
 * account logs in from Gun.js; and two users, one on each side, exchange data encrypted with {@code
 * SEA.secret} in both directions.
 */
class JavaUsersInteropTest extends UsersInteropBase {

  private static String alias(String who) {
    return JavaClients.alias("users-interop", who);
  }

  @Test
  void aGunJsAccountLogsInFromJavaReadsAndWritesItsData() throws Exception {
    String alias = alias("js");
    JsonNode made = scenario("write", alias, PASS);
    String pub = made.get("pub").asText();

    Gun java = java();
    UserInfo me = join(java.user().auth(alias, PASS));
    assertThat(me.pub()).isEqualTo(pub);
    assertThat(me.epub()).isEqualTo(made.get("epub").asText());
    assertThat(join(java.user().get("says").once())).contains("hello from a Gun.js user");
    assertThat(join(java.user().get("profile").get("name").once())).contains("Alice");
    assertThat(join(java.user().get("profile").get("age").once())).contains(30L);
    // the relay's firewall accepts the Java signature for the Gun.js-made account
    assertThat(join(java.user().get("fromJava").put("written by Java")).peer()).isEqualTo(relay.url());

    JsonNode read = scenario("read", pub);
    assertThat(read.get("values").get("fromJava").get("value").asText()).isEqualTo("written by Java");
    assertThat(read.get("values").get("says").get("value").asText()).isEqualTo("hello from a Gun.js user");
  }

  @Test
  void aJavaAccountLogsInFromGunJs() throws Exception {
    String alias = alias("java");
    Gun java = java();
    UserInfo made = join(java.user().create(alias, PASS));
    join(java.user().get("says").put("hello from a Java user"));
    join(java.user().get("profile").put(Map.of("name", "Jay")));

    JsonNode js = scenario("login", alias, PASS);
    assertThat(js.get("pub").asText()).isEqualTo(made.pub());
    assertThat(js.get("epub").asText()).isEqualTo(made.epub());
    assertThat(js.get("values").get("says").get("value").asText()).isEqualTo("hello from a Java user");
    assertThat(js.get("values").get("name").get("value").asText()).isEqualTo("Jay");
    assertThat(js.get("values").get("alias").get("value").asText()).isEqualTo(alias);
    assertThat(js.get("acks").get("fromJs").has("err")).as("Gun.js writes into the Java-made account: %s", js.get("acks")).isFalse();
    assertThat(js.get("acks").get("fromJs").has("timeout")).as("acks: %s", js.get("acks")).isFalse();

    // and a fresh Java client reads what Gun.js wrote, as plain values
    Gun other = java();
    assertThat(join(other.user(made.pub()).get("fromJs").once())).contains("written by Gun.js");
  }

  @Test
  void usersOnBothSidesExchangeEncryptedData() throws Exception {
    String jsAlias = alias("js-secret");
    JsonNode jsUser = scenario("write", jsAlias, PASS);
    String jsPub = jsUser.get("pub").asText();
    String jsEpub = jsUser.get("epub").asText();

    Gun java = java();
    join(java.user().create(alias("java-secret"), PASS));
    KeyPair me = java.user().pair().orElseThrow();

    // Java -> Gun.js: encrypted for the Gun.js user's epub, stored (signed) in the Java user's graph
    String toJs = "for the Gun.js user's eyes only";
    String enc = Sea.encrypt(Json.of(toJs), Sea.secret(jsEpub, me));
    join(java.user().get("secret").put(enc));
    JsonNode opened = scenario("secret-read", jsAlias, PASS, me.pub());
    assertThat(opened.get("enc").asText()).isEqualTo(enc);
    assertThat(opened.get("epub").asText()).isEqualTo(me.epub());
    assertThat(opened.get("plain").isTextual()).as("Gun.js decrypts: %s", opened).isTrue();
    assertThat(opened.get("plain").asText()).isEqualTo(toJs);

    // Gun.js -> Java: encrypted for the Java user's epub, stored in the Gun.js user's graph
    String toJava = "for the Java user's eyes only";
    JsonNode sent = scenario("secret-write", jsAlias, PASS, me.epub(), toJava);
    assertThat(sent.get("acks").get("secret").has("err")).as("acks: %s", sent.get("acks")).isFalse();
    Object stored = join(java.user(jsPub).get("secret").once()).orElseThrow();
    assertThat(stored).isEqualTo(sent.get("enc").asText());
    assertThat(Sea.decrypt((String) stored, Sea.secret(jsEpub, me))).contains(Json.of(toJava));
    // a third key cannot open it
    assertThat(Sea.decrypt((String) stored, Sea.secret(jsEpub, Sea.pair()))).isEmpty();
  }

  /** Runs {@code node sea-users.js URL mode args...} against this class's relay and returns its one JSON line. */
  private JsonNode scenario(String mode, String... args) throws IOException, InterruptedException {
    return SeaUsersScript.run(relay, mode, args);
  }
}
