package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Lex;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM writes offline into a RocksStore and is killed with SIGKILL while it is
 * still writing; a new client on the same directory then delivers every write the child had seen
 * locally acknowledged.
 */
class DurableOutboxKillTest {

  @Test
  void everyLocallyAcknowledgedWriteIsDeliveredAfterSigkill(@TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OfflineWriterMain.class.getName(), dir.toString(), "400")
        .redirectErrorStream(true)
        .start();
    AtomicInteger acked = new AtomicInteger(-1);
    Map<String, Boolean> output = new ConcurrentHashMap<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            acked.set(Integer.parseInt(line.substring(4)));
          } else if (output.size() < 100) {
            output.put(line, Boolean.TRUE);
          }
        }
      } catch (Exception e) {
        // the process died
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= 30 || !child.isAlive());
      assertThat(child.isAlive()).as("child output: %s", output.keySet()).isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL, most likely in the middle of a write
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    int last = acked.get();
    assertThat(last).isGreaterThanOrEqualTo(30);

    try (TestRelay relay = TestRelay.start();
        RocksStore store = RocksStore.builder(dir).durability(Durability.SYNC).open();
        Gun restarted = Gun.builder().store(store).outbox(DurableOutbox.in(store.directory())).peers(relay.url()).reconnectDelay(Duration.ofMillis(100)).build();
        Gun other = Gun.builder().peers(relay.url()).readTimeout(Duration.ofSeconds(20)).build()) {
      await().until(() -> restarted.connectedPeers() == 1 && other.connectedPeers() == 1);
      await().atMost(Duration.ofSeconds(60)).until(() -> restarted.pendingWrites() == 0);
      assertThat(relay.stats().putsAccepted.sum()).isGreaterThanOrEqualTo(last + 1);
      Map<?, ?> notes = (Map<?, ?>) join(other.get(Lex.prefix("note/")).once()).orElseThrow();
      for (int i = 0; i <= last; i++) {
        assertThat(notes.get("note/" + i)).as("note/%d of %d acknowledged", i, last).isEqualTo(Map.of("i", (long) i));
      }
    }
  }
}
