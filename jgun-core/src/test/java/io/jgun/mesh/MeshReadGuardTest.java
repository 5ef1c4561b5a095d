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

/** The read guard hook: a refused GET is answered with err, not read, subscribed or forwarded. */
class MeshReadGuardTest {
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    ReadGuard noSecrets = (soul, key) -> soul.startsWith("secret/") ? "not readable" : null;
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).readGuard(noSecrets).build();
    mesh = new Mesh(opt, Executors.newSingleThreadScheduledExecutor(), noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static List<String> with(FakeWire w, String needle) {
    return w.sent.stream().filter(f -> f.contains(needle)).collect(Collectors.toList());
  }

  @Test
  void refusedReadGetsErrAndNoPushes() {
    FakeWire writer = FakeWire.connect("writer", mesh);
    FakeWire reader = FakeWire.connect("reader", mesh);
    mesh.received(writer, "{\"#\":\"w1\",\"put\":{\"secret/a\":{\"_\":{\"#\":\"secret/a\",\">\":{\"x\":1}},\"x\":\"hidden\"}}}");
    await().until(() -> !with(writer, "\"@\":\"w1\"").isEmpty());
    mesh.received(reader, "{\"#\":\"g1\",\"get\":{\"#\":\"secret/a\"}}");
    await().until(() -> !with(reader, "\"@\":\"g1\"").isEmpty());
    assertThat(with(reader, "\"@\":\"g1\"").get(0)).contains("\"err\":\"not readable\"").doesNotContain("hidden");
    mesh.received(reader, "{\"#\":\"g2\",\"get\":{\"#\":{\"*\":\"secret/\"}}}");
    mesh.received(reader, "{\"#\":\"g3\",\"get\":{\"#\":\"open/a\"}}");
    await().until(() -> !with(reader, "\"@\":\"g3\"").isEmpty());
    // after the refusal, a new write to the secret node is not pushed to the reader
    mesh.received(writer, "{\"#\":\"w2\",\"put\":{\"secret/a\":{\"_\":{\"#\":\"secret/a\",\">\":{\"x\":2}},\"x\":\"hidden2\"}}}");
    await().until(() -> !with(writer, "\"@\":\"w2\"").isEmpty());
    mesh.received(writer, "{\"#\":\"w3\",\"put\":{\"open/a\":{\"_\":{\"#\":\"open/a\",\">\":{\"x\":2}},\"x\":\"shown\"}}}");
    await().until(() -> !with(reader, "shown").isEmpty());
    assertThat(with(reader, "hidden")).isEmpty();
    assertThat(mesh.stats().readsForbidden.sum()).isEqualTo(2); // the GET, and the node left out of the lex answer
  }
}
