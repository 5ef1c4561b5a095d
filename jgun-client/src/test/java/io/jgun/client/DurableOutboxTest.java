package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable outbox: writes made offline with a durable store are sent (and acknowledged) by the
 * next instance after a restart or a crash, acknowledged ones are not sent again, and the journal
 * survives a torn tail and stays bounded.
 */
class DurableOutboxTest {
  /** Nothing listens there: a client with this peer is offline. */
  private static final String NOBODY = "ws://127.0.0.1:9/gun";

  @AutoClose private final Resources open = new Resources();

  private <T extends AutoCloseable> T keep(T c) {
    return open.keep(c);
  }

  private static RocksStore rocks(Path dir) {
    return RocksStore.builder(dir).durability(Durability.SYNC).open();
  }

  private static Gun.Builder client(String url) {
    return Gun.builder().peers(url).reconnectDelay(Duration.ofMillis(100)).readTimeout(Duration.ofSeconds(20));
  }

  private static long putsSeen(TestRelay relay) {
    return relay.stats().putsAccepted.sum() + relay.stats().putsNoop.sum();
  }

  /** Writes two notes while offline; both are durable (store and journal) when this returns. */
  private static void writeOffline(Gun gun) throws Exception {
    join(gun.get("notes/1").put(Map.of("text", "written offline")));
    join(gun.get("notes/2").put(Map.of("text", "also offline", "meta", Map.of("by", "me"))));
    assertThat(gun.pendingWrites()).isEqualTo(2);
  }

  /** A fresh client of {@code relay} reads both notes. */
  private void assertTheRelayHasTheNotes(TestRelay relay) throws Exception {
    Gun reader = keep(client(relay.url()).build());
    await().until(() -> reader.connectedPeers() == 1);
    assertThat(join(reader.get("notes/1").get("text").once())).contains("written offline");
    assertThat(join(reader.get("notes/2").get("meta").get("by").once())).contains("me");
  }

  @Test
  void offlineWritesAreSentAndAcknowledgedAfterARestart(@TempDir Path dir) throws Exception {
    TestRelay relay = keep(TestRelay.start());
    try (RocksStore store = rocks(dir);
        Gun offline = client(NOBODY).store(store).outbox(DurableOutbox.in(store.directory())).acks(AckPolicy.LOCAL).build()) {
      writeOffline(offline);
    }
    assertThat(dir.resolve(DurableOutbox.FILE_NAME)).isRegularFile();
    long before = relay.stats().putsAccepted.sum();

    RocksStore store = keep(rocks(dir));
    Gun restarted = keep(client(relay.url()).store(store).outbox(DurableOutbox.in(store.directory())).build());
    // replayed, sent on connect, acknowledged (the relay acks accepted puts only)
    await().until(() -> relay.stats().putsAccepted.sum() == before + 2 && restarted.pendingWrites() == 0);
    assertTheRelayHasTheNotes(relay);
    restarted.close();
    store.close();
    try (Journal j = Journal.open(dir.resolve(DurableOutbox.FILE_NAME), 100, Journal.DEFAULT_COMPACT_BYTES)) {
      assertThat(j.pendingCount()).isZero(); // the acknowledgements were recorded
    }
  }

