package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dedup table is swept on a timer, not only on traffic: once a relay goes quiet, the entries of
 * its last window (each holding the peer its message came from) still go when their window ends.
 */
class MeshDedupSweepTest {
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private Mesh mesh;

  @AfterEach
  void tearDown() {
    if (mesh != null) {
      mesh.close();
    }
    loop.shutdownNow();
  }

  private int dedupSize() throws Exception {
    return loop.submit(() -> mesh.dedupSize()).get(5, TimeUnit.SECONDS);
  }

  @Test
  void aQuietMeshForgetsTheEntriesOfAClosedPeerAfterTheWindow() throws Exception {
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO)
        .dedupAge(Duration.ofMillis(300)).build();
    mesh = new Mesh(opt, loop, false, noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
    FakeWire a = FakeWire.connect("a", mesh);
    mesh.received(a, "{\"#\":\"quiet0001\",\"put\":{\"s/q\":{\"_\":{\"#\":\"s/q\",\">\":{\"x\":1}},\"x\":\"y\"}}}");
    await().until(() -> a.sent.stream().anyMatch(f -> f.contains("\"@\":\"quiet0001\"")));
    assertThat(dedupSize()).as("the put's id is tracked").isPositive();
    a.close();

    // No more traffic: only the sweep can empty the table.
    await().atMost(Duration.ofSeconds(5)).until(() -> dedupSize() == 0);
  }
}
