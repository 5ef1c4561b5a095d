package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.engine.MemoryGraphEngine;
import io.jgun.graph.StateClock;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Frame;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every accepted write reaches every subscriber with the values it carried, in the order accepted
 * (docs/protocol.md §5.1); only a subscriber over its outbound bound gets the latest state instead.
 */
class MeshPushTest {
  private static final long STATE = 1_795_520_885_520L;
  private static final long CONFLATE_BYTES = 10_000;
  private final MessageReader reader = new MessageReader(1 << 20, 64, 10_000);
  private Mesh mesh;

  @BeforeEach
  void setUp() {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    Dialer noDial = (url, listener) -> CompletableFuture.failedFuture(new IllegalStateException("no network in this test"));
    MeshOptions opt = MeshOptions.builder().pid("relaypid1").heartbeat(Duration.ZERO).pushConflateBytes(CONFLATE_BYTES).build();
    mesh = new Mesh(opt, loop, noDial, new MemoryGraphEngine(StateClock.system(), 1000), Ids.secure());
    mesh.start();
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  private static String put(String id, String soul, String key, int value, long state) {
    return "{\"put\":{\"" + soul + "\":{\"_\":{\"#\":\"" + soul + "\",\">\":{\"" + key + "\":" + state + "}},\"" + key + "\":" + value + "}},\"#\":\"" + id + "\"}";
  }

  /** The values of {@code key} in the pushes {@code w} received, in the order received. */
  private List<Object> pushedValues(FakeWire w, String soul, String key) {
    List<Object> values = new ArrayList<>();
    for (String text : w.sent) {
      Frame f = reader.read(text);
      for (Message m : f.messages()) {
        if (m.put() != null && m.ack() == null && m.put().nodes().containsKey(soul)) {
          var field = m.put().nodes().get(soul).fields().get(key);
          if (field != null) {
            values.add(field.value().json());
          }
        }
      }
    }
    return values;
  }

  private void subscribe(FakeWire w, String get, String id) {
    mesh.received(w, "{\"get\":" + get + ",\"#\":\"" + id + "\"}");
    await().until(() -> w.sent.stream().anyMatch(f -> f.contains("\"@\":\"" + id + "\"")));
  }

  @Test
  void everyUpdateOfAFastStreamReachesEachSubscriberInOrder() {
    FakeWire soulSub = FakeWire.connect("soulSub", mesh);
    FakeWire fieldSub = FakeWire.connect("fieldSub", mesh);
    FakeWire writer = FakeWire.connect("writer", mesh);
    subscribe(soulSub, "{\"#\":\"live\"}", "subS0001");
    subscribe(fieldSub, "{\"#\":\"live\",\".\":\"v\"}", "subF0001");
    // pipelined, as fast as the mesh takes them: they land in one loop turn or several
    for (int i = 1; i <= 50; i++) {
      mesh.received(writer, put("w" + i, "live", "v", i, STATE + i));
    }
    // and several updates of one field in one frame
    StringBuilder frame = new StringBuilder("[");
    for (int i = 51; i <= 60; i++) {
      frame.append(i > 51 ? "," : "").append(put("w" + i, "live", "v", i, STATE + i));
    }
    mesh.received(writer, frame.append(']').toString());
    List<Object> expected = new ArrayList<>();
    for (long i = 1; i <= 60; i++) {
      expected.add(String.valueOf(i));
    }
    await().until(() -> pushedValues(soulSub, "live", "v").size() >= 60 && pushedValues(fieldSub, "live", "v").size() >= 60);
    assertThat(pushedValues(soulSub, "live", "v")).isEqualTo(expected);
    assertThat(pushedValues(fieldSub, "live", "v")).isEqualTo(expected);
    assertThat(mesh.stats().pushesConflated.sum()).isZero();
  }

  @Test
  void anUpdateThatLosesToANewerStateIsNotPushed() {
    FakeWire sub = FakeWire.connect("sub", mesh);
    FakeWire writer = FakeWire.connect("writer", mesh);
    subscribe(sub, "{\"#\":\"live\"}", "subS0002");
    mesh.received(writer, put("n1", "live", "v", 2, STATE + 2));
    mesh.received(writer, put("o1", "live", "v", 1, STATE + 1)); // older: HAM drops it
    mesh.received(writer, put("n2", "live", "v", 3, STATE + 3));
    await().until(() -> pushedValues(sub, "live", "v").size() >= 2);
    assertThat(pushedValues(sub, "live", "v")).containsExactly("2", "3");
  }

  @Test
  void aSubscriberOverItsOutboundBoundGetsTheLatestStateOnceItDrains() {
    FakeWire slow = FakeWire.connect("slow", mesh);
    FakeWire fast = FakeWire.connect("fast", mesh);
    FakeWire writer = FakeWire.connect("writer", mesh);
    subscribe(slow, "{\"#\":\"live\"}", "subL0003");
    subscribe(fast, "{\"#\":\"live\"}", "subF0003");
    slow.queued = CONFLATE_BYTES + 1;
    for (int i = 1; i <= 20; i++) {
      mesh.received(writer, put("c" + i, "live", "v", i, STATE + i));
    }
    await().until(() -> pushedValues(fast, "live", "v").size() >= 20);
    await().until(() -> mesh.stats().pushesConflated.sum() >= 20);
    assertThat(pushedValues(slow, "live", "v")).isEmpty();

    slow.queued = CONFLATE_BYTES / 2; // drained to half the bound
    await().until(() -> !pushedValues(slow, "live", "v").isEmpty());
    assertThat(pushedValues(slow, "live", "v")).containsExactly("20");
    // once drained, it is sent every update again
    mesh.received(writer, put("c21", "live", "v", 21, STATE + 21));
    mesh.received(writer, put("c22", "live", "v", 22, STATE + 22));
    await().until(() -> pushedValues(slow, "live", "v").size() >= 3);
    assertThat(pushedValues(slow, "live", "v")).containsExactly("20", "21", "22");
    assertThat(pushedValues(fast, "live", "v")).hasSize(22);
  }

  @Test
  void aLexGetSubscribesToTheWholeNodeAsGunJsDoes() {
    FakeWire lex = FakeWire.connect("lex", mesh);
    FakeWire field = FakeWire.connect("field", mesh);
    FakeWire writer = FakeWire.connect("writer", mesh);
    subscribe(lex, "{\"#\":\"doc\",\".\":{\"=\":\"c\"}}", "subX0004");
    subscribe(field, "{\"#\":\"doc\",\".\":\"c\"}", "subC0004");
    mesh.received(writer, put("b2put", "doc", "b2", 7, STATE + 1));
    mesh.received(writer, put("c1put", "doc", "c", 8, STATE + 2));
    await().until(() -> pushedValues(lex, "doc", "c").size() == 1 && pushedValues(field, "doc", "c").size() == 1);
    assertThat(pushedValues(lex, "doc", "b2")).containsExactly("7"); // a lex asker hears the whole node
    assertThat(pushedValues(field, "doc", "b2")).isEmpty(); // a plain field GET only its field
  }

  /** A put of only future fields reaches the relays this one dialed, whose subscribers see it come due. */
  @Test
  void aPutOfOnlyFutureFieldsIsForwardedToDialedRelays() throws Exception {
    List<FakeWire> dialed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Mesh relay = new Mesh(
        MeshOptions.builder().pid("relaypid2").heartbeat(Duration.ZERO).peer("ws://other.invalid/gun").build(),
        Executors.newSingleThreadScheduledExecutor(),
        (url, listener) -> {
          FakeWire w = new FakeWire("other", listener, true, url);
          dialed.add(w);
          listener.opened(w);
          return CompletableFuture.completedFuture(w);
        },
        new MemoryGraphEngine(StateClock.system(), 1000),
        Ids.secure());
    try (relay) {
      relay.start();
      await().until(() -> !dialed.isEmpty());
      FakeWire other = dialed.get(0);
      FakeWire writer = FakeWire.connect("writer", relay);
      long future = System.currentTimeMillis() + 60_000;
      relay.received(writer, put("fut00001", "doc", "f", 1, future));
      await().until(() -> other.sent.stream().anyMatch(f -> f.contains("\"#\":\"fut00001\"")));
    }
  }
}
