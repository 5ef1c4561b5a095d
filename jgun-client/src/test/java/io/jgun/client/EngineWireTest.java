package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.dam.DamProtocol;
import io.jgun.dam.ReconnectPolicy;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.json.Json;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine against a recording connection: what it answers and sends, message by message, without sockets. */
class EngineWireTest {
  private static final String URL = "ws://relay.test/gun";

  private final FakeWire wire = new FakeWire("relay.test", null, true, URL);
  private final ClientLoop loop = new ClientLoop();
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
  private Engine engine;

  @BeforeEach
  void connect() {
    Ids ids = Ids.secure();
    Engine.Settings settings =
        new Engine.Settings(List.of(URL), AckPolicy.PEER, Duration.ofSeconds(30), Duration.ofSeconds(5), ReconnectPolicy.fixed(Duration.ofMillis(100)), 1000,
            StateClock.system(), StateClock.Millis.SYSTEM, ids, new ObjectMapper(), null, null);
    engine = new Engine(settings, loop, new SerialExecutor(callbacks), new MemoryGraphEngine(StateClock.system(), 1000), (url, listener) -> {
      listener.opened(wire);
      return CompletableFuture.completedFuture(wire);
    });
    engine.start();
    await().until(() -> engine.connected() == 1);
  }

  @AfterEach
  void close() {
    loop.shutdownNow();
    callbacks.shutdownNow();
  }

  private void receive(Message m) {
    engine.received(wire, MessageWriter.write(m));
  }

  private List<Message> sent(java.util.function.Predicate<Message> which) {
    return wire.messages().stream().filter(which).toList();
  }

  @Test
  void theRelaysHandshakeIsAnsweredOnceWithOurPid() {
    Message hi = Message.builder().id("hs1").dam(DamProtocol.DAM_HANDSHAKE).pid("relay-pid").build();
    receive(hi);
    receive(hi); // the same id again: a duplicate, dropped
    drainLoop(); // both frames handled: the loop runs tasks in order
    List<Message> answers = sent(m -> "hs1".equals(m.ack()));
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).dam()).isEqualTo(DamProtocol.DAM_HANDSHAKE);
    assertThat(answers.get(0).pid()).isNotBlank().isNotEqualTo("relay-pid");
  }

  @Test
  void aPutAsksForTheOwnWriteBudgetAndSettlesOnTheRelaysAck() throws Exception {
    CompletableFuture<Ack> put = new Chain(engine, Path.of("a"), null).put(Map.of("x", 1));
    await().until(() -> !sent(m -> m.put() != null).isEmpty());
    Message out = sent(m -> m.put() != null).get(0);
    assertThat(out.ok()).isEqualTo(DamProtocol.okBudget(DamProtocol.OK_BUDGET_OWN, 1));
    assertThat(engine.queued()).isEqualTo(1);
    receive(Message.builder().id("ack1").ack(out.id()).ok(Json.of(1)).build());
    Ack ack = join(put);
    assertThat(ack.peer()).isEqualTo(URL);
    assertThat(ack.local()).isFalse();
    assertThat(engine.queued()).isZero();
  }

  /** Returns once the loop has run every task submitted before this call. */
  private void drainLoop() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    loop.submit(() -> f.complete(null), f);
    f.join();
  }
}
