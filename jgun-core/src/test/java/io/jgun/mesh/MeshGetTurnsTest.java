package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A GET is forwarded in Gun.js AXE's turns (docs/protocol.md §5.1): three peers a turn, subscribers
 * first, until someone answers; not to every subscriber of a popular soul at once.
 */
class MeshGetTurnsTest {
  /** Long enough that a test sees one turn's forwards before the next turn's (it polls every 5 ms). */
  private static final Duration TURN = Duration.ofMillis(400);
  private ScheduledExecutorService loop;
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    start(MeshOptions.builder().getWaveInterval(TURN));
  }

  /** (Re)starts the mesh under test with {@code options}, on a loop of its own. */
  private void start(MeshOptions.Builder options) {
    if (mesh != null) {
      mesh.close();
    }
    loop = Executors.newSingleThreadScheduledExecutor();
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = options.pid("relaypid1").heartbeat(Duration.ZERO).build();
    mesh = new Mesh(opt, loop, noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static boolean heard(FakeWire w, String getId) {
    return w.sent.stream().anyMatch(f -> f.contains("\"#\":\"" + getId + "\"") && f.contains("\"get\""));
  }

  private static long heardBy(List<FakeWire> peers, String getId) {
    return peers.stream().filter(w -> heard(w, getId)).count();
  }

  private List<FakeWire> subscribers(int n, String soul) {
    List<FakeWire> subs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeWire w = FakeWire.connect("sub" + i, mesh);
      String id = "sub" + i + "get";
      mesh.received(w, "{\"get\":{\"#\":\"" + soul + "\"},\"#\":\"" + id + "\"}");
      await().until(() -> w.sent.stream().anyMatch(f -> f.contains("\"@\":\"" + id + "\"")));
      subs.add(w);
    }
    return subs;
  }

  /** Lets {@code turns} forwarding turns pass: runs after the loop's timers for them are due. */
  private void waitTurns(int turns) throws InterruptedException {
    CountDownLatch passed = new CountDownLatch(1);
    loop.schedule(passed::countDown, TURN.toMillis() * turns + 5, TimeUnit.MILLISECONDS);
    assertThat(passed.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aGetWeAnsweredIsForwardedToOneTurnOfSubscribers() throws InterruptedException {
    List<FakeWire> subs = subscribers(8, "popular");
    FakeWire writer = FakeWire.connect("writer", mesh);
    mesh.received(writer, "{\"put\":{\"popular\":{\"_\":{\"#\":\"popular\",\">\":{\"n\":1795520885520}},\"n\":1}},\"#\":\"putP0001\"}");
    FakeWire asker = FakeWire.connect("asker", mesh);
    mesh.received(asker, "{\"get\":{\"#\":\"popular\"},\"#\":\"askP0001\"}");
    await().pollInterval(Duration.ofMillis(5)).until(() -> heardBy(subs, "askP0001") == 3);
    waitTurns(3); // nobody replies: Gun.js stops after one turn all the same, its own answer counts

    assertThat(heardBy(subs, "askP0001")).isEqualTo(3);
    assertThat(heard(writer, "askP0001")).isFalse();
  }

  /** A peer that connects during the first turn of a GET nobody could answer is asked in the second (PANIC holy-grail). */
  @Test
  void aGetNobodyAnswersReachesAPeerThatConnectsDuringItsFirstTurn() {
    FakeWire asker = FakeWire.connect("asker", mesh);
    mesh.received(asker, "{\"get\":{\"#\":\"holy\"},\"#\":\"askH0001\"}");
    await().until(() -> asker.sent.stream().anyMatch(f -> f.contains("\"@\":\"askH0001\"")));
    FakeWire late = FakeWire.connect("late", mesh); // within the 400 ms turn
    await().until(() -> heard(late, "askH0001"));
  }

  /** Gun.js's turn goes to the soul's subscribers (its route); with none, a GET it answered goes nowhere. */
  @Test
  void aGetWeAnsweredWithNoOtherSubscribersIsNotForwarded() throws InterruptedException {
    List<FakeWire> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(FakeWire.connect("other" + i, mesh));
    }
    FakeWire writer = FakeWire.connect("writer", mesh);
    mesh.received(writer, "{\"put\":{\"quiet\":{\"_\":{\"#\":\"quiet\",\">\":{\"n\":1795520885520}},\"n\":1}},\"#\":\"putQ0001\"}");
    FakeWire asker = FakeWire.connect("asker", mesh);
    mesh.received(asker, "{\"get\":{\"#\":\"quiet\"},\"#\":\"askQ0001\"}");
    await().until(() -> asker.sent.stream().anyMatch(f -> f.contains("\"@\":\"askQ0001\"")));
    waitTurns(2);
    assertThat(heardBy(others, "askQ0001")).isZero();
    assertThat(heard(writer, "askQ0001")).isFalse();
  }

  @Test
  void aGetNobodyAnswersWalksEveryPeerThreeATurn() throws InterruptedException {
    List<FakeWire> subs = subscribers(4, "rare");
    List<FakeWire> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(FakeWire.connect("other" + i, mesh));
    }
    FakeWire asker = FakeWire.connect("asker", mesh);
    mesh.received(asker, "{\"get\":{\"#\":\"rare\"},\"#\":\"askR0001\"}");
    await().pollInterval(Duration.ofMillis(5)).until(() -> heardBy(subs, "askR0001") == 3);
    assertThat(heardBy(others, "askR0001")).isZero(); // subscribers are asked first
    await().until(() -> heardBy(subs, "askR0001") == 4 && heardBy(others, "askR0001") == 4);
    assertThat(heard(asker, "askR0001")).isFalse();
  }

  @Test
  void turnsStopOnceAPeerAnswersWithData() throws InterruptedException {
    List<FakeWire> peers = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      peers.add(FakeWire.connect("p" + i, mesh));
    }
    FakeWire asker = FakeWire.connect("asker", mesh);
    mesh.received(asker, "{\"get\":{\"#\":\"elsewhere\"},\"#\":\"askE0001\"}");
    await().pollInterval(Duration.ofMillis(5)).until(() -> heardBy(peers, "askE0001") == 3);
    FakeWire first = peers.stream().filter(w -> heard(w, "askE0001")).findFirst().orElseThrow();
    mesh.received(first, "{\"#\":\"ansE0001\",\"@\":\"askE0001\",\"put\":{\"elsewhere\":{\"_\":{\"#\":\"elsewhere\",\">\":{\"x\":1}},\"x\":1}}}");
    await().until(() -> asker.sent.stream().anyMatch(f -> f.contains("ansE0001")));
    waitTurns(3);
    assertThat(heardBy(peers, "askE0001")).isLessThanOrEqualTo(6); // at most the turn already under way
  }

  /** A large node is answered in chunks of replyChunkFields fields, all to the same GET, "%" while more follow. */
  @Test
  void aLargeNodeIsAnsweredInChunks() {
    start(MeshOptions.builder().replyChunkFields(3));
    FakeWire writer = FakeWire.connect("writer", mesh);
    StringBuilder states = new StringBuilder();
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      states.append(i > 0 ? "," : "").append("\"k").append(i).append("\":1795520885520");
      fields.append(",\"k").append(i).append("\":").append(i);
    }
    mesh.received(writer, "{\"put\":{\"wide\":{\"_\":{\"#\":\"wide\",\">\":{" + states + "}}" + fields + "}},\"#\":\"putW0001\"}");
    await().until(() -> writer.sent.stream().anyMatch(f -> f.contains("\"@\":\"putW0001\"")));
    FakeWire reader = FakeWire.connect("reader", mesh);
    mesh.received(reader, "{\"get\":{\"#\":\"wide\"},\"#\":\"getW0001\"}");
    await().until(() -> reader.sent.stream().filter(f -> f.contains("\"k6\"")).count() == 1);
    java.util.List<String> answers = new java.util.ArrayList<>();
    for (String frame : reader.sent) {
      for (String m : frame.split("(?<=}}}),(?=\\{)")) {
        if (m.contains("\"@\":\"getW0001\"")) {
          answers.add(m);
        }
      }
    }
    assertThat(answers).hasSize(3);
    assertThat(answers.get(0)).contains("\"%\":1").contains("\"k0\"").contains("\"k2\"").doesNotContain("\"k3\"");
    assertThat(answers.get(1)).contains("\"%\":1").contains("\"k5\"");
    assertThat(answers.get(2)).doesNotContain("\"%\"").contains("\"k6\"");
  }
}
