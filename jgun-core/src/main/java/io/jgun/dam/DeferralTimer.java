package io.jgun.dam;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Wakes its owner when the earliest deferred write comes due. A write whose state lies in the
 * future (a writer whose clock is ahead) is held back by the graph (docs/protocol.md §2.2) until
 * the state clock reaches it; something must then drain it in. This timer keeps one wake-up
 * scheduled, at the earliest due time the graph reports, and after each drain schedules the next,
 * until nothing is left.
 *
 * <p>At most one wake-up is pending: a deferral due later than the one scheduled adds nothing (the
 * drain then reschedules for it), one due earlier schedules an earlier wake-up. Time is the state
 * clock's, injected as epoch milliseconds; a wake-up that comes early drains nothing and simply
 * schedules again. A wake-up superseded by an earlier one does nothing when it fires, so one chain
 * of wake-ups runs, however many deferrals came in.
 *
 * <p>Confined to its owner's loop: {@link #deferred()} and the scheduled task run there.
 */
public final class DeferralTimer {

  /** Where the wake-up runs: the owner's loop, after a delay. */
  @FunctionalInterface
  public interface Scheduler {
    /** Runs {@code task} on the owner's loop once {@code delayMillis} (0 or more) have passed. */
    void schedule(Runnable task, long delayMillis);
  }

  /** No wake-up scheduled. */
  private static final long NONE = Long.MAX_VALUE;

  private final LongSupplier clockMillis;
  private final Scheduler scheduler;
  private final LongSupplier nextDue;
  private final Runnable drain;
  /** When the pending wake-up is due (epoch ms), or {@link #NONE}. */
  private long scheduledAt = NONE;

  /**
   * A timer.
   *
   * @param clockMillis the state clock's wall time, epoch milliseconds
   * @param scheduler runs the wake-up on the owner's loop
   * @param nextDue when the earliest deferred field comes due (epoch ms), {@link Long#MAX_VALUE}
   *     when none is deferred
   * @param drain takes in what came due (and does what follows from it: pushes, acks)
   */
  public DeferralTimer(LongSupplier clockMillis, Scheduler scheduler, LongSupplier nextDue, Runnable drain) {
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.nextDue = Objects.requireNonNull(nextDue, "nextDue");
    this.drain = Objects.requireNonNull(drain, "drain");
  }

  /** Some fields were deferred: makes sure a wake-up is scheduled for the earliest due. */
  public void deferred() {
    long due = nextDue.getAsLong();
    if (due == NONE || due >= scheduledAt) {
      return;
    }
    scheduledAt = due;
    scheduler.schedule(() -> wake(due), Math.max(0, due - clockMillis.getAsLong()));
  }

  /** When the pending wake-up is due (epoch ms), or {@link Long#MAX_VALUE} if none is pending. */
  public long scheduledAt() {
    return scheduledAt;
  }

  private void wake(long at) {
    if (at != scheduledAt) {
      return; // superseded by an earlier wake-up, which drained and scheduled its own successor
    }
    scheduledAt = NONE;
    try {
      drain.run();
    } finally {
      deferred();
    }
  }
}
