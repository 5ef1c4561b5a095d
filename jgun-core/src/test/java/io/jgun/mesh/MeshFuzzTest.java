package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.fuzz.HostileFrames;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.testing.ManualLoop;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile frames ({@link HostileFrames}) from one peer into a mesh on a loop run by hand: no mesh
 * task throws, the hostile peer gets a bounded answer, and a well-behaved peer on the same mesh is
 * still served (its put acked, its GET answered) afterwards. CI runs jqwik's default tries; more:
 * {@code -Djqwik.tries.default=N} (see {@code io.jgun.fuzz.WireFuzzTest}).
 */
class MeshFuzzTest {
  private static final Duration HANG = Duration.ofSeconds(20);

  /** A seed frame's index: with a drawn long it makes the frame, so a failure reports two numbers. */
  @Provide
  Arbitrary<Integer> seedFrame() {
    return Arbitraries.integers().between(0, HostileFrames.seeds().size() - 1);
  }

  @Property
  void hostileFramesNeitherThrowNorStopTheMeshServingOthers(@ForAll("seedFrame") int which, @ForAll long seed) {
    String frame = HostileFrames.mutate(HostileFrames.seeds().get(which), new Random(seed));
    assertTimeoutPreemptively(HANG, () -> {
      ManualLoop loop = new ManualLoop();
      Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network"));
      MeshOptions o = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).clock(loop.wallClock()).ticker(loop::nanoTime).build();
      Mesh mesh = new Mesh(o, loop, false, noDial, new MemoryGraphEngine(new StateClock(loop.wallClock()), 1000), Ids.secure());
      try {
        mesh.start();
        loop.runDue();
        FakeWire bad = new FakeWire("bad", mesh);
        FakeWire good = new FakeWire("good", mesh);
        mesh.opened(bad);
        mesh.opened(good);
        loop.runDue();
        mesh.received(bad, frame);
        mesh.received(bad, frame); // a repeat meets dedup and what the first one stored
        loop.advance(3_000);
        assertThat(loop.failures).as("mesh tasks that threw on %s", abbreviate(frame)).isEmpty();
        long out = 0;
        for (String f : bad.sent) {
          out += f.length();
        }
        // bounded: answers to a frame are at most what it stored plus the replies' envelopes
        assertThat(out).isLessThanOrEqualTo(16L * frame.length() + 64 * 1024);

        mesh.received(good, "{\"#\":\"goodput1\",\"put\":{\"fuzz/probe\":{\"_\":{\"#\":\"fuzz/probe\",\">\":{\"v\":1}},\"v\":\"ok\"}}}");
        mesh.received(good, "{\"#\":\"goodget1\",\"get\":{\"#\":\"fuzz/probe\"}}");
        loop.advance(3_000);
        assertThat(good.sent).anyMatch(f -> f.contains("\"@\":\"goodput1\"") && f.contains("\"ok\""));
        assertThat(good.sent).anyMatch(f -> f.contains("\"@\":\"goodget1\"") && f.contains("\"v\":\"ok\""));
        assertThat(loop.failures).isEmpty();
      } finally {
        mesh.close();
        loop.runDue();
      }
    });
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " chars)";
  }
}
