package io.jgun.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KitTest {
  @Test
  void drainRunsQueuedAndScheduledTasksInTimeOrderUntilNoneIsLeft() {
    ManualLoop loop = new ManualLoop();
    List<String> ran = new ArrayList<>();
    loop.execute(() -> {
      ran.add("a");
      loop.schedule(() -> ran.add("c"), 9, TimeUnit.MILLISECONDS);
    });
    loop.execute(() -> ran.add("b"));
    assertThat(loop.drain()).isEqualTo(3);
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(loop.nanoTime()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(9));
    assertThat(loop.drain()).isZero();
  }

  @Test
  void advanceRunsEachTaskWhenItsTimeComesAndPeriodicOnesAgain() {
    ManualLoop loop = new ManualLoop();
    List<Long> at = new ArrayList<>();
    loop.scheduleWithFixedDelay(() -> at.add(TimeUnit.NANOSECONDS.toMillis(loop.nanoTime())), 10, 10, TimeUnit.MILLISECONDS);
    loop.advance(35);
    assertThat(at).containsExactly(10L, 20L, 30L);
    assertThat(loop.pending()).isEqualTo(1);
  }

  @Test
  void aFakeWireReadsWhatWasSentAsMessagesAndFailsOnAnyNotTaken() {
    FakeWire w = new FakeWire("peer", null);
    w.send("[{\"#\":\"m1\",\"get\":{\"#\":\"a\"}},{\"#\":\"m2\",\"@\":\"m1\",\"ok\":1}]");
    assertThat(w.next().id()).isEqualTo("m1");
    assertThatThrownBy(w::expectNothingElse).isInstanceOf(AssertionError.class).hasMessageContaining("m2");
    assertThat(w.next().ack()).isEqualTo("m1");
    w.expectNothingElse();
    assertThatThrownBy(w::next).isInstanceOf(AssertionError.class);
  }

  @Test
  void aClosedFakeWireRefusesToSend() {
    FakeWire w = new FakeWire("peer", null);
    w.close();
    assertThat(w.send("{\"#\":\"m1\"}")).isFalse();
    assertThat(w.sent).isEmpty();
  }

  @Test
  void aManualClockMovesOnlyWhenTold() {
    ManualClock c = new ManualClock(1_000);
    assertThat(c.millis()).isEqualTo(1_000);
    c.advance(5);
    assertThat(c.millis()).isEqualTo(1_005);
    c.set(900);
    assertThat(c.millis()).isEqualTo(900);
  }
}
