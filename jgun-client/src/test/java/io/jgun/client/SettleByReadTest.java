package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes whose acknowledgement was lost: relays do not acknowledge a put that changes nothing, so
 * after a reconnect the client reads the written fields back and settles the writes the relay
 * already holds (or holds something newer for), and only those.
 */
class SettleByReadTest {
  @AutoClose private final Resources open = new Resources();

  private <T extends AutoCloseable> T keep(T c) {
    return open.keep(c);
  }

  /** A client whose put futures wait far longer than the tests (an ack timeout would hide nothing). */
  private static Gun.Builder client(String url) {
    return Gun.builder().peers(url).reconnectDelay(Duration.ofMillis(100)).readTimeout(Duration.ofSeconds(20)).ackTimeout(Duration.ofSeconds(60));
  }

  private Gun connected(Gun.Builder b) {
    Gun g = keep(b.build());
    await().until(() -> g.connectedPeers() == 1);
    return g;
  }

  private static long pendingInJournal(Path journal) throws Exception {
    try (Journal j = Journal.open(journal, 100, Journal.DEFAULT_COMPACT_BYTES)) {
      return j.pendingCount();
    }
  }

  @Test
  void aWriteWhoseAckWasLostSettlesByReadAfterAReconnect(@TempDir Path dir) throws Exception {
    LossyRelay relay = keep(LossyRelay.start());
    Path journal = dir.resolve("outbox.jsonl");
    Gun a = connected(client(relay.url()).outbox(journal));
    relay.dropAcks(true);
    CompletableFuture<Ack> put = a.get("doc/lost").put(Map.of("v", 1, "text", "stored, never acknowledged"));
    await().until(() -> relay.acksDropped() == 1);
    assertThat(relay.stats().putsAccepted.sum()).isEqualTo(1);
    assertThat(put).isNotDone();
    assertThat(a.pendingWrites()).isEqualTo(1);

    relay.dropAcks(false); // the relay acknowledges again, but never a put that changes nothing
    relay.disconnectAll();
    Ack ack = join(put);
    assertThat(ack.confirmedByRead()).isTrue();
    assertThat(ack.peer()).isEqualTo(relay.url());
    assertThat(ack.ok()).isEqualTo(Json.TRUE);
    assertThat(ack.soul()).isEqualTo("doc/lost");
    assertThat(a.pendingWrites()).isZero();
    // the re-send reached the relay and changed nothing: that is why it was never acknowledged
    await().until(() -> relay.stats().putsNoop.sum() == 1);
    assertThat(relay.stats().putsAccepted.sum()).isEqualTo(1);
    a.close();
    assertThat(pendingInJournal(journal)).isZero();
  }

  @Test
  void aReplayedWriteWhoseAckWasLostSettlesByReadAfterARestart(@TempDir Path dir) throws Exception {
    LossyRelay relay = keep(LossyRelay.start());
    Path journal = dir.resolve("outbox.jsonl");
    try (Gun first = client(relay.url()).outbox(journal).build()) {
      await().until(() -> first.connectedPeers() == 1);
      relay.dropAcks(true);
      first.get("doc/crash").put(Map.of("v", 1));
      await().until(() -> relay.acksDropped() == 1);
      assertThat(first.pendingWrites()).isEqualTo(1);
    } // the end record was never written: the journal still holds the write
    assertThat(pendingInJournal(journal)).isEqualTo(1);
    relay.dropAcks(false);

    Gun restarted = connected(client(relay.url()).outbox(journal));
    await().until(() -> restarted.pendingWrites() == 0);
    await().until(() -> relay.stats().putsNoop.sum() == 1); // the replayed re-send, not acknowledged
    assertThat(relay.stats().putsAccepted.sum()).isEqualTo(1);
    restarted.close();
    assertThat(pendingInJournal(journal)).isZero();
  }

  @Test
  void aWriteSupersededOnTheRelaySettles(@TempDir Path dir) throws Exception {
    LossyRelay relay = keep(LossyRelay.start());
    Path journal = dir.resolve("outbox.jsonl");
    Gun a = connected(client(relay.url()).outbox(journal));
    Gun b = connected(client(relay.url()));
    relay.dropAcks(true);
    CompletableFuture<Ack> put = a.get("doc/shared").put(Map.of("v", "from a"));
    await().until(() -> relay.acksDropped() == 1);
    relay.dropAcks(false);
    Ack newer = join(b.get("doc/shared").put(Map.of("v", "from b, later")));
    assertThat(newer.confirmedByRead()).isFalse();

    relay.disconnectAll();
    Ack ack = join(put);
    assertThat(ack.confirmedByRead()).isTrue();
    assertThat(ack.peer()).isEqualTo(relay.url());
    assertThat(a.pendingWrites()).isZero();
    // the read-back brought the newer value home; a's re-send was dropped by HAM on the relay
    assertThat(join(a.get("doc/shared").get("v").once())).contains("from b, later");
    await().until(() -> relay.stats().putsNoop.sum() == 1);
    a.close();
    assertThat(pendingInJournal(journal)).isZero();
  }

