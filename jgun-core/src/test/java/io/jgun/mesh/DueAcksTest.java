package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Acks for puts of only future fields: sent once all their fields came due and are durable. */
class DueAcksTest {
  /** The earliest deferred field's due time, as the graph engine reports it. */
  private long nextDue = Long.MAX_VALUE;
  private final List<String> acked = new ArrayList<>();
  private final ArrayDeque<Runnable> loopInbox = new ArrayDeque<>();
  private final DueAcks dueAcks =
      new DueAcks(() -> nextDue, (peer, putId, durable) -> acked.add(putId + (durable.isCompletedExceptionally() ? ":err" : ":ok")), loopInbox::add);
  private final Peer peer = new Peer(new FakeWire("writer", null), Ids.secure());

  private static Graph put(double... states) {
    Node.Builder b = Node.builder("s");
    for (int i = 0; i < states.length; i++) {
      b.put("k" + i, Value.text("v"), states[i]);
    }
    return Graph.of(b.build());
  }

  @Test
  void aPutIsAckedOnceTheEarliestFieldStillDeferredLiesAfterAllOfItsFields() {
    dueAcks.await(peer, "put000001", put(1000.5, 2000.25));
    dueAcks.await(peer, "put000002", put(3000));
    nextDue = 2001; // the field at 1000.5 came in; 2000.25 not yet (whole ms, rounded up)
    dueAcks.ackDue();
    assertThat(acked).isEmpty();
    nextDue = 3000; // 2000.25 came in
    dueAcks.ackDue();
    assertThat(acked).containsExactly("put000001:ok");
    nextDue = Long.MAX_VALUE; // nothing left deferred
    dueAcks.ackDue();
    assertThat(acked).containsExactly("put000001:ok", "put000002:ok");
    assertThat(dueAcks.size()).isZero();
  }

  @Test
  void anAckWaitsForTheDrainedFieldsToBeDurableAndReturnsOnTheLoop() {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    dueAcks.await(peer, "put000001", put(1000));
    dueAcks.drained(durable);
    dueAcks.ackDue();
    assertThat(acked).isEmpty();
    assertThat(loopInbox).isEmpty();
    durable.completeExceptionally(new IllegalStateException("disk full"));
    assertThat(acked).as("not on the store's thread").isEmpty();
    loopInbox.poll().run();
    assertThat(acked).containsExactly("put000001:err");
  }

  @Test
  void aWriterThatLeftGetsNoAck() {
    dueAcks.await(peer, "put000001", put(1000));
    peer.open = false;
    dueAcks.ackDue();
    assertThat(acked).isEmpty();
    assertThat(dueAcks.size()).isZero();
  }

  @Test
  void pastTheCapTheOldestPutIsForgotten() {
    for (int i = 0; i < DueAcks.MAX + 1; i++) {
      dueAcks.await(peer, "put" + i, put(1000 + i));
    }
    assertThat(dueAcks.size()).isEqualTo(DueAcks.MAX);
    dueAcks.ackDue();
    assertThat(acked).hasSize(DueAcks.MAX).doesNotContain("put0:ok").contains("put1:ok", "put" + DueAcks.MAX + ":ok");
  }
}
