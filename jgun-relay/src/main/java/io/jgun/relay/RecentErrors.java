package io.jgun.relay;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last errors the status page shows, in words and counts ("3 puts refused by the SEA
 * firewall", "peer ws://…: connection closed"), never data. Bounded: the oldest go first.
 * Thread-safe.
 */
final class RecentErrors {
  /** Errors kept. */
  static final int MAX = 20;

  /** One error: when (epoch ms) and what. */
  record Error(long atMillis, String what) {}

  private final Clock clock;
  private final Deque<Error> errors = new ArrayDeque<>();

  RecentErrors(Clock clock) {
    this.clock = clock;
  }

  synchronized void add(String what) {
    errors.addLast(new Error(clock.millis(), what));
    while (errors.size() > MAX) {
      errors.removeFirst();
    }
  }

  /** The errors kept, newest first. */
  synchronized List<Error> newestFirst() {
    List<Error> out = new ArrayList<>(errors);
    java.util.Collections.reverse(out);
    return out;
  }
}