  @Test
  void aWriteTheRelayLacksStaysPendingAndIsAcknowledgedAfterTheResend(@TempDir Path dir) throws Exception {
    LossyRelay relay = keep(LossyRelay.start());
    Path journal = dir.resolve("outbox.jsonl");
    Gun a = connected(client(relay.url()).outbox(journal));
    Gun b = connected(client(relay.url()));
    join(b.get("doc/partial").put(Map.of("x", "older")));
    relay.dropPuts(true);
    // x: the relay holds an older state; y: it has nothing
    CompletableFuture<Ack> put = a.get("doc/partial").put(Map.of("x", "newer", "y", "new"));
    await().until(() -> relay.putsDropped() == 1);
    relay.dropPuts(false);
    assertThat(a.pendingWrites()).isEqualTo(1);

    relay.disconnectAll();
    Ack ack = join(put);
    assertThat(ack.confirmedByRead()).isFalse(); // the relay's own acknowledgement of the re-send
    assertThat(ack.peer()).isEqualTo(relay.url());
    assertThat(a.pendingWrites()).isZero();
    assertThat(relay.stats().putsAccepted.sum()).isEqualTo(2);
    Gun reader = connected(client(relay.url()));
    assertThat(join(reader.get("doc/partial").once())).contains(Map.of("x", "newer", "y", "new"));
    a.close();
    assertThat(pendingInJournal(journal)).isZero();
  }

  @Test
  void aWriteWhoseAckIsLostWhileConnectedSettlesByReadWhenItsAckTimesOut(@TempDir Path dir) throws Exception {
    LossyRelay relay = keep(LossyRelay.start());
    Path journal = dir.resolve("outbox.jsonl");
    Gun a = connected(client(relay.url()).outbox(journal).ackTimeout(Duration.ofSeconds(1)));
    relay.dropAcks(true);
    CompletableFuture<Ack> put = a.get("doc/quiet").put(Map.of("v", 1));
    // the future times out as before (no acknowledgement came in time) ...
    assertThatThrownBy(() -> join(put)).cause().isInstanceOf(GunException.Timeout.class);
    // ... but the read-back then finds the write on the relay: it leaves the outbox and the journal
    await().until(() -> a.pendingWrites() == 0);
    assertThat(relay.acksDropped()).isEqualTo(1);
    assertThat(relay.stats().putsNoop.sum()).isZero(); // settled without a re-send
    a.close();
    assertThat(pendingInJournal(journal)).isZero();
  }

  @Test
  void aWriteIsHeldOnlyWhenEveryFieldIsAtItsStateOrNewer() {
    Field written = new Field(Value.text("b"), 100);
    assertThat(ReadBack.covers(new Field(Value.text("b"), 100), written)).as("the same field").isTrue();
    assertThat(ReadBack.covers(new Field(Value.text("c"), 100), written)).as("same state, a value that wins HAM").isTrue();
    assertThat(ReadBack.covers(new Field(Value.text("a"), 100), written)).as("same state, a value that loses HAM").isFalse();
    assertThat(ReadBack.covers(new Field(Value.text("a"), 101), written)).as("a newer state").isTrue();
    assertThat(ReadBack.covers(new Field(Value.text("z"), 99), written)).as("an older state").isFalse();

    Graph write = Graph.of(new Node("s", Map.of("k", written, "l", new Field(Value.number(1), 100))));
    Map<String, Map<String, Field>> all = Map.of("s", Map.of("k", written, "l", new Field(Value.number(1), 100)));
    Map<String, Map<String, Field>> one = Map.of("s", Map.of("k", written));
    assertThat(ReadBack.holds(all, write)).isTrue();
    assertThat(ReadBack.holds(one, write)).as("a field not found").isFalse();
    assertThat(ReadBack.holds(Map.of(), write)).as("a node not found").isFalse();
  }
}
