package io.jgun.dam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeferralTimerTest {

  /** A clock and a scheduler run by hand: tasks run when the clock is advanced past their time. */
  private static final class ManualTime implements DeferralTimer.Scheduler {
    long now = 1_000_000;
    private final List<long[]> times = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();

    @Override
    public void schedule(Runnable task, long delayMillis) {
      delays.add(delayMillis);
      times.add(new long[] {now + delayMillis, tasks.size()});
      tasks.add(task);
    }

    /** Moves the clock to {@code to}, running every task due by then in time order. */
    void advanceTo(long to) {
      while (true) {
        long[] next = times.stream().filter(t -> t[0] <= to).min(Comparator.<long[]>comparingLong(t -> t[0]).thenComparingLong(t -> t[1])).orElse(null);
        if (next == null) {
          break;
        }
        times.remove(next);
        now = Math.max(now, next[0]);
        tasks.get((int) next[1]).run();
      }
      now = to;
    }

    int pending() {
      return times.size();
    }
  }

  /** Deferred fields by due time, as a graph engine holds them; drained when the clock reaches them. */
  private final TreeMap<Long, Integer> deferred = new TreeMap<>();
  private final ManualTime time = new ManualTime();
  private final List<Long> drainedAt = new ArrayList<>();
  private final DeferralTimer timer =
      new DeferralTimer(
          () -> time.now,
          time,
          () -> deferred.isEmpty() ? Long.MAX_VALUE : deferred.firstKey(),
          () -> {
            drainedAt.add(time.now);
            deferred.headMap(time.now, true).clear();
          });

  private void defer(long due) {
    deferred.merge(due, 1, Integer::sum);
    timer.deferred();
  }

  @Test
  void nothingDeferredSchedulesNothing() {
    timer.deferred();
    assertThat(time.pending()).isZero();
    assertThat(timer.scheduledAt()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aDeferralIsDrainedWhenItComesDue() {
    defer(time.now + 500);
    assertThat(time.delays).containsExactly(500L);
    time.advanceTo(time.now + 499);
    assertThat(drainedAt).isEmpty();
    time.advanceTo(time.now + 1);
    assertThat(drainedAt).containsExactly(1_000_500L);
    assertThat(deferred).isEmpty();
    assertThat(time.pending()).as("nothing left: no further wake-up").isZero();
  }

  @Test
  void laterDeferralsAddNoWakeUpAndAreDrainedInTurn() {
    defer(time.now + 100);
    defer(time.now + 300);
    defer(time.now + 200);
    assertThat(time.pending()).isOne();
    time.advanceTo(time.now + 1000);
    assertThat(drainedAt).containsExactly(1_000_100L, 1_000_200L, 1_000_300L);
    assertThat(time.pending()).isZero();
  }

  @Test
  void anEarlierDeferralWakesEarlierAndTheSupersededWakeUpDoesNothing() {
    defer(time.now + 300);
    defer(time.now + 100);
    assertThat(time.pending()).isEqualTo(2);
    assertThat(timer.scheduledAt()).isEqualTo(1_000_100L);
    time.advanceTo(time.now + 1000);
    // the wake-up at +100 drains it and schedules +300; the superseded one at +300 only fires
    assertThat(drainedAt).containsExactly(1_000_100L, 1_000_300L);
    assertThat(deferred).isEmpty();
    assertThat(time.pending()).isZero();
  }

  @Test
  void aDueTimeInThePastWakesAtOnce() {
    defer(time.now - 50);
    assertThat(time.delays).containsExactly(0L);
    time.advanceTo(time.now);
    assertThat(drainedAt).hasSize(1);
  }

  @Test
  void aWakeUpThatComesEarlyDrainsNothingAndSchedulesAgain() {
    DeferralTimer early =
        new DeferralTimer(
            () -> time.now - 10, // the scheduler's clock runs 10 ms ahead of the state clock
            time,
            () -> deferred.isEmpty() ? Long.MAX_VALUE : deferred.firstKey(),
            () -> deferred.headMap(time.now - 10, true).clear());
    deferred.put(time.now + 100, 1);
    early.deferred();
    time.advanceTo(time.now + 100);
    assertThat(deferred).as("not yet due by the state clock").isNotEmpty();
    assertThat(time.pending()).isOne();
    time.advanceTo(time.now + 10);
    assertThat(deferred).isEmpty();
    assertThat(time.pending()).isZero();
  }
}
