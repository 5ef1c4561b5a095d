package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.mesh.MeshStats;
import io.jgun.store.Durability;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page and its JSON against known traffic, and {@code --static} beside {@code /gun}
 * on a running relay.
 */
class StatusPageTest {
  /** A user's soul (Alice's key from jgun-sea's golden vectors): an unsigned write to it is refused. */
  private static final String ALICE = "~Qu42ipKrxwBOCIsK2B9f55jxCUoAQEIGteUYd9sir2I.vy4Zc4oV4OW3zR9Yz_1BCrMfXJ0VBh6cQoom__BB0go";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static RelayConfig config(Path data) {
    return new RelayConfig("127.0.0.1", 0, data, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String put(String id, String soul, String key, String json, long state) {
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"" + key + "\":" + state + "}},\"" + key + "\":" + json + "}}}";
  }

  /** The number member {@code name} of object member {@code object} of the status JSON. */
  static double number(String json, String object, String name) {
    int from = json.indexOf("\"" + object + "\":{");
    assertThat(from).as("object " + object + " in " + json).isNotNegative();
    int to = json.indexOf('}', from);
    Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.eE+]+|null)").matcher(json.substring(from, to));
    assertThat(m.find()).as(object + "." + name + " in " + json).isTrue();
    return m.group(1).equals("null") ? Double.NaN : Double.parseDouble(m.group(1));
  }

  static long top(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void theJsonCountsKnownTrafficAsTheRelaysCountersDo(@TempDir Path data) throws Exception {
    long now = System.currentTimeMillis() - 1000;
    try (Relay relay = Relay.start(config(data));
        RawClient a = new RawClient(relay.port());
        RawClient b = new RawClient(relay.port())) {
      a.awaitFrame("\"dam\":\"?\"");
      b.awaitFrame("\"dam\":\"?\"");
      b.send("{\"#\":\"sub0000001\",\"get\":{\"#\":\"status/x\"}}"); // not found; B now subscribes
      b.awaitFrame("\"@\":\"sub0000001\"");
      for (int i = 1; i <= 5; i++) {
        a.send(put("put000000" + i, "status/x", "n", String.valueOf(i), now + i));
        a.awaitFrame("\"@\":\"put000000" + i + "\"");
      }
      a.send(put("noop000001", "status/x", "n", "5", now + 5)); // the same field again
      a.send(put("secret0001", ALICE, "name", "\"the secret value\"", now)); // unsigned: SEA refuses
      a.awaitFrame("\"@\":\"secret0001\"");
      a.send("{\"#\":\"bad0000001\",\"put\":{\"status/y\":{\"n\":1}}}"); // no state: invalid
      a.send("{\"#\":\"get0000001\",\"get\":{\"#\":\"status/x\"}}");
      a.awaitFrame("\"@\":\"get0000001\"");
      MeshStats s = relay.mesh().stats();
      await().atMost(Duration.ofSeconds(10)).until(() -> s.putsNoop.sum() == 1 && s.putsInvalid.sum() == 1);

      String json = get(relay.port(), "/status.json").body();
      assertThat(number(json, "totals", "putsAccepted")).isEqualTo(5);
      assertThat(number(json, "totals", "putsNoop")).isEqualTo(1);
      assertThat(number(json, "totals", "putsForbidden")).isEqualTo(1);
      assertThat(number(json, "totals", "putsInvalid")).isEqualTo(1);
      assertThat(number(json, "totals", "putsRefused")).isEqualTo(2);
      assertThat(number(json, "totals", "getsFound")).isEqualTo(1);
      assertThat(number(json, "totals", "getsNotFound")).isEqualTo(1);
      assertThat(number(json, "totals", "gets")).isEqualTo(2);
      assertThat(number(json, "totals", "pushes")).isEqualTo(5); // each accepted put to B
      assertThat(top(json, "connections")).isEqualTo(2);
      assertThat(number(json, "totals", "connectionsOpened")).isEqualTo(2);
      // the same figures as the relay's own counters (nothing else moved them meanwhile)
      assertThat(number(json, "totals", "messagesIn")).isEqualTo(s.messagesIn.sum());
      assertThat(number(json, "totals", "framesIn")).isEqualTo(s.framesIn.sum());
      assertThat(number(json, "totals", "framesOut")).isEqualTo(s.framesOut.sum());
      assertThat(number(json, "ackMicros", "count")).isEqualTo(5);
      assertThat(number(json, "ackMicros", "p50")).isPositive();
      assertThat(number(json, "ackMicros", "p99")).isGreaterThanOrEqualTo(number(json, "ackMicros", "p50"));
      assertThat(json).contains("\"kind\":\"rocksdb\"").contains("\"version\":\"jgun ").contains("\"pid\":\"" + relay.mesh().pid() + "\"");
      assertThat(number(json, "cache", "hits") + number(json, "cache", "misses")).isPositive();
      // counts only: no soul, key or value
      assertThat(json).doesNotContain("status/x").doesNotContain("secret").doesNotContain(ALICE.substring(1, 20)).doesNotContain("\"n\"");

      // the sampler's later ticks see the rates, the store's size and the refusals
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                String later = get(relay.port(), "/status.json").body();
                assertThat(number(later, "perSecond", "messagesIn")).isPositive();
                assertThat(number(later, "storage", "bytes")).isPositive();
                assertThat(later).contains("1 puts refused by the SEA firewall").contains("1 puts rejected as invalid graphs");
              });
    }
  }

  @Test
  void thePageIsSelfContained(@TempDir Path data) throws Exception {
    try (Relay relay = Relay.start(config(data))) {
      HttpResponse<String> page = get(relay.port(), "/status");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("status.json").doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("<link");
      assertThat(get(relay.port(), "/status.json").headers().firstValue("content-type")).hasValue("application/json");
    }
  }

  @Test
  void aPeerThatCannotBeReachedIsShownDownWithWhy(@TempDir Path data) throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String url = "ws://127.0.0.1:" + closed + "/gun";
    RelayConfig c = new RelayConfig("127.0.0.1", 0, data, Durability.SYNC, List.of(url), null, null, 1 << 20, 100, null);
    try (Relay relay = Relay.start(c)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                String json = get(relay.port(), "/status.json").body();
                assertThat(json).contains("\"url\":\"" + url + "\"").contains("\"state\":\"down\"");
                assertThat(json).containsPattern("\"errors\":\\[\\{\"at\":\"[^\"]+\",\"what\":\"peer " + Pattern.quote(url));
              });
    }
  }

  @Test
  void aStaticFolderIsServedBesideGun(@TempDir Path tmp) throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<h1>chat</h1>");
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    try (Relay relay = Relay.start(config(tmp.resolve("data")).withStatic(site))) {
      HttpResponse<String> index = get(relay.port(), "/");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).isEqualTo("<h1>chat</h1>");
      assertThat(index.headers().firstValue("etag")).isPresent();
      assertThat(get(relay.port(), "/status").body()).contains("jgun relay status");
      assertThat(get(relay.port(), "/metrics").body()).contains("jgun_puts_accepted_total");
      // raw request targets: an HTTP client would normalise these
      for (String target : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt")) {
        assertThat(rawGet(relay.port(), target)).as(target).startsWith("HTTP/1.1 404").doesNotContain("outside");
      }
      try (RawClient c = new RawClient(relay.port())) { // /gun is still the WebSocket endpoint
        assertThat(c.awaitFrame("\"dam\":\"?\"")).contains(relay.mesh().pid());
      }
    }
  }

  private static String rawGet(int port, String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
