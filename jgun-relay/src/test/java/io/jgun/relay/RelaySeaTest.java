package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import io.jgun.sea.SeaWrites;
import io.jgun.store.Durability;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SEA firewall of a running relay, over raw WebSockets: forged, replayed, tampered and
 * unsigned writes get an {@code err} ack and never reach a subscriber; signed writes do.
 */
class RelaySeaTest {
  /** relayCheck case "signed string value in own ~pub node" from jgun-sea's golden sea-vectors.json (made by real sea.js). */
  private static final String GUN_SIGNED_PUT =
      "{\"~Qu42ipKrxwBOCIsK2B9f55jxCUoAQEIGteUYd9sir2I.vy4Zc4oV4OW3zR9Yz_1BCrMfXJ0VBh6cQoom__BB0go\":{\"_\":{\"#\":\"~Qu42ipKrxwBOCIsK2B9f55jxCUoAQEIGteUYd9sir2I.vy4Zc4oV4OW3zR9Yz_1BCrMfXJ0VBh6cQoom__BB0go\",\">\":{\"name\":1795523761588}},\"name\":\"{\\\":\\\":\\\"Alice\\\",\\\"~\\\":\\\"/znPRUWigBjCDMZDqKfYMJC1bqkA6FD2feeWCENs9F7jg2hy3B/ll4WnS3wpQP4HhBMkUmF9Dqy5CYMfw64/ZQ==\\\"}\"}}";

  private static final String GUN_ALICE = "~Qu42ipKrxwBOCIsK2B9f55jxCUoAQEIGteUYd9sir2I.vy4Zc4oV4OW3zR9Yz_1BCrMfXJ0VBh6cQoom__BB0go";

  private static RelayConfig config(RelayConfig.SeaMode sea) {
    return new RelayConfig("127.0.0.1", 0, null, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null, sea, 64L << 20, 0);
  }

  private static String put(String id, String soul, String key, String value, double state) {
    Graph g = Graph.of(Node.builder(soul).put(key, Value.text(value), state).build());
    return MessageWriter.write(Message.builder().id(id).put(g).build());
  }

  private static String get(String id, String soul) {
    return "{\"#\":\"" + id + "\",\"get\":{\"#\":" + io.jgun.json.JsonText.quote(soul) + "}}";
  }

