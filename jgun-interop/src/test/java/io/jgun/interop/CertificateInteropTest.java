package io.jgun.interop;

import static io.jgun.interop.JavaClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jgun.client.Ack;
import io.jgun.client.Gun;
import io.jgun.client.PutOptions;
import io.jgun.client.UserInfo;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Write certificates (docs/protocol.md §10.5, §10.6) across implementations, through each relay
 * kind (whose SEA firewall checks every certificate write): a Gun.js user certifies a Java user
 * ({@code SEA.certify} in node), the Java user writes into the Gun.js user's graph with {@link
 * PutOptions#cert} and a Gun.js client reads it; a Java user certifies a Gun.js user ({@link
 * Sea#certify}), the Gun.js user writes with {@code put(data, cb, {opt: {cert}})} and Java reads it,
 * while the relay refuses the same write without the certificate and outside its path.
 */
class CertificateInteropTest extends UsersInteropBase {

  private static String alias(String who) {
    return JavaClients.alias("cert-interop", who);
  }

  @Test
  void aGunJsUserCertifiesAJavaUserWhoWritesIntoItsGraph() throws Exception {
    Gun java = java();
    UserInfo me = join(java.user().create(alias("java-writer"), PASS));

    JsonNode owner = SeaUsersScript.run(relay, "certify", alias("js-owner"), PASS, me.pub(), "inbox");
    String ownerPub = owner.get("pub").asText();
    String cert = owner.get("cert").asText();
    // the certificate node's SEA made verifies here, and names the Java user
    Json body = Sea.verify(cert, ownerPub).orElseThrow();
    assertThat(((Json.Obj) body).get("c")).isEqualTo(Json.of(me.pub()));

    Ack ack = join(java.user(ownerPub).get("inbox").get(me.pub()).put("hello from Java, certified", PutOptions.cert(cert)));
    assertThat(ack.peer()).as("acknowledged by the relay, whose firewall checked the certificate").isEqualTo(relay.url());

    JsonNode read = SeaUsersScript.run(relay, "read-path", ownerPub, "inbox", me.pub());
    assertThat(read.get("value").asText()).isEqualTo("hello from Java, certified");
    // and a fresh Java client reads the plain value too
    assertThat(join(java().user(ownerPub).get("inbox").get(me.pub()).once())).contains("hello from Java, certified");
  }

  @Test
  void aJavaUserCertifiesAGunJsUserWhoWritesIntoItsGraph() throws Exception {
    String jsAlias = alias("js-writer");
    String jsPub = SeaUsersScript.run(relay, "write", jsAlias, PASS).get("pub").asText();

    Gun java = java();
    UserInfo me = join(java.user().create(alias("java-owner"), PASS));
    KeyPair mine = java.user().pair().orElseThrow();
    String cert = Sea.certify(List.of(jsPub), new Json.Obj(Map.of("*", Json.of("inbox"))), mine, null, null);

    JsonNode wrote = SeaUsersScript.run(relay, "cert-write", jsAlias, PASS, me.pub(), cert, "inbox", jsPub, "hello from Gun.js, certified");
    JsonNode acks = wrote.get("acks");
    assertThat(acks.get("cert").has("err")).as("the relay accepts the certified write: %s", acks).isFalse();
    assertThat(acks.get("cert").has("timeout")).as("acks: %s", acks).isFalse();
    assertThat(acks.get("noCert").get("err").asText()).as("acks: %s", acks).isEqualTo("Unverified data.");
    assertThat(acks.get("outside").get("err").asText()).as("acks: %s", acks).isEqualTo("Certificate verification fail.");

    Gun reader = java();
    assertThat(join(reader.user(me.pub()).get("inbox").get(jsPub).once())).contains("hello from Gun.js, certified");
    assertThat(join(reader.user(me.pub()).get("inbox").get(jsPub + "-nocert").once())).isEmpty();
    assertThat(join(java.user().get("inbox").get(jsPub).once())).contains("hello from Gun.js, certified");
  }
}
