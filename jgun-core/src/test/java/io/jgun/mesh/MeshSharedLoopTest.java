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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mesh whose loop is shared with a transport (a relay runs it on one of its I/O threads): frames
 * that arrive on the loop's thread are handled at once, never inside other mesh code, and closing
 * the mesh leaves the loop to its owner.
 */
class MeshSharedLoopTest {
  private ScheduledExecutorService loop;
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    loop = Executors.newSingleThreadScheduledExecutor();
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).build();
    mesh = new Mesh(opt, loop, false, noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
    loop.shutdownNow();
  }

  private static String put(String id, String soul) {
    return "{\"#\":\"" + id + "\",\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"x\":1}},\"x\":\"y\"}}}";
  }

  private static List<String> framesWith(FakeWire w, String needle) {
    return w.sent.stream().filter(f -> f.contains(needle)).collect(Collectors.toList());
  }

  @Test
  void aFrameArrivingOnTheLoopThreadIsHandledBeforeTheCallReturns() throws Exception {
    FakeWire a = FakeWire.connect("a", mesh);
    // The transport's callback runs on the loop's thread, as an I/O thread that is the mesh loop.
    int acks =
        loop.submit(
                () -> {
                  mesh.received(a, put("inline001", "s/inline"));
                  return framesWith(a, "\"@\":\"inline001\"").size();
                })
            .get(5, TimeUnit.SECONDS);
    assertThat(acks).isEqualTo(1);
    assertThat(framesWith(a, "\"@\":\"inline001\"").get(0)).contains("\"ok\":true");
  }

  @Test
  void aFrameArrivingFromInsideMeshCodeWaitsForItsTurn() throws Exception {
    AtomicReference<Integer> nestedAcksRightAway = new AtomicReference<>();
    FakeWire[] self = new FakeWire[1];
    FakeWire a =
        new FakeWire("a", mesh) {
          @Override
          public boolean send(String frame) {
            boolean sent = super.send(frame);
            if (frame.contains("\"@\":\"outer0001\"") && nestedAcksRightAway.get() == null) {
              // a transport callback re-entering the mesh from inside its own send
              mesh.received(self[0], put("nested001", "s/nested"));
              nestedAcksRightAway.set(framesWith(self[0], "\"@\":\"nested001\"").size());
            }
            return sent;
          }
        };
    self[0] = a;
    mesh.opened(a);
    await().until(() -> !a.sent.isEmpty());
    loop.submit(() -> mesh.received(a, put("outer0001", "s/outer"))).get(5, TimeUnit.SECONDS);
    await().until(() -> nestedAcksRightAway.get() != null);
    assertThat(nestedAcksRightAway.get()).isZero(); // queued, not run inside the outer frame's send
    await().until(() -> !framesWith(a, "\"@\":\"nested001\"").isEmpty());
  }

  @Test
  void closingLeavesTheSharedLoopRunningAndTheMeshStopped() throws Exception {
    FakeWire a = FakeWire.connect("a", mesh);
    mesh.close();
    assertThat(a.isOpen()).isFalse();
    assertThat(loop.isShutdown()).isFalse();
    assertThat(loop.submit(() -> "still running").get(5, TimeUnit.SECONDS)).isEqualTo("still running");
    FakeWire late = new FakeWire("late", mesh);
    mesh.opened(late);
    assertThat(late.isOpen()).isFalse(); // a closed mesh takes no connections
  }

  @Test
  void closingFromTheLoopThreadItselfDoesNotWaitForItself() throws Exception {
    FakeWire a = FakeWire.connect("a", mesh);
    loop.submit(mesh::close).get(5, TimeUnit.SECONDS);
    assertThat(a.isOpen()).isFalse();
  }
}
