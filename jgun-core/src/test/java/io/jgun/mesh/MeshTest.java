package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.GraphEngine;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's mesh logic over fake wires: what a stock Gun.js relay does, as captured in the
 * golden frames (docs/protocol.md §4, §5.1).
 */
class MeshTest {
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).build();
    mesh = new Mesh(opt, loop, noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private FakeWire connect(String name) {
    return FakeWire.connect(name, mesh);
  }

  private static List<String> framesWith(FakeWire w, String needle) {
    return w.sent.stream().filter(f -> f.contains(needle)).collect(Collectors.toList());
  }

  @Test
  void acceptingSideSpeaksFirstAndAnswersHandshake() {
    FakeWire a = connect("a");
    assertThat(a.sent.get(0)).startsWith("{\"#\":").contains("\"dam\":\"?\"").contains("\"pid\":\"relaypid1\"");
    mesh.received(a, "{\"#\":\"rawhi0001\",\"dam\":\"?\",\"pid\":\"rawpid001\"}");
    await().until(() -> !framesWith(a, "\"@\":\"rawhi0001\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"rawhi0001\"").get(0)).contains("\"dam\":\"?\"").contains("\"pid\":\"relaypid1\"");
    // an answer (with @) is not answered again; "hi" is ignored
    int before = a.sent.size();
    mesh.received(a, "{\"dam\":\"?\",\"pid\":\"rawpid001\",\"@\":\"x\",\"#\":\"h2\"}");
    mesh.received(a, "{\"dam\":\"hi\",\"#\":\"h3\"}");
    mesh.received(a, "{\"#\":\"marker01\",\"get\":{\"#\":\"nothing\"}}");
    await().until(() -> !framesWith(a, "\"@\":\"marker01\"").isEmpty());
    assertThat(a.sent.subList(before, a.sent.size())).noneMatch(f -> f.contains("\"dam\""));
  }

  @Test
  void putIsAckedAndGetAnswersWithHashedSortedNode() {
    FakeWire a = connect("a");
    mesh.received(a, "{\"put\":{\"user/alice\":{\"_\":{\"#\":\"user/alice\",\">\":{\"name\":1795520872832,\"age\":1795520872832,\"admin\":1795520872832,\"score\":1795520872832}},\"name\":\"Alice\",\"age\":30,\"admin\":true,\"score\":1.5}},\"ok\":{\"@\":9,\"/\":1},\"#\":\"CHqAXSo1r\"}");
    await().until(() -> !framesWith(a, "\"@\":\"CHqAXSo1r\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"CHqAXSo1r\"").get(0)).matches("\\[?\\{\"#\":\"[^\"]+\",\"@\":\"CHqAXSo1r\",\"ok\":true}]?");

    FakeWire b = connect("b");
    mesh.received(b, "{\"get\":{\"#\":\"user/alice\"},\"#\":\"dyyPLeJ8a\"}");
    await().until(() -> !framesWith(b, "\"@\":\"dyyPLeJ8a\"").isEmpty());
    // the same reply text as the captured stock relay's (frames-02), less its junk FOO field
    assertThat(framesWith(b, "\"@\":\"dyyPLeJ8a\"").get(0))
        .contains("\"##\":1068460185")
        .contains("\"put\":{\"user/alice\":{\"_\":{\"#\":\"user/alice\",\">\":{\"admin\":1795520872832,\"age\":1795520872832,\"name\":1795520872832,\"score\":1795520872832}},\"admin\":true,\"age\":30,\"name\":\"Alice\",\"score\":1.5}}");
  }

  @Test
  void notFoundIsABareReplyAndTheGetIsForwardedWithRoute() {
    FakeWire a = connect("a");
    FakeWire b = connect("b");
    mesh.received(b, "{\"get\":{\"#\":\"nothing/here\"},\"#\":\"3PglAJPtk\"}");
    await().until(() -> !framesWith(b, "\"@\":\"3PglAJPtk\"").isEmpty());
    assertThat(framesWith(b, "\"@\":\"3PglAJPtk\"").get(0)).matches("\\[?\\{\"#\":\"[^\"]+\",\"@\":\"3PglAJPtk\"}]?");
    await().until(() -> !framesWith(a, "\"#\":\"3PglAJPtk\"").isEmpty());
    assertThat(framesWith(a, "\"#\":\"3PglAJPtk\"").get(0)).contains("\"><\":").contains("\"get\":{\"#\":\"nothing/here\"}");
    // a's not-found is redundant (b has ours) and dropped; a's data is routed to b only, the asker
    mesh.received(a, "{\"#\":\"nf0000001\",\"@\":\"3PglAJPtk\"}");
    mesh.received(a, "{\"#\":\"ans000001\",\"@\":\"3PglAJPtk\",\"put\":{\"nothing/here\":{\"_\":{\"#\":\"nothing/here\",\">\":{\"x\":1}},\"x\":1}}}");
    await().until(() -> !framesWith(b, "\"#\":\"ans000001\"").isEmpty());
    assertThat(framesWith(a, "ans000001")).isEmpty();
    assertThat(framesWith(b, "nf0000001")).isEmpty(); // processed before ans000001, in order
  }

  @Test
  void writesArePushedOnlyToSubscribersIncludingTheAuthor() {
    FakeWire a = connect("a");
    FakeWire b = connect("b");
    FakeWire c = connect("c");
    mesh.received(b, "{\"get\":{\"#\":\"live/counter\"},\"#\":\"subB00001\"}");
    mesh.received(a, "{\"get\":{\"#\":\"live/counter\"},\"#\":\"subA00001\"}");
    await().until(() -> !framesWith(a, "\"@\":\"subA00001\"").isEmpty());
    mesh.received(a, "{\"put\":{\"live/counter\":{\"_\":{\"#\":\"live/counter\",\">\":{\"n\":1795520885520}},\"n\":1}},\"#\":\"putA00001\"}");
    await().until(() -> !framesWith(b, "\"n\":1").isEmpty());
    await().until(() -> framesWith(a, "\"n\":1").stream().anyMatch(f -> !f.contains("putA00001")));
    String push = framesWith(b, "\"n\":1").get(0);
    assertThat(push).contains("\"ok\":{\"@\":2,\"/\":3}").contains("\"><\":").doesNotContain("\"@\":\"");
    // c never asked: it gets neither the write nor the push (GETs forwarded to it are fine)
    assertThat(c.sent).noneMatch(f -> f.contains("\"n\":1"));
  }

  @Test
  void subscribersOfTheSameChangesShareOnePushAndFieldSubscribersGetTheirKeyOnly() {
    FakeWire a = connect("a");
    FakeWire b = connect("b");
    FakeWire f = connect("f");
    mesh.received(a, "{\"get\":{\"#\":\"room\"},\"#\":\"subA00002\"}");
    mesh.received(b, "{\"get\":{\"#\":\"room\"},\"#\":\"subB00002\"}");
    mesh.received(f, "{\"get\":{\"#\":\"room\",\".\":\"topic\"},\"#\":\"subF00002\"}");
    await().until(() -> !framesWith(f, "\"@\":\"subF00002\"").isEmpty() && !framesWith(b, "\"@\":\"subB00002\"").isEmpty());
    FakeWire w = connect("w");
    mesh.received(w, "{\"put\":{\"room\":{\"_\":{\"#\":\"room\",\">\":{\"topic\":1795520885520,\"mood\":1795520885520}},\"topic\":\"jgun\",\"mood\":\"fine\"}},\"#\":\"putW00002\"}");
    await().until(() -> !framesWith(a, "\"mood\"").isEmpty() && !framesWith(b, "\"mood\"").isEmpty() && !framesWith(f, "\"topic\":\"jgun\"").isEmpty());
    String pushA = framesWith(a, "\"mood\"").get(0);
    String pushB = framesWith(b, "\"mood\"").get(0);
    assertThat(pushA).isEqualTo(pushB).contains("\"topic\":\"jgun\"");
    String pushF = framesWith(f, "\"topic\":\"jgun\"").get(0);
    assertThat(pushF).doesNotContain("mood");
    assertThat(w.sent).noneMatch(x -> x.contains("\"mood\":\"fine\"")); // the writer never asked
  }

  /** A writer whose clock runs ahead (here by 200 ms; a fraction of a millisecond is enough). */
  @Test
  void aPutOfOnlyFutureFieldsIsAckedOnceTheyComeDue() {
    FakeWire a = connect("a");
    long ahead = System.currentTimeMillis() + 200;
    mesh.received(a, "{\"#\":\"future001\",\"put\":{\"ahead/n\":{\"_\":{\"#\":\"ahead/n\",\">\":{\"x\":" + ahead + ".5}},\"x\":\"soon\"}}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !framesWith(a, "\"@\":\"future001\"").isEmpty());
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(ahead); // never before its time
    assertThat(framesWith(a, "\"@\":\"future001\"").get(0)).contains("\"ok\":true");
    mesh.received(a, "{\"#\":\"getahead1\",\"get\":{\"#\":\"ahead/n\"}}");
    await().until(() -> !framesWith(a, "\"@\":\"getahead1\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"getahead1\"").get(0)).contains("\"x\":\"soon\"");
  }

  @Test
  void oldSameAndInvalidWritesAreSilentAndCounted() {
    FakeWire a = connect("a");
    mesh.received(a, "{\"#\":\"rp1valid1\",\"put\":{\"raw/node\":{\"_\":{\"#\":\"raw/node\",\">\":{\"a\":1795520895075}},\"a\":\"hello\"}}}");
    await().until(() -> !framesWith(a, "\"@\":\"rp1valid1\"").isEmpty());
    mesh.received(a, "{\"#\":\"rp2same01\",\"put\":{\"raw/node\":{\"_\":{\"#\":\"raw/node\",\">\":{\"a\":1795520895075}},\"a\":\"hello\"}}}");
    mesh.received(a, "{\"#\":\"rp3older1\",\"put\":{\"raw/node\":{\"_\":{\"#\":\"raw/node\",\">\":{\"a\":1795520885075}},\"a\":\"older\"}}}");
    mesh.received(a, "{\"#\":\"rp5nostat\",\"put\":{\"raw/node\":{\"_\":{\"#\":\"raw/node\"},\"a\":\"x\"}}}");
    mesh.received(a, "{\"#\":\"rp1valid1\",\"put\":{\"raw/node\":{\"_\":{\"#\":\"raw/node\",\">\":{\"a\":1795520899999}},\"a\":\"dup id\"}}}");
    mesh.received(a, "{\"#\":\"marker02\",\"get\":{\"#\":\"raw/node\",\".\":\"a\"}}");
    await().until(() -> !framesWith(a, "\"@\":\"marker02\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"marker02\"").get(0)).contains("\"a\":\"hello\"");
    assertThat(a.sent).noneMatch(f -> f.contains("rp2same01") || f.contains("rp3older1") || f.contains("rp5nostat"));
    assertThat(mesh.stats().putsNoop.sum()).isEqualTo(2);
    assertThat(mesh.stats().putsInvalid.sum()).isEqualTo(1);
    assertThat(mesh.stats().duplicates.sum()).isEqualTo(1);
  }

  @Test
  void badFramesAreAnsweredWithDamErrorAndTheConnectionKeepsWorking() {
    FakeWire a = connect("a");
    mesh.received(a, "{\"#\":\"rp9badjs");
    await().until(() -> !framesWith(a, "DAM JSON parse error.").isEmpty());
    assertThat(framesWith(a, "DAM JSON parse error.").get(0)).contains("\"dam\":\"!\"");
    mesh.received(a, "[1,\"x\",null,{\"#\":\"okget0001\",\"get\":{\"#\":\"q\"}}]");
    await().until(() -> !framesWith(a, "\"@\":\"okget0001\"").isEmpty());
  }

  @Test
  void firstMessageGoesAloneThenBatchesAsArrays() {
    FakeWire a = connect("a");
    int before = a.sent.size();
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 20; i++) {
      if (i > 0) {
        batch.append(',');
      }
      batch.append("{\"#\":\"g").append(i).append("\",\"get\":{\"#\":\"none").append(i).append("\"}}");
    }
    mesh.received(a, batch.append(']').toString());
    await().until(() -> framesWith(a, "\"@\":\"g19\"").size() == 1);
    List<String> out = a.sent.subList(before, a.sent.size());
    assertThat(out.get(0)).startsWith("{").contains("\"@\":\"g0\"");
    assertThat(out.get(1)).startsWith("[").contains("\"@\":\"g1\"");
  }

  /** A graph engine whose GETs for souls starting with "slow/" wait for the test, or fail. */
  static final class SlowEngine implements GraphEngine {
    final GraphEngine inner = new MemoryGraphEngine(StateClock.system(), 1000);
    final CompletableFuture<Void> gate = new CompletableFuture<>();

    @Override public Merge merge(Graph incoming) { return inner.merge(incoming); }
    @Override public @Nullable Field field(String soul, String key) { return inner.field(soul, key); }
    @Override public @Nullable Graph read(String soul, @Nullable Lex key, @Nullable Double limit) { return inner.read(soul, key, limit); }
    @Override public @Nullable Graph readSouls(Lex soul, @Nullable Double limit) { return inner.readSouls(soul, limit); }
    @Override public long nextDeferralMillis() { return inner.nextDeferralMillis(); }
    @Override public Graph drainDeferred() { return inner.drainDeferred(); }

    @Override
    public CompletableFuture<@Nullable Graph> readAsync(String soul, @Nullable Lex key, @Nullable Double limit) {
      if (soul.startsWith("broken/")) {
        return CompletableFuture.failedFuture(new IllegalStateException("block checksum mismatch"));
      }
      if (soul.startsWith("thrown/")) {
        throw new java.util.NoSuchElementException(); // an engine bug: thrown, not a failed future
      }
      if (!soul.startsWith("slow/")) {
        return inner.readAsync(soul, key, limit);
      }
      Graph now = inner.read(soul, key, limit);
      return gate.thenApplyAsync(v -> now); // completes on another thread, as a store read does
    }
  }

  @Test
  void aSlowReadDoesNotStallTheMeshAndIsAnsweredWhenItCompletes() {
    mesh.close();
    SlowEngine engine = new SlowEngine();
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    mesh = new Mesh(MeshOptions.builder().pid("relaypid2").heartbeat(Duration.ZERO).build(), loop, noDial, engine, Ids.secure());
    mesh.start();
    FakeWire a = connect("a");
    mesh.received(a, "{\"#\":\"putslow01\",\"put\":{\"slow/n\":{\"_\":{\"#\":\"slow/n\",\">\":{\"x\":1795520895075}},\"x\":\"there\"}}}");
    await().until(() -> !framesWith(a, "\"@\":\"putslow01\"").isEmpty());
    mesh.received(a, "{\"#\":\"getslow01\",\"get\":{\"#\":\"slow/n\"}}");
    mesh.received(a, "{\"#\":\"getfast01\",\"get\":{\"#\":\"fast/n\"}}");
    await().until(() -> !framesWith(a, "\"@\":\"getfast01\"").isEmpty()); // served while the slow read waits
    assertThat(framesWith(a, "\"@\":\"getslow01\"")).isEmpty();
    engine.gate.complete(null);
    await().until(() -> !framesWith(a, "\"@\":\"getslow01\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"getslow01\"").get(0)).contains("\"x\":\"there\"").contains("\"##\":");
    // a read that fails is answered with err, and counted
    mesh.received(a, "{\"#\":\"getbroke1\",\"get\":{\"#\":\"broken/n\"}}");
    await().until(() -> !framesWith(a, "\"@\":\"getbroke1\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"getbroke1\"").get(0)).contains("\"err\":\"Error: read failed: block checksum mismatch\"");
    assertThat(mesh.stats().readsFailed.sum()).isEqualTo(1);
    // so is a read that throws (an engine bug), instead of leaving the asker waiting
    mesh.received(a, "{\"#\":\"getthrow1\",\"get\":{\"#\":\"thrown/n\"}}");
    await().until(() -> !framesWith(a, "\"@\":\"getthrow1\"").isEmpty());
    assertThat(framesWith(a, "\"@\":\"getthrow1\"").get(0)).contains("\"err\":\"Error: read failed: NoSuchElementException\"");
    assertThat(mesh.stats().readsFailed.sum()).isEqualTo(2);
  }
}