  @Test
  void forgedWritesAreRefusedAndNeverPushed() throws Exception {
    KeyPair alice = Sea.pair();
    KeyPair bob = Sea.pair();
    String home = "~" + alice.pub();
    String profile = home + "/profile";
    double now = System.currentTimeMillis() - 1000;
    try (Relay relay = Relay.start(config(RelayConfig.SeaMode.VERIFY));
        RawClient writer = new RawClient(relay.port());
        RawClient watcher = new RawClient(relay.port())) {
      watcher.awaitFrame("\"dam\":\"?\"");
      for (String soul : List.of(home, profile, "#", GUN_ALICE)) {
        watcher.send(get("sub" + soul.hashCode(), soul));
        watcher.awaitFrame("\"@\":\"sub" + soul.hashCode() + "\"");
      }
      String good = SeaWrites.signedValue(home, "name", Json.of("Alice"), now, alice);
      String[][] forged = {
        {"unsigned", put("forge00001", home, "name", "Mallory", now), "Unverified data."},
        {"signed by another key", put("forge00002", home, "name", SeaWrites.signedValue(home, "name", Json.of("Mallory"), now, bob), now), "Unverified data."},
        {"replayed onto another soul", put("forge00003", profile, "name", good, now), "Unverified data."},
        {"replayed onto another key", put("forge00004", home, "nick", good, now), "Unverified data."},
        {"replayed with another state", put("forge00005", home, "name", good, now + 1), "Unverified data."},
        {"tampered value", put("forge00006", home, "name", good.replace("Alice", "Mallo"), now), "Unverified data."},
        {"pub not the owner", put("forge00007", home, "pub", bob.pub(), now), "Account not same!"},
        {"content hash wrong", put("forge00008", "#", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=", "Mallory!", now), "Data hash not same as hash!"},
        {
          "G15: bob names himself in * without a certificate",
          put("forge00009", home, "name", "{\":\":\"Mallory\",\"*\":" + io.jgun.json.JsonText.quote(bob.pub()) + ",\"~\":\""
              + signatureOf(SeaWrites.signedValue(home, "name", Json.of("Mallory"), now, bob)) + "\"}", now),
          "Unverified data."
        },
      };
      for (String[] f : forged) {
        writer.send(f[1]);
        String id = f[1].substring(6, 16);
        String ack = writer.awaitFrame("\"@\":\"" + id + "\"");
        assertThat(ack).as(f[0]).contains("\"err\":\"" + f[2] + "\"").doesNotContain("\"ok\"");
      }
      // a correctly signed write (jgun's Sea) and one made by real sea.js are accepted and pushed
      writer.send(put("good000001", home, "name", good, now));
      assertThat(writer.awaitFrame("\"@\":\"good000001\"")).contains("\"ok\":true");
      writer.send("{\"#\":\"good000002\",\"put\":" + GUN_SIGNED_PUT + "}");
      assertThat(writer.awaitFrame("\"@\":\"good000002\"")).contains("\"ok\":true");
      writer.send(put("good000003", "#", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=", "hello world", now));
      assertThat(writer.awaitFrame("\"@\":\"good000003\"")).contains("\"ok\":true");
      assertThat(watcher.awaitFrame("/znPRUWigBjCDMZDqKfYMJC1bqkA6FD2feeWCENs9F7jg2hy3B")).contains(GUN_ALICE);
      assertThat(watcher.awaitFrame("hello world")).contains("uU0nuZNNPgilLlLX2n2r");
      assertThat(watcher.awaitFrame(signatureOf(good))).contains(home);
      // pushes go in order on the mesh loop: the refused ones, sent earlier, would be here by now
      assertThat(watcher.with("Mallo")).isEmpty();
      assertThat(watcher.with(bob.pub())).isEmpty();
      assertThat(watcher.with("\"nick\"")).isEmpty();
      // nor are they stored
      writer.send(get("read000001", home));
      String read = writer.awaitFrame("\"@\":\"read000001\"");
      assertThat(read).contains(signatureOf(good)).doesNotContain("Mallo").doesNotContain("\"nick\"").doesNotContain("\"pub\"");
      assertThat(relay.mesh().stats().putsForbidden.sum()).isEqualTo(forged.length);
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("jgun_puts_forbidden_total " + forged.length + ".0");
    }
  }

  @Test
  void strictGunJsAcceptsG15AndOffAcceptsAll() throws Exception {
    KeyPair alice = Sea.pair();
    KeyPair bob = Sea.pair();
    String home = "~" + alice.pub();
    double now = System.currentTimeMillis() - 1000;
    String hijack = "{\"*\":" + io.jgun.json.JsonText.quote(bob.pub()) + ",\":\":\"Mallory\",\"~\":\""
        + signatureOf(SeaWrites.signedValue(home, "name", Json.of("Mallory"), now, bob)) + "\"}";
    try (Relay relay = Relay.start(config(RelayConfig.SeaMode.STRICT_GUNJS));
        RawClient c = new RawClient(relay.port())) {
      c.send(put("g15hijack1", home, "name", hijack, now));
      assertThat(c.awaitFrame("\"@\":\"g15hijack1\"")).contains("\"ok\":true");
      c.send(put("unsigned01", home, "name", "Mallory", now));
      assertThat(c.awaitFrame("\"@\":\"unsigned01\"")).contains("\"err\":\"Unverified data.\"");
    }
    try (Relay relay = Relay.start(config(RelayConfig.SeaMode.OFF));
        RawClient c = new RawClient(relay.port())) {
      c.send(put("unsigned02", home, "name", "Mallory", now));
      assertThat(c.awaitFrame("\"@\":\"unsigned02\"")).contains("\"ok\":true");
    }
  }

  private static String signatureOf(String signedValue) {
    int at = signedValue.indexOf("\"~\":\"") + 5;
    return signedValue.substring(at, signedValue.indexOf('"', at));
  }
}
