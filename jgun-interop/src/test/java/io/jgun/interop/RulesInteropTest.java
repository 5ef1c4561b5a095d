package io.jgun.interop;

import static io.jgun.interop.JavaClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jgun.client.Gun;
import io.jgun.client.UserInfo;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import io.jgun.sea.SeaWrites;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/rules.md against real Gun.js peers: a jgun relay started with {@code
 * --rules FILE} answers each refused write with the rule's reason as the ack's {@code err}, exactly
 * as it answers a SEA refusal, and keeps the write from everyone; a refused read gets an {@code
 * err}. The rules are jgun's: there is no Gun.js relay to compare with.
 */
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RulesInteropTest {
  private static final String PASS = "correct horse battery staple";

  @TempDir Path dir;
  private final JavaClients javas = new JavaClients();
  private final java.util.List<AutoCloseable> open = new java.util.ArrayList<>();

  @BeforeAll
  static void buildJgunFirst() {
    JgunRelay.warmUp();
  }

  @AfterEach
  void closeAll() throws Exception {
    javas.closeAll();
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private Relay relay(String rules, Relay... peers) throws Exception {
    RelayKind.JGUN.assumeAvailable();
    Path file = Files.createTempFile(dir, "rules", ".txt");
    Files.writeString(file, rules);
    Relay r = JgunRelay.start(RelayOptions.onFreePort().withPeers(peers), List.of("--rules", file.toString()));
    open.add(0, r);
    return r;
  }

  private GunJsClient gunJs(String name, Relay relay) {
    GunJsClient c = GunJsClient.connect(name, relay);
    open.add(0, c);
    return c;
  }

  @Test
  void publicReadOnlyAppendOnlyLogNodeCapAndUnreadableNamespace() throws Exception {
    Relay relay =
        relay(
            """
            # docs/rules.md, examples 1, 3 and 4, and a read rule
            deny write public/*            "public is read-only"
            deny write log/* exists        "the log is append-only"
            deny write capped/* fields>3   "a node holds at most 3 fields"
            deny read secret/*             "not readable"
            """);
    GunJsClient writer = gunJs("writer", relay);
    assertThat(writer.put(List.of("public/news", "title"), "defaced").err()).isEqualTo("public is read-only");

    assertThat(writer.put(List.of("log/2026", "a"), "first").err()).isNull();
    assertThat(writer.put(List.of("log/2026", "a"), "rewritten").err()).isEqualTo("the log is append-only");
    assertThat(writer.put(List.of("log/2026", "b"), "second").err()).isNull();

    for (String k : List.of("a", "b", "c")) {
      assertThat(writer.put(List.of("capped/n", k), k).err()).as(k).isNull();
    }
    assertThat(writer.put(List.of("capped/n", "c"), "again").err()).as("an overwrite keeps the count").isNull();
    assertThat(writer.put(List.of("capped/n", "d"), "d").err()).isEqualTo("a node holds at most 3 fields");

    // what was refused is stored nowhere: a fresh Gun.js peer sees the log as first written
    GunJsClient reader = gunJs("reader", relay);
    assertThat(reader.once(List.of("log/2026", "a")).data().asText()).isEqualTo("first");
    assertThat(reader.once(List.of("public/news", "title")).found()).isFalse();
    assertThat(reader.once(List.of("capped/n", "d")).found()).isFalse();

    try (RawSocket raw = RawSocket.connect(relay)) {
      String id = raw.get("secret/plans", null);
      JsonNode answer = raw.awaitReply(id, Duration.ofSeconds(10));
      assertThat(answer.path("err").asText()).isEqualTo("not readable");
      assertThat(answer.has("put")).isFalse();
    }
    assertThat(metric(relay, "jgun_puts_forbidden_total")).as("refused writes are counted (a Gun.js peer may send one again)").isGreaterThanOrEqualTo(3);
    assertThat(metric(relay, "jgun_gets_forbidden_total")).as("refused reads are counted").isEqualTo(1);
  }

  @Test
  void aNamespaceWritableOnlyByItsOwnersKeyRefusesEvenACertifiedWriter() throws Exception {
    Relay relay = relay("deny write ~*/inbox signer!=owner \"only the owner writes an inbox\"\n");
    String jsAlias = JavaClients.alias("rules", "js-writer");
    String jsPub = SeaUsersScript.run(relay, "write", jsAlias, PASS).get("pub").asText();

    Gun java = javas.connect(relay, RelayKind.JGUN);
    UserInfo me = join(java.user().create(JavaClients.alias("rules", "owner"), PASS));
    KeyPair mine = java.user().pair().orElseThrow();
    String cert = Sea.certify(List.of(jsPub), new Json.Obj(Map.of("*", Json.of("inbox"))), mine, null, null);

    JsonNode acks = SeaUsersScript.run(relay, "cert-write", jsAlias, PASS, me.pub(), cert, "inbox", jsPub, "certified, but not the owner").get("acks");
    assertThat(acks.get("cert").path("err").asText()).as("acks: %s", acks).isEqualTo("only the owner writes an inbox");
    assertThat(acks.get("noCert").path("err").asText()).as("SEA's own refusal, first: %s", acks).isEqualTo("Unverified data.");
    // the owner still writes its own inbox
    join(java.user().get("inbox").get("note").put("mine"));
    JsonNode read = SeaUsersScript.run(relay, "read-path", me.pub(), "inbox", "note");
    assertThat(read.get("value").asText()).isEqualTo("mine");
    assertThat(SeaUsersScript.run(relay, "read-path", me.pub(), "inbox", jsPub).get("value").has("undefined")).isTrue();
  }

  @Test
  void aDenylistOfPubsKeptInTheGraph() throws Exception {
    KeyPair admin = Sea.pair();
    String banned = "~" + admin.pub() + "/banned";
    Relay relay = relay("deny write * signer-in=" + banned + " \"you are banned\"\n");
    String eve = JavaClients.alias("rules", "eve");
    String alice = JavaClients.alias("rules", "alice");
    String evePub = SeaUsersScript.run(relay, "write", eve, PASS).get("pub").asText();
    SeaUsersScript.run(relay, "write", alice, PASS);

    // the operator's admin key bans eve: a signed "true" under her pub in its own user graph
    double state = System.currentTimeMillis();
    Graph ban = Graph.of(Node.builder(banned).put(evePub, Value.text(SeaWrites.signedValue(banned, evePub, Json.TRUE, state, admin)), state).build());
    try (RawSocket raw = RawSocket.connect(relay)) {
      String id = RawSocket.freshId("ban");
      raw.send(MessageWriter.write(Message.builder().id(id).put(ban).build()));
      assertThat(raw.awaitReply(id, Duration.ofSeconds(10)).path("ok").asBoolean()).isTrue();
    }

    JsonNode eveAcks = SeaUsersScript.run(relay, "login", eve, PASS).get("acks");
    assertThat(eveAcks.get("fromJs").path("err").asText()).as("acks: %s", eveAcks).isEqualTo("you are banned");
    JsonNode aliceAcks = SeaUsersScript.run(relay, "login", alice, PASS).get("acks");
    assertThat(aliceAcks.get("fromJs").has("err")).as("acks: %s", aliceAcks).isFalse();
    assertThat(aliceAcks.get("fromJs").has("timeout")).as("acks: %s", aliceAcks).isFalse();
  }

  /** A counter of the relay's Prometheus metrics. */
  private static double metric(Relay relay, String name) throws Exception {
    URI uri = URI.create(relay.url().replaceFirst("^ws", "http").replaceFirst("/gun$", "/metrics"));
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no metric " + name + " in\n" + text);
  }

  @Test
  void meshedRelaysAndTheirAnswersPassTheRulesToo() throws Exception {
    RelayKind.JGUN.assumeAvailable();
    Relay open = JgunRelay.start(RelayOptions.onFreePort(), List.of());
    this.open.add(0, open);
    Relay ruled = relay("deny write public/* \"public is read-only\"\n", open);
    GunJsClient onOpen = gunJs("on-open", open);
    assertThat(onOpen.put(List.of("public/news", "title"), "written where there are no rules").err()).isNull();

    // the ruled relay asks the open one for the node: the answer's data is refused, not learnt or passed on
    GunJsClient onRuled = gunJs("on-ruled", ruled);
    assertThat(onRuled.once(List.of("public/news", "title")).found()).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> metric(ruled, "jgun_puts_forbidden_total") >= 1);
    assertThat(gunJs("again-on-ruled", ruled).once(List.of("public/news", "title")).found()).isFalse();
    // and a write to the ruled relay reaches neither it nor the relay it dialed
    assertThat(onRuled.put(List.of("public/notice", "x"), "refused").err()).isEqualTo("public is read-only");
    assertThat(gunJs("fresh-on-open", open).once(List.of("public/notice", "x")).found()).isFalse();
  }
}
