package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional RocksDB local store: offline writes survive a restart of the client. */
class DurableStoreTest {

  @Test
  void offlineWritesSurviveARestartAndAreServedLocally(@TempDir Path dir) throws Exception {
    try (RocksStore store = RocksStore.builder(dir).durability(Durability.SYNC).open();
        Gun gun = Gun.builder().store(store).build()) {
      Ack ack = join(gun.get("notes/1").put(Map.of("text", "kept", "meta", Map.of("by", "me"))));
      assertThat(ack.local()).isTrue();
    }
    try (RocksStore store = RocksStore.builder(dir).durability(Durability.SYNC).open();
        Gun gun = Gun.builder().store(store).build()) {
      assertThat(join(gun.get("notes/1").get("text").once())).contains("kept");
      assertThat(join(gun.get("notes/1").get("meta").get("by").once())).contains("me");
    }
  }

  @Test
  void aDurableClientStillSyncsWithARelay(@TempDir Path dir) throws Exception {
    try (TestRelay relay = TestRelay.start();
        RocksStore store = RocksStore.builder(dir).open();
        Gun a = Gun.builder().store(store).outbox(DurableOutbox.in(store.directory())).peers(relay.url()).reconnectDelay(Duration.ofMillis(100)).build();
        Gun b = Gun.builder().peers(relay.url()).build()) {
      Ack ack = join(a.get("shared").put(Map.of("x", 1)));
      assertThat(ack.peer()).isEqualTo(relay.url());
      // a read with no peer connected answers from the local graph: b must be connected first
      await().until(() -> b.connectedPeers() == 1);
      assertThat(join(b.get("shared").get("x").once())).contains(1L);
    }
  }
}