  /**
   * A crash: the first instance is never closed. Its files are copied while it still runs and holds
   * them, and a new instance opens the copies. That is what a SIGKILL leaves on disk: the kernel
   * keeps what was written, and neither RocksStore (SYNC: its WAL is written and synced before a
   * put completes) nor the journal (records written and forced before the LOCAL ack) holds an
   * acknowledged write in user-space buffers, so nothing the copy lacks would survive a kill
   * either; no shutdown code of the first instance runs before the copy.
   */
  @Test
  void offlineWritesAreSentAfterACrash(@TempDir Path dir, @TempDir Path copy) throws Exception {
    TestRelay relay = keep(TestRelay.start());
    RocksStore crashedStore = keep(rocks(dir));
    Gun crashed = keep(client(NOBODY).store(crashedStore).outbox(DurableOutbox.in(crashedStore.directory())).acks(AckPolicy.LOCAL).build());
    writeOffline(crashed);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName().toString()));
      }
    }
    RocksStore store = keep(rocks(copy));
    Gun restarted = keep(client(relay.url()).store(store).outbox(DurableOutbox.in(store.directory())).build());
    await().until(() -> restarted.connectedPeers() == 1 && restarted.pendingWrites() == 0);
    assertTheRelayHasTheNotes(relay);
    assertThat(crashed.pendingWrites()).isEqualTo(2); // the "dead" instance never reached the relay
  }

  @Test
  void acknowledgedWritesAreNotSentAgainAfterARestart(@TempDir Path dir) throws Exception {
    TestRelay relay = keep(TestRelay.start());
    try (RocksStore store = rocks(dir);
        Gun online = client(relay.url()).store(store).outbox(DurableOutbox.in(store.directory())).build()) {
      await().until(() -> online.connectedPeers() == 1);
      assertThat(join(online.get("doc/a").put(Map.of("v", 1))).peer()).isEqualTo(relay.url());
      assertThat(join(online.get("doc/b").put(Map.of("v", 2))).peer()).isEqualTo(relay.url());
      assertThat(online.pendingWrites()).isZero();
    }
    long before = putsSeen(relay);
    try (RocksStore store = rocks(dir);
        Gun restarted = client(relay.url()).store(store).outbox(DurableOutbox.in(store.directory())).build()) {
      await().until(() -> restarted.connectedPeers() == 1);
      assertThat(restarted.pendingWrites()).isZero();
      // anything replayed is sent on connect, before this put on the same connection: once the
      // marker is acknowledged the relay has seen every re-send there was
      join(restarted.get("doc/marker").put(Map.of("v", 3)));
      assertThat(putsSeen(relay)).isEqualTo(before + 1);
    }
  }

  @Test
  void aTornJournalTailIsToleratedOnStart(@TempDir Path dir) throws Exception {
    TestRelay relay = keep(TestRelay.start());
    try (RocksStore store = rocks(dir);
        Gun offline = client(NOBODY).store(store).outbox(DurableOutbox.in(store.directory())).acks(AckPolicy.LOCAL).build()) {
      writeOffline(offline);
    }
    Path journal = dir.resolve(DurableOutbox.FILE_NAME);
    // a crash in the middle of appending a third record
    Files.writeString(journal, "1f2e3d4c {\"#\":\"zz\",\"put\":{\"notes/3\":{\"_\":{\"#\":\"no", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    RocksStore store = keep(rocks(dir));
    Gun restarted = keep(client(relay.url()).store(store).outbox(DurableOutbox.in(store.directory())).build());
    await().until(() -> restarted.connectedPeers() == 1 && restarted.pendingWrites() == 0);
    assertTheRelayHasTheNotes(relay);
    assertThat(Files.readString(journal)).doesNotContain("notes/3");
  }

  @Test
  void anExplicitJournalKeepsAMemoryClientsOfflineWrites(@TempDir Path dir) throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Path journal = dir.resolve("app/outbox.jsonl");
    try (Gun offline = client(NOBODY).outbox(journal).acks(AckPolicy.LOCAL).build()) {
      writeOffline(offline);
    }
    Gun restarted = keep(client(NOBODY).outbox(journal).build());
    // the memory graph was lost with the process; the journal put the pending writes back
    assertThat(join(restarted.get("notes/1").get("text").once())).contains("written offline");
    restarted.close();
    Gun online = keep(client(relay.url()).outbox(journal).build());
    await().until(() -> online.connectedPeers() == 1 && online.pendingWrites() == 0);
    assertTheRelayHasTheNotes(relay);
  }

  @Test
  void theJournalStaysSmallAsWritesAreAcknowledged(@TempDir Path dir) throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Path journal = dir.resolve("outbox.jsonl");
    Gun gun = keep(client(relay.url()).outbox(journal).outboxCompactBytes(1_024).build());
    await().until(() -> gun.connectedPeers() == 1);
    for (int i = 0; i < 60; i++) {
      join(gun.get("many/" + i).put(Map.of("n", i, "text", "some text to make the record longer")));
    }
    // 60 writes and 60 ends are ~15 KB of records; compaction keeps it near the bound
    await().until(() -> gun.pendingWrites() == 0);
    gun.close();
    assertThat(Files.size(journal)).isLessThan(1_024 + 2_048);
    try (Journal j = Journal.open(journal, 100, 1_024)) {
      assertThat(j.pendingCount()).isZero();
    }
  }

  @Test
  void theJournalHoldsAtMostMaxQueuedWrites(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("outbox.jsonl");
    try (Gun offline = client(NOBODY).outbox(journal).acks(AckPolicy.LOCAL).maxQueuedWrites(2).build()) {
      for (int i = 1; i <= 3; i++) {
        join(offline.get("q/" + i).put(Map.of("v", i)));
      }
      assertThat(offline.pendingWrites()).isEqualTo(2);
    }
    try (Journal j = Journal.open(journal, 100, Journal.DEFAULT_COMPACT_BYTES)) {
      assertThat(j.pending()).extracting(p -> p.graph().nodes().keySet().iterator().next()).containsExactly("q/2", "q/3");
    }
  }

  @Test
  void aDamagedOrBusyJournalFailsTheBuildNamingTheFile(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("outbox.jsonl");
    Gun first = keep(client(NOBODY).outbox(journal).build());
    assertThatThrownBy(() -> client(NOBODY).outbox(journal).build())
        .isInstanceOf(GunException.OutboxError.class)
        .hasMessageContaining(journal.toString())
        .hasMessageContaining("in use");
    first.close();
    Files.writeString(journal, Journal.HEADER + "\nnot a record\n" + Journal.line(MessageWriter.write(Message.builder().id("a").put(JournalTest.graph("s", "k", "v")).build())) + "\n");
    assertThatThrownBy(() -> client(NOBODY).outbox(journal).build())
        .isInstanceOf(GunException.OutboxError.class)
        .hasMessageContaining(journal.toString())
        .hasMessageContaining("damaged at line 2");
  }

  @Test
  void outboxInMemoryWritesNoJournal(@TempDir Path dir) throws Exception {
    try (RocksStore store = rocks(dir);
        Gun offline = client(NOBODY).store(store).outboxInMemory().acks(AckPolicy.LOCAL).build()) {
      join(offline.get("x").put(Map.of("y", 1)));
    }
    assertThat(dir.resolve(DurableOutbox.FILE_NAME)).doesNotExist();
  }

  /** A store outlives the process or not: the client cannot tell, so with peers it asks. */
  @Test
  void aStoreWithPeersButNoOutboxChoiceFailsTheBuild(@TempDir Path dir) throws Exception {
    try (RocksStore store = rocks(dir)) {
      assertThatThrownBy(() -> client(NOBODY).store(store).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("needs an outbox choice")
          .hasMessageContaining(".outbox(DurableOutbox.in(dir))")
          .hasMessageContaining(".outboxInMemory()");
      assertThat(dir.resolve(DurableOutbox.FILE_NAME)).doesNotExist();
      // without peers there is nothing to send: no choice needed
      try (Gun offlineOnly = Gun.builder().store(store).build()) {
        join(offlineOnly.get("x").put(Map.of("y", 1)));
      }
    }
  }

  @Test
  void theOutboxChoices(@TempDir Path dir) {
    assertThat(DurableOutbox.in(dir).journalFile()).isEqualTo(dir.resolve("jgun-outbox.jsonl"));
    assertThat(DurableOutbox.file(dir.resolve("o.jsonl")).journalFile()).isEqualTo(dir.resolve("o.jsonl"));
    assertThat(DurableOutbox.inMemory().journalFile()).isNull();
  }

  @Test
  void aJournalInAnyDirectoryWorksWithAMemoryGraph(@TempDir Path dir) throws Exception {
    try (Gun offline = client(NOBODY).outbox(DurableOutbox.in(dir)).acks(AckPolicy.LOCAL).build()) {
      join(offline.get("x").put(Map.of("y", 1)));
    }
    try (Journal j = Journal.open(dir.resolve(DurableOutbox.FILE_NAME), 100, Journal.DEFAULT_COMPACT_BYTES)) {
      assertThat(j.pendingCount()).isEqualTo(1);
    }
  }
}
