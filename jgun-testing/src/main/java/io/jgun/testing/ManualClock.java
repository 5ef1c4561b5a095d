package io.jgun.testing;

import io.jgun.graph.StateClock;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock (epoch milliseconds) that moves only when told to; safe to read from any thread. */
public final class ManualClock implements StateClock.Millis {
  private final AtomicLong now;

  public ManualClock(long start) {
    this.now = new AtomicLong(start);
  }

  @Override
  public long millis() {
    return now.get();
  }

  /** Sets the time, backwards too (a clock stepped back by NTP). */
  public void set(long millis) {
    now.set(millis);
  }

  public void advance(long millis) {
    now.addAndGet(millis);
  }
}
