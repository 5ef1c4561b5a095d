package io.jgun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox journal on its own: replay, torn tails, damage, compaction, bounds, locking. */
class JournalTest {
  private static final long BIG = 1L << 30;

  static Graph graph(String soul, String key, String value) {
    return Graph.of(new Node(soul, Map.of(key, new Field(Value.text(value), 1))));
  }

  private static List<String> ids(Journal j) {
    return j.pending().stream().map(Journal.Pending::id).toList();
  }

  private static List<String> lines(Path file) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @Test
  void pendingWritesAreReplayedInOrderAndEndedOnesAreNot(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 100, BIG)) {
      j.write("w1", graph("a", "k", "one"));
      j.write("w2", graph("b", "k", "two"));
      j.write("w3", graph("c", "k", "three é"));
      j.flush();
      j.done("w2");
    } // close flushes the end record
    try (Journal j = Journal.open(file, 100, BIG)) {
      assertThat(ids(j)).containsExactly("w1", "w3");
      assertThat(j.pending().get(1).graph()).isEqualTo(graph("c", "k", "three é"));
      // reopening rewrote it without the ended write
      assertThat(lines(file)).hasSize(3).first().isEqualTo(Journal.HEADER);
      assertThat(j.compactions()).isEqualTo(1);
    }
  }

  @Test
  void aTornLastLineIsCutOffNotAFailure(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 100, BIG)) {
      j.write("w1", graph("a", "k", "one"));
      j.write("w2", graph("b", "k", "two"));
    }
    String whole = Files.readString(file);
    String lastLine = whole.substring(whole.indexOf("\n", Journal.HEADER.length() + 1) + 1);
    // a crash in the middle of appending a third write: half a line, no newline
    append(file, lastLine.substring(0, lastLine.length() / 2).replace("w2", "w3"));
    try (Journal j = Journal.open(file, 100, BIG)) {
      assertThat(ids(j)).containsExactly("w1", "w2");
    }
    assertThat(Files.readString(file)).isEqualTo(whole);
  }

  @Test
  void aTornTailFollowedOnlyByEndRecordsIsCutOff(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 100, BIG)) {
      j.write("w1", graph("a", "k", "one"));
      j.flush();
    }
    // unsynced pages lost by a power cut: zeros, then an end record that did reach the disk
    append(file, "\0\0\0\0\n" + Journal.line("{\"@\":\"w1\"}") + "\n");
    try (Journal j = Journal.open(file, 100, BIG)) {
      assertThat(ids(j)).containsExactly("w1"); // re-sent at worst: harmless
    }
  }

  @Test
  void damageBeforeASyncedWriteIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 100, BIG)) {
      j.write("w1", graph("a", "k", "one"));
      j.write("w2", graph("b", "k", "two"));
    }
    List<String> lines = lines(file);
    String damaged = lines.get(1).replace("one", "ONE"); // the checksum no longer matches
    Files.writeString(file, String.join("\n", lines.get(0), damaged, lines.get(2)) + "\n");
    assertThatThrownBy(() -> Journal.open(file, 100, BIG))
        .isInstanceOf(GunException.OutboxError.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("damaged at line 2")
        .satisfies(e -> assertThat(((GunException.OutboxError) e).file()).isEqualTo(file.toAbsolutePath()));
    // and the lock was released: once repaired by hand, it opens
    Files.writeString(file, String.join("\n", lines.get(0), lines.get(2)) + "\n");
    try (Journal j = Journal.open(file, 100, BIG)) {
      assertThat(ids(j)).containsExactly("w2");
    }
  }

  @Test
  void aFileThatIsNotAJournalIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "my notes\n");
    assertThatThrownBy(() -> Journal.open(file, 100, BIG))
        .isInstanceOf(GunException.OutboxError.class)
        .hasMessageContaining("notes.txt")
        .hasMessageContaining("not a jgun outbox journal");
    assertThat(Files.readString(file)).isEqualTo("my notes\n");
  }

  @Test
  void compactionKeepsExactlyThePendingWrites(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 1000, 2_000)) {
      long before = j.compactions();
      for (int i = 0; i < 40; i++) {
        j.write("w" + i, graph("s" + i, "k", "value " + i));
        j.flush();
        if (i % 4 != 3) {
          j.done("w" + i); // every fourth stays pending
        }
        j.flush();
        assertThat(j.size()).isEqualTo(Files.size(file)).isLessThanOrEqualTo(4_000);
      }
      assertThat(j.compactions()).isGreaterThan(before);
      List<String> pending = IntStream.range(0, 40).filter(i -> i % 4 == 3).mapToObj(i -> "w" + i).toList();
      assertThat(j.pendingCount()).isEqualTo(10);
      // a compaction leaves the header and exactly the pending writes, in order
      long c0 = j.compactions();
      for (int i = 0; i < 100 && j.compactions() == c0; i++) {
        j.write("x" + i, graph("t", "k", "x"));
        j.done("x" + i);
        j.flush();
      }
      assertThat(j.compactions()).isGreaterThan(c0);
      List<String> onDisk = lines(file);
      assertThat(onDisk.get(0)).isEqualTo(Journal.HEADER);
      assertThat(onDisk.subList(1, onDisk.size())).hasSize(pending.size());
      for (int k = 0; k < pending.size(); k++) {
        assertThat(onDisk.get(k + 1)).contains("{\"#\":\"" + pending.get(k) + "\",\"put\":");
      }
    }
    try (Journal j = Journal.open(file, 1000, 2_000)) {
      assertThat(ids(j)).containsExactlyElementsOf(IntStream.range(0, 40).filter(i -> i % 4 == 3).mapToObj(i -> "w" + i).toList());
    }
  }

  @Test
  void onOpenTheOldestBeyondTheBoundAreDropped(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 100, BIG)) {
      for (int i = 0; i < 5; i++) {
        j.write("w" + i, graph("s", "k" + i, "v"));
      }
    }
    try (Journal j = Journal.open(file, 2, BIG)) {
      assertThat(ids(j)).containsExactly("w3", "w4");
    }
    assertThat(lines(file)).hasSize(3);
  }

  @Test
  void aJournalInUseIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("outbox.jsonl");
    try (Journal j = Journal.open(file, 100, BIG)) {
      assertThatThrownBy(() -> Journal.open(file, 100, BIG))
          .isInstanceOf(GunException.OutboxError.class)
          .hasMessageContaining("in use");
      assertThat(j.file()).isEqualTo(file.toAbsolutePath());
    }
    try (Journal j = Journal.open(file, 100, BIG)) {
      assertThat(j.pendingCount()).isZero();
    }
  }
}
