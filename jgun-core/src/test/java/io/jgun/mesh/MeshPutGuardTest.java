package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The put guard hook: refused writes are acked with err, never merged, pushed or learnt. */
class MeshPutGuardTest {
  private Mesh mesh;
  private final java.util.concurrent.atomic.AtomicInteger prepared = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger carried = new java.util.concurrent.atomic.AtomicInteger();

  /** What the guard's preparation hands the loop: the put it was made for. */
  private record Note(io.jgun.graph.Graph put) implements io.jgun.wire.Message.Prepared {}

  @BeforeEach
  void setUp() {
    PutGuard denyDeny =
        new PutGuard() {
          @Override
          public Verdict check(io.jgun.graph.Graph put, FieldReader graph) {
            for (String s : put.nodes().keySet()) {
              if (s.startsWith("deny/")) {
                return PutGuard.reject(s, put.node(s).fields().keySet().iterator().next(), "Unverified data.");
              }
            }
            return PutGuard.ACCEPT;
          }

          @Override
          public Verdict check(io.jgun.graph.Graph put, FieldReader graph, io.jgun.wire.Message.Prepared note) {
            if (note instanceof Note n && n.put().equals(put)) {
              carried.incrementAndGet();
            }
            return check(put, graph);
          }

          @Override
          public io.jgun.wire.Message.Prepared prepare(io.jgun.graph.Graph put) {
            prepared.incrementAndGet();
            return new Note(put);
          }
        };
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).putGuard(denyDeny).build();
    mesh = new Mesh(opt, Executors.newSingleThreadScheduledExecutor(), noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private FakeWire connect(String name) {
    return FakeWire.connect(name, mesh);
  }

  private static List<String> with(FakeWire w, String needle) {
    return w.sent.stream().filter(f -> f.contains(needle)).collect(Collectors.toList());
  }

  @Test
  void refusedPutGetsErrAndReachesNobody() {
    FakeWire writer = connect("writer");
    FakeWire watcher = connect("watcher");
    for (String soul : List.of("deny/a", "ok/a")) {
      mesh.received(watcher, "{\"#\":\"sub-" + soul + "\",\"get\":{\"#\":\"" + soul + "\"}}");
      await().until(() -> !with(watcher, "\"@\":\"sub-" + soul + "\"").isEmpty());
    }
    mesh.received(writer, "{\"#\":\"forged0001\",\"put\":{\"deny/a\":{\"_\":{\"#\":\"deny/a\",\">\":{\"x\":1}},\"x\":\"Mallory\"}}}");
    await().until(() -> !with(writer, "\"@\":\"forged0001\"").isEmpty());
    assertThat(with(writer, "\"@\":\"forged0001\"").get(0)).contains("\"err\":\"Unverified data.\"").doesNotContain("\"ok\"");
    mesh.received(writer, "{\"#\":\"fine000001\",\"put\":{\"ok/a\":{\"_\":{\"#\":\"ok/a\",\">\":{\"x\":1}},\"x\":\"Alice\"}}}");
    await().until(() -> !with(writer, "\"@\":\"fine000001\"").isEmpty());
    assertThat(with(writer, "\"@\":\"fine000001\"").get(0)).contains("\"ok\":true");
    await().until(() -> !with(watcher, "Alice").isEmpty());
    assertThat(with(watcher, "Mallory")).isEmpty();
    // a reply carrying refused data is not learnt either
    mesh.received(writer, "{\"#\":\"reply00001\",\"@\":\"nobody\",\"put\":{\"deny/b\":{\"_\":{\"#\":\"deny/b\",\">\":{\"x\":1}},\"x\":\"Mallory\"}}}");
    mesh.received(writer, "{\"#\":\"read000001\",\"get\":{\"#\":\"deny/b\"}}");
    await().until(() -> !with(writer, "\"@\":\"read000001\"").isEmpty());
    assertThat(with(writer, "\"@\":\"read000001\"").get(0)).doesNotContain("Mallory");
    mesh.received(writer, "{\"#\":\"read000002\",\"get\":{\"#\":\"deny/a\"}}");
    await().until(() -> !with(writer, "\"@\":\"read000002\"").isEmpty());
    assertThat(with(writer, "\"@\":\"read000002\"").get(0)).doesNotContain("Mallory");
    assertThat(mesh.stats().putsForbidden.sum()).isEqualTo(2);
    assertThat(prepared.get()).as("prepare() saw every put, off the loop").isEqualTo(3);
    assertThat(carried.get()).as("what prepare() found reached the check of each put on the loop").isEqualTo(3);
    assertThat(mesh.stats().putsAccepted.sum()).isEqualTo(1);
  }
}
