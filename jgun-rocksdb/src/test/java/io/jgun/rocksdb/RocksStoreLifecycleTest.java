package io.jgun.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.store.StoreClosedException;
import io.jgun.store.StoreException;
import io.jgun.store.StoreOverloadedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Opening, refusing and queueing: what is specific to {@link RocksStore}. */
class RocksStoreLifecycleTest {
  @TempDir Path tmp;

  static final double T = 1_795_520_969_763.0;

  static Graph put(String soul, String key, int n) {
    return Graph.of(Node.builder(soul).put(key, Value.number(n), T).build());
  }

  @Test
  void aLockedDirectoryIsNamedInTheError() {
    Path dir = tmp.resolve("db");
    try (RocksStore first = RocksStore.builder(dir).open()) {
      assertThatThrownBy(() -> RocksStore.builder(dir).open())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(dir.toString())
          .hasMessageContaining("locked");
      assertThat(first.fieldNow("a", "b")).isNull(); // the first is unharmed
    }
    RocksStore.builder(dir).open().close(); // and free again once closed
  }

  @Test
  void aCorruptDirectoryIsNamedInTheError() throws Exception {
    Path dir = tmp.resolve("db");
    try (RocksStore s = RocksStore.builder(dir).open()) {
      s.put(put("a", "k", 1)).get(30, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith("MANIFEST-")) {
          byte[] b = Files.readAllBytes(f);
          for (int i = 0; i < b.length; i += 7) {
            b[i] ^= 0x5A;
          }
          Files.write(f, b);
        }
      }
    }
    assertThatThrownBy(() -> RocksStore.builder(dir).open())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("corrupt");
  }

  @Test
  void aForeignDatabaseIsRefused() throws Exception {
    Path dir = tmp.resolve("plain");
    RocksDB.loadLibrary();
    try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString())) {
      db.put("x".getBytes(StandardCharsets.US_ASCII), "y".getBytes(StandardCharsets.US_ASCII));
    }
    assertThatThrownBy(() -> RocksStore.builder(dir).open())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not a jgun store");
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> RocksStore.builder(file).open())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void pastTheQueueCapPutsFailFast() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (RocksStore s = RocksStore.builder(tmp.resolve("db")).maxPendingFields(10).hook(b -> {
      if (b == 1) {
        held.countDown();
        release.await();
      }
    }).open()) {
      List<CompletableFuture<Graph>> queued = new ArrayList<>();
      queued.add(s.put(put("a", "k0", 0))); // taken by the writer, held in batch 1
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i < 10; i++) {
        queued.add(s.put(put("a", "k" + i, i)));
      }
      assertThat(s.pendingFields()).isEqualTo(10);
      CompletableFuture<Graph> refused = s.put(put("a", "over", 1));
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join).hasCauseInstanceOf(StoreOverloadedException.class)
          .hasMessageContaining("write queue full");
      Graph big = Graph.of(Node.builder("b").put("1", Value.NULL, T).put("2", Value.NULL, T).put("3", Value.NULL, T)
          .put("4", Value.NULL, T).put("5", Value.NULL, T).put("6", Value.NULL, T).put("7", Value.NULL, T)
          .put("8", Value.NULL, T).put("9", Value.NULL, T).put("10", Value.NULL, T).put("11", Value.NULL, T).build());
      assertThatThrownBy(() -> s.put(big).join()).hasCauseInstanceOf(StoreOverloadedException.class)
          .hasMessageContaining("exceeds the write queue cap");
      release.countDown();
      for (CompletableFuture<Graph> f : queued) {
        assertThat(f.get(30, TimeUnit.SECONDS).isEmpty()).isFalse();
      }
      assertThat(s.pendingFields()).isZero();
      assertThat(s.fieldNow("a", "over")).isNull();
      // room again
      assertThat(s.put(put("a", "over", 1)).get(30, TimeUnit.SECONDS).isEmpty()).isFalse();
    }
  }

  @Test
  void putsQueuedDuringAWriteShareTheNextBatch() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (RocksStore s = RocksStore.builder(tmp.resolve("db")).hook(b -> {
      if (b == 1) {
        held.countDown();
        release.await();
      }
    }).open()) {
      CompletableFuture<Graph> first = s.put(put("g", "first", 0));
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Graph>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        fs.add(s.put(put("g", "k" + (i % 50), i))); // same fields again and again: HAM within the batch
      }
      release.countDown();
      first.get(30, TimeUnit.SECONDS);
      for (CompletableFuture<Graph> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(s.batchesWritten()).isEqualTo(2); // one fsync for the 200
      assertThat(s.putsWritten()).isEqualTo(201);
      for (int k = 0; k < 50; k++) {
        // equal states: the greatest JSON text wins ("50" > "150")
        String max = Stream.of(k, k + 50, k + 100, k + 150).map(String::valueOf).max(String::compareTo).orElseThrow();
        assertThat(s.fieldNow("g", "k" + k)).isEqualTo(new Field(Value.number(Integer.parseInt(max)), T));
      }
    }
  }

  @Test
  void closeWritesWhatWasQueued() throws Exception {
    Path dir = tmp.resolve("db");
    List<CompletableFuture<Graph>> fs = new ArrayList<>();
    try (RocksStore s = RocksStore.builder(dir).open()) {
      for (int i = 0; i < 500; i++) {
        fs.add(s.put(put("c", "k" + i, i)));
      }
    }
    for (CompletableFuture<Graph> f : fs) {
      assertThat(f).isCompleted();
      assertThat(f.join().isEmpty()).isFalse();
    }
    try (RocksStore s = RocksStore.builder(dir).open()) {
      assertThat(s.nodeNow("c").fields()).hasSize(500);
    }
  }

  @Test
  void theWriterThreadIsNamedAndEndsWithTheStoreWhichThenRefusesEverything() throws Exception {
    Path dir = tmp.resolve("named");
    RocksStore s = RocksStore.builder(dir).open();
    String name = "jgun-rocks-writer " + dir.getFileName();
    assertThat(threadsNamed(name)).hasSize(1);
    s.close();
    assertThat(threadsNamed(name)).as("joined by close").isEmpty();
    assertThatThrownBy(() -> s.put(put("a", "k", 1)).join()).hasCauseInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> s.put(Graph.empty()).join()).hasCauseInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> s.fieldNow("a", "k")).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> s.node("a").join()).hasCauseInstanceOf(StoreClosedException.class);
    s.close(); // idempotent
  }

  @Test
  void aPutRacingCloseIsEitherWrittenOrRefusedNeverLost() throws Exception {
    Path dir = tmp.resolve("race");
    List<CompletableFuture<Graph>> fs = new ArrayList<>();
    RocksStore s = RocksStore.builder(dir).open();
    CountDownLatch started = new CountDownLatch(1);
    Thread putter =
        new Thread(
            () -> {
              for (int i = 0; i < 5_000; i++) {
                fs.add(s.put(put("r", "k" + i, i)));
                if (i == 10) {
                  started.countDown();
                }
              }
            });
    putter.start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    s.close();
    putter.join();
    int written = 0;
    for (CompletableFuture<Graph> f : fs) {
      assertThat(f).isDone();
      if (f.isCompletedExceptionally()) {
        assertThatThrownBy(f::join).hasCauseInstanceOf(StoreClosedException.class);
      } else {
        written++;
      }
    }
    try (RocksStore again = RocksStore.builder(dir).open()) {
      assertThat(again.nodeNow("r").fields()).hasSize(written);
    }
  }

  private static List<Thread> threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).toList();
  }
}
