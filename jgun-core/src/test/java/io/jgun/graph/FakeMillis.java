package io.jgun.graph;

import java.util.concurrent.atomic.AtomicLong;

/** A wall clock that moves only when told to. */
final class FakeMillis implements StateClock.Millis {
  private final AtomicLong now;

  FakeMillis(long start) {
    this.now = new AtomicLong(start);
  }

  @Override
  public long millis() {
    return now.get();
  }

  void set(long millis) {
    now.set(millis);
  }

  void advance(long millis) {
    now.addAndGet(millis);
  }
}
