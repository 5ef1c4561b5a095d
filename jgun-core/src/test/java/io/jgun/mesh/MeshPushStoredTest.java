package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.StateClock;
import io.jgun.graph.Value;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Mesh#pushStored}: fields another relay stored (a shared store's change feed) reach this
 * mesh's subscribers, and only them, without being merged into this mesh's graph again.
 */
class MeshPushStoredTest {
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).build();
    mesh = new Mesh(opt, Executors.newSingleThreadScheduledExecutor(), noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private void ask(FakeWire w, String get, String id) {
    mesh.received(w, "{\"get\":" + get + ",\"#\":\"" + id + "\"}");
    await().until(() -> w.sent.stream().anyMatch(f -> f.contains("\"@\":\"" + id + "\"")));
  }

  @Test
  void storedFieldsArePushedToSubscribersOnlyAndNotMergedAgain() {
    FakeWire soulSub = FakeWire.connect("soulSub", mesh);
    FakeWire fieldSub = FakeWire.connect("fieldSub", mesh);
    FakeWire other = FakeWire.connect("other", mesh);
    ask(soulSub, "{\"#\":\"remote\"}", "subS0001");
    ask(fieldSub, "{\"#\":\"remote\",\".\":\"x\"}", "subF0001");
    ask(other, "{\"#\":\"elsewhere\"}", "subO0001");
    int otherBefore = other.sent.size();

    mesh.pushStored(Graph.of(Node.builder("remote").put("x", new Value.Text("from-b"), 1_795_520_885_520L).build()));

    await().until(() -> soulSub.sent.stream().anyMatch(f -> f.contains("\"put\"") && f.contains("\"x\":\"from-b\"")));
    await().until(() -> fieldSub.sent.stream().anyMatch(f -> f.contains("\"put\"") && f.contains("\"x\":\"from-b\"")));
    // the graph here was not changed: a GET answers from this mesh's own engine, which never saw it
    ask(other, "{\"#\":\"remote\",\".\":\"x\"}", "get00001");
    assertThat(other.sent.subList(otherBefore, other.sent.size())).noneMatch(f -> f.contains("from-b"));
    // an empty graph is nothing to push
    mesh.pushStored(Graph.empty());
  }
}
