package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.jgun.store.Durability;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A relay started in-process, used over real WebSockets. */
class RelayTest {

  static RelayConfig config(List<String> peers) {
    return new RelayConfig("127.0.0.1", 0, null, Durability.SYNC, peers, null, null, 1 << 20, 100, null);
  }

  @Test
  void handshakePutAckGetAndMetrics() throws Exception {
    try (Relay relay = Relay.start(config(List.of()));
        RawClient c = new RawClient(relay.port())) {
      assertThat(c.awaitFrame("\"dam\":\"?\"")).contains("\"pid\":\"" + relay.mesh().pid() + "\"");
      c.send("{\"#\":\"put000001\",\"put\":{\"r/a\":{\"_\":{\"#\":\"r/a\",\">\":{\"x\":1}},\"x\":\"y\"}}}");
      assertThat(c.awaitFrame("\"@\":\"put000001\"")).contains("\"ok\":true");
      c.send("{\"#\":\"get000001\",\"get\":{\"#\":\"r/a\"}}");
      assertThat(c.awaitFrame("\"@\":\"get000001\"")).contains("\"x\":\"y\"").contains("\"##\":");
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("jgun_puts_accepted_total 1.0").contains("jgun_gets_found_total 1.0");
    }
  }

  @Test
  void connectionsOnIoThreadsOtherThanTheMeshLoopAreServedToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // 3 I/O threads: the connections are spread over them, and only one of them runs the mesh
    RelayConfig three = new RelayConfig("127.0.0.1", 0, dir, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null,
        RelayConfig.SeaMode.VERIFY, 64L << 20, 3);
    try (Relay relay = Relay.start(three)) {
      List<RawClient> clients = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          clients.add(new RawClient(relay.port()));
        }
        for (int i = 0; i < clients.size(); i++) {
          clients.get(i).send("{\"#\":\"put00000" + i + "\",\"put\":{\"t/" + i + "\":{\"_\":{\"#\":\"t/" + i + "\",\">\":{\"x\":1}},\"x\":" + i + "}}}");
        }
        for (int i = 0; i < clients.size(); i++) {
          assertThat(clients.get(i).awaitFrame("\"@\":\"put00000" + i + "\"")).contains("\"ok\":true");
        }
        // each reads another's write
        for (int i = 0; i < clients.size(); i++) {
          int other = (i + 1) % clients.size();
          clients.get(i).send("{\"#\":\"get00000" + i + "\",\"get\":{\"#\":\"t/" + other + "\"}}");
          assertThat(clients.get(i).awaitFrame("\"@\":\"get00000" + i + "\"")).contains("\"x\":" + other);
        }
      } finally {
        for (RawClient c : clients) {
          c.close();
        }
      }
    }
  }

  @Test
  void ioThreadsAreChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RelayConfig("127.0.0.1", 0, null, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null,
                RelayConfig.SeaMode.VERIFY, 64L << 20, -1))
        .hasMessageContaining("--io-threads");
    assertThat(config(List.of()).ioThreadCount()).isPositive();
  }

  @Test
  void dataSurvivesARestartWithStorage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    RelayConfig durable = new RelayConfig("127.0.0.1", 0, dir, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null);
    try (Relay relay = Relay.start(durable);
        RawClient c = new RawClient(relay.port())) {
      c.send("{\"#\":\"put000009\",\"put\":{\"d/a\":{\"_\":{\"#\":\"d/a\",\">\":{\"x\":1795520872832.001}},\"x\":\"kept\"}}}");
      assertThat(c.awaitFrame("\"@\":\"put000009\"")).contains("\"ok\":true");
    }
    try (Relay relay = Relay.start(durable);
        RawClient c = new RawClient(relay.port())) {
      c.send("{\"#\":\"get000009\",\"get\":{\"#\":\"d/a\"}}");
      assertThat(c.awaitFrame("\"@\":\"get000009\"")).contains("\"x\":\"kept\"").contains("1795520872832.001");
    }
  }

  @Test
  void tooBigFrameIsAnsweredAndOthersAreStillServed() throws Exception {
    try (Relay relay = Relay.start(config(List.of()));
        RawClient big = new RawClient(relay.port());
        RawClient other = new RawClient(relay.port())) {
      big.awaitFrame("\"dam\":\"?\"");
      big.send("{\"#\":\"x\",\"put\":\"" + "a".repeat(2 << 20) + "\"}");
      assertThat(big.awaitFrame("Message too big!")).contains("\"dam\":\"!\"");
      await().atMost(Duration.ofSeconds(10)).until(() -> big.closed);
      other.send("{\"#\":\"get000002\",\"get\":{\"#\":\"none\"}}");
      other.awaitFrame("\"@\":\"get000002\"");
    }
  }

  @Test
  void relaysMeshThroughPeers() throws Exception {
    try (Relay b = Relay.start(config(List.of()));
        Relay a = Relay.start(config(List.of("ws://127.0.0.1:" + b.port() + "/gun")));
        RawClient onA = new RawClient(a.port());
        RawClient onB = new RawClient(b.port())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> b.mesh().connections() == 2);
      // a client of A subscribes; A forwards the GET to B, which subscribes A
      onA.send("{\"#\":\"sub000001\",\"get\":{\"#\":\"m/x\"}}");
      onA.awaitFrame("\"@\":\"sub000001\"");
      await().atMost(Duration.ofSeconds(10)).until(() -> b.mesh().stats().getsNotFound.sum() >= 1);
      // a client of B writes: B pushes to A (subscribed), A pushes to its client
      onB.send("{\"#\":\"put000003\",\"put\":{\"m/x\":{\"_\":{\"#\":\"m/x\",\">\":{\"v\":5}},\"v\":\"from B\"}}}");
      onB.awaitFrame("\"@\":\"put000003\"");
      assertThat(onA.awaitFrame("from B")).contains("\"put\":{\"m/x\"");
      // and a write on A replicates to B, its configured peer
      onA.send("{\"#\":\"put000004\",\"put\":{\"m/y\":{\"_\":{\"#\":\"m/y\",\">\":{\"v\":5}},\"v\":\"from A\"}}}");
      onA.awaitFrame("\"@\":\"put000004\"");
      onB.send("{\"#\":\"get000004\",\"get\":{\"#\":\"m/y\"}}");
      assertThat(onB.awaitFrame("\"@\":\"get000004\"")).contains("from A");
      assertThat(onA.with("\"@\":\"put000004\"")).hasSize(1); // B's ack is not passed on twice
    }
  }
}
