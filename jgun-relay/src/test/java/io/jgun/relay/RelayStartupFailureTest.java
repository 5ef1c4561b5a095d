package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import io.jgun.store.StoreException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay refuses a data directory it cannot use — a plain file, a damaged RocksDB store (truncated
 * or missing SST, damaged or empty MANIFEST, missing or damaged CURRENT), a directory locked by
 * another store or process, another program's files, another program's RocksDB — at once, with one
 * line naming the path and the problem and a non-zero exit code; it never starts empty over the
 * data and leaves every file of the directory as it was (RocksDB's own {@code LOG} aside).
 */
class RelayStartupFailureTest {
  private static final int SOULS = 2_000;
  private static final double T = 1_795_520_969_763.0;

  @TempDir Path tmp;

  /** Runs {@code jgun relay --port 0 --data DIR} in this JVM (bounded: a relay that starts fails). */
  private static CliRun relay(Path data) {
    return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cli("relay", "--host", "127.0.0.1", "--port", "0", "--data", data.toString()));
  }

  static CliRun cli(String... args) {
    return CliRun.of(RelayMain::run, args);
  }

  /** Checks the refusal: exit 1, one line naming the path and {@code problem}, no stack trace. */
  private static void assertRefused(CliRun r, Path data, String problem) {
    assertThat(r.exit()).as("exit code; stderr:%n%s", r.err()).isEqualTo(1);
    assertThat(r.errorLines()).as("stderr:%n%s", r.err()).hasSize(1);
    assertThat(r.errorLines().get(0))
        .startsWith("jgun relay: cannot open store at " + data.toAbsolutePath() + ": ")
        .contains(problem);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(r.out()).doesNotContain("listening");
  }

  private static RelayConfig config(Path data) {
    return new RelayConfig("127.0.0.1", 0, data, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null);
  }

  /** A real store of {@link #SOULS} nodes, closed, then reopened once so that its data is in SST files. */
  private Path store(String name) throws Exception {
    Path dir = tmp.resolve(name);
    try (RocksStore s = RocksStore.builder(dir).open()) {
      for (int i = 0; i < SOULS; i += 100) {
        Map<String, Node> nodes = new TreeMap<>();
        for (int j = i; j < i + 100; j++) {
          nodes.put("s" + j, Node.builder("s" + j).put("k", Value.text("v" + j), T + j).build());
        }
        s.put(new Graph(nodes)).get(30, TimeUnit.SECONDS);
      }
    }
    RocksStore.builder(dir).open().close(); // recovery flushes the log into an SST file
    assertThat(files(dir, ".sst")).isNotEmpty();
    return dir;
  }

  private static void assertAllThere(Path dir) {
    try (RocksStore s = RocksStore.builder(dir).open()) {
      for (int j = 0; j < SOULS; j++) {
        assertThat(s.fieldNow("s" + j, "k")).isEqualTo(new Field(Value.text("v" + j), T + j));
      }
    }
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static Path file(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
    }
  }

  /** Every file of the directory and its bytes, but RocksDB's informational {@code LOG*} files. */
  private static Map<String, List<Byte>> snapshot(Path dir) throws IOException {
    Map<String, List<Byte>> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = dir.relativize(p).toString();
        if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith("LOG")) {
          byte[] b = Files.readAllBytes(p);
          Byte[] boxed = new Byte[b.length];
          Arrays.setAll(boxed, i -> b[i]);
          m.put(name, List.of(boxed));
        } else if (Files.isDirectory(p)) {
          m.put(name + "/", List.of());
        }
      }
    }
    return m;
  }

  /** Starts the relay twice on the damaged directory (CLI, then the API): refused both times, nothing changed. */
  private void assertRefusedAndUntouched(Path dir, String problem) throws IOException {
    Map<String, List<Byte>> before = snapshot(dir);
    assertRefused(relay(dir), dir, problem);
    assertThatThrownBy(() -> Relay.start(config(dir)).close())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString())
        .hasMessageContaining(problem);
    assertThat(snapshot(dir)).as("files of %s after the refused starts", dir).isEqualTo(before);
  }

  @Test
  void aPlainFileIsRefused() throws Exception {
    Path data = Files.writeString(tmp.resolve("data"), "not a directory");
    assertRefused(relay(data), data, "not a directory");
    assertThat(Files.readString(data)).isEqualTo("not a directory");
  }

  @Test
  void aTruncatedSstFileIsRefused() throws Exception {
    Path dir = store("db");
    Path sst = files(dir, ".sst").get(0);
    byte[] b = Files.readAllBytes(sst);
    Files.write(sst, Arrays.copyOf(b, b.length / 2));
    assertRefusedAndUntouched(dir, "the database is corrupt");
    assertThat(relay(dir).errorLines().get(0)).contains(sst.getFileName().toString());
  }

  @Test
  void aMissingSstFileIsRefused() throws Exception {
    Path dir = store("db");
    Path sst = files(dir, ".sst").get(0);
    Files.delete(sst);
    assertRefusedAndUntouched(dir, "the database is corrupt");
    assertThat(relay(dir).errorLines().get(0)).contains(sst.getFileName().toString());
  }

  @Test
  void aDamagedManifestIsRefusedAndTheDataComesBackWithIt() throws Exception {
    Path dir = store("db");
    Path manifest = file(dir, "MANIFEST-");
    byte[] good = Files.readAllBytes(manifest);
    byte[] bad = good.clone();
    for (int i = 0; i < bad.length; i += 7) {
      bad[i] ^= 0x5A;
    }
    Files.write(manifest, bad);
    assertRefusedAndUntouched(dir, "the database is corrupt");
    Files.write(manifest, good); // the refused starts lost nothing: repaired, every node is there
    assertAllThere(dir);
  }

  /**
   * The one damage start-up does not see: RocksDB checks file sizes, footers, index and filter
   * blocks at open, not every data block (that would read the whole store). A bit flip inside a data
   * block is found when the block is read: the read fails, naming the file, and the relay answers
   * such a GET with an {@code err} — never with "not found", never with silence.
   */
  @Test
  void aDamagedDataBlockIsFoundWhenReadAndNeverServedAsMissing() throws Exception {
    Path dir = store("db");
    Path sst = files(dir, ".sst").stream().max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    byte[] b = Files.readAllBytes(sst);
    for (int i = 10; i < 1_000; i += 13) {
      b[i] ^= 0x5A; // the first data block: the first keys in order, "s0" among them
    }
    Files.write(sst, b);
    try (Relay relay = Relay.start(config(dir));
        RawClient c = new RawClient(relay.port())) {
      c.send("{\"#\":\"getbad001\",\"get\":{\"#\":\"s0\"}}");
      c.send("{\"#\":\"getnone01\",\"get\":{\"#\":\"zz-none\"}}");
      assertThat(c.awaitFrame("\"@\":\"getbad001\"")).contains("\"err\":\"Error: read failed:").doesNotContain("\"put\"");
      c.awaitFrame("\"@\":\"getnone01\""); // and the relay goes on serving
    }
    try (RocksStore s = RocksStore.builder(dir).open()) {
      assertThatThrownBy(() -> s.fieldNow("s0", "k"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(dir.toAbsolutePath().toString())
          .hasMessageContaining("checksum mismatch")
          .hasMessageContaining(sst.getFileName().toString());
    }
  }

  @Test
  void anEmptiedManifestIsRefused() throws Exception {
    Path dir = store("db");
    Files.write(file(dir, "MANIFEST-"), new byte[0]);
    assertRefusedAndUntouched(dir, "the database is corrupt");
  }

  @Test
  void aDamagedCurrentFileIsRefused() throws Exception {
    Path dir = store("db");
    Files.writeString(dir.resolve("CURRENT"), "\u0000\u0001garbage");
    assertRefusedAndUntouched(dir, "the database is corrupt");
  }

  @Test
  void aCurrentFileNamingNoManifestIsRefused() throws Exception {
    Path dir = store("db");
    Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");
    assertRefusedAndUntouched(dir, "MANIFEST-999999");
  }

  /**
   * Without CURRENT, RocksDB would create a new database in the directory (and each later attempt
   * would rewrite CURRENT to point at an empty one): the relay must not even try.
   */
  @Test
  void aMissingCurrentFileIsRefusedAndTheDataComesBackWithIt() throws Exception {
    Path dir = store("db");
    Path current = dir.resolve("CURRENT");
    String good = Files.readString(current);
    Files.delete(current);
    assertRefusedAndUntouched(dir, "the database is damaged: it holds RocksDB files");
    assertThat(relay(dir).errorLines().get(0)).contains("no CURRENT file");
    Files.writeString(current, good);
    assertAllThere(dir);
  }

  @Test
  void aDirectoryLockedByAnotherStoreInThisJvmIsRefused() throws Exception {
    Path dir = store("db");
    try (RocksStore first = RocksStore.builder(dir).open()) {
      assertRefused(relay(dir), dir, "locked");
      assertThatThrownBy(() -> Relay.start(config(dir)).close()).isInstanceOf(StoreException.class).hasMessageContaining("locked");
      // the store that holds it is unharmed and still writes
      first.put(Graph.of(Node.builder("after").put("k", Value.bool(true), T).build())).get(30, TimeUnit.SECONDS);
      assertThat(first.fieldNow("s7", "k")).isEqualTo(new Field(Value.text("v7"), T + 7));
    }
    assertAllThere(dir);
  }

  /** Two relays on one data directory: the second, another process, is refused; the first serves on. */
  @Test
  void aDirectoryLockedByARelayInAnotherProcessIsRefused() throws Exception {
    Path dir = store("db");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process other = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), RelayMain.class.getName(),
            "relay", "--host", "127.0.0.1", "--port", "0", "--data", dir.toString())
        .redirectErrorStream(true)
        .start();
    try {
      int port = awaitListening(other);
      assertRefused(relay(dir), dir, "locked");
      try (RawClient c = new RawClient(port)) {
        c.send("{\"#\":\"get000001\",\"get\":{\"#\":\"s42\"}}");
        assertThat(c.awaitFrame("\"@\":\"get000001\"")).contains("\"k\":\"v42\"");
      }
    } finally {
      other.destroy(); // SIGTERM: the relay closes its store
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertAllThere(dir);
  }

  @Test
  void anotherProgramsDirectoryIsRefusedAndLeftAlone() throws Exception {
    Path dir = tmp.resolve("photos");
    Files.createDirectories(dir.resolve("2024"));
    Files.writeString(dir.resolve("notes.txt"), "my notes");
    Files.write(dir.resolve("2024/cat.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
    Files.writeString(dir.resolve("000001.txt"), "numbered, but not RocksDB's");
    Map<String, List<Byte>> before = snapshot(dir);
    assertRefused(relay(dir), dir, "the directory is not empty and holds no jgun store");
    assertThat(relay(dir).errorLines().get(0)).contains("notes.txt").contains("2024/").contains("3 entries");
    assertThatThrownBy(() -> Relay.start(config(dir)).close()).isInstanceOf(StoreException.class).hasMessageContaining("not empty");
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.count()).isEqualTo(5); // dir, 2024/, cat.jpg, notes.txt, 000001.txt: no LOCK, no LOG
    }
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void anotherProgramsRocksDbIsRefused() throws Exception {
    Path dir = tmp.resolve("other-rocks");
    org.rocksdb.RocksDB.loadLibrary();
    try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
        org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, dir.toString())) {
      db.put("x".getBytes(StandardCharsets.US_ASCII), "y".getBytes(StandardCharsets.US_ASCII));
    }
    assertRefused(relay(dir), dir, "not a jgun store");
  }

  @Test
  void anEmptyOrMissingDirectoryStartsANewStore() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    RocksStore.builder(empty).open().close();
    RocksStore.builder(tmp.resolve("missing")).open().close();
    Path lostAndFound = Files.createDirectories(tmp.resolve("mount/lost+found"));
    RocksStore.builder(lostAndFound.getParent()).open().close(); // a fresh file system's mount point
    try (Relay r = Relay.start(config(empty))) {
      assertThat(r.port()).isPositive();
    }
    assertThat(empty.resolve("CURRENT")).exists();
  }

  /** A port in use: one line, exit 1, and the store opened before is closed again (not left locked). */
  @Test
  void aPortInUseIsOneLineAndReleasesTheStore() throws Exception {
    Path dir = store("db");
    try (Relay first = Relay.start(new RelayConfig("127.0.0.1", 0, null, Durability.SYNC, List.of(), null, null, 1 << 20, 100, null))) {
      CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60),
          () -> cli("relay", "--host", "127.0.0.1", "--port", Integer.toString(first.port()), "--data", dir.toString()));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.errorLines()).singleElement().asString()
          .startsWith("jgun relay: cannot listen on 127.0.0.1:" + first.port());
      assertThat(r.err()).doesNotContain("\tat ");
    }
    assertAllThere(dir); // opens: the failed relay closed its store
  }

  @Test
  void aBadPortIsAUsageError() {
    CliRun r = cli("relay", "--memory", "--port", "70000");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().isEqualTo("jgun relay: --port must be 0..65535, was 70000");
  }

  private static int awaitListening(Process relay) throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (seen) {
            seen.append(line).append('\n');
          }
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on ws://[^:]+:(\\d+)/gun").matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("relay exited before listening:\n" + seen));
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
    }, "relay-output");
    reader.setDaemon(true);
    reader.start();
    return port.get(60, TimeUnit.SECONDS);
  }
}
