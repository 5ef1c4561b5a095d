package io.jgun.graph;

import java.util.Objects;

/**
 * The HAM state clock: exactly Gun.js's {@code Gun.state()} (docs/protocol.md §2.1).
 *
 * <p>A state is a JavaScript number of milliseconds since the epoch. Calls within the same
 * millisecond get {@code t + 1/999}, {@code t + 2/999}, … (which JavaScript prints as {@code
 * …763.001}, {@code …763.002}); because the comparison is against the last state returned (which
 * carries that fraction), once the counter grows it keeps growing until the wall clock passes the
 * last state. The clock is <em>not</em> strictly monotonic: if the wall clock goes backwards, so do
 * the states. {@link #drift(double) drift} is an offset added to every state (Gun's {@code
 * State.drift}, used by time-sync plugins).
 *
 * <p>Thread-safe: one clock is shared by everything a peer writes. The time source is injected so
 * tests can drive it; {@link #system()} reads {@link System#currentTimeMillis()}.
 */
public final class StateClock {

  /** Gun's divisor for same-millisecond states ({@code D = 999}). */
  static final double D = 999;

  /** A source of wall-clock milliseconds since the epoch (JavaScript's {@code +new Date}). */
  @FunctionalInterface
  public interface Millis {
    /** The current wall-clock time in milliseconds since the epoch. */
    long millis();

    /** The system wall clock. */
    Millis SYSTEM = System::currentTimeMillis;
  }

  private final Millis millis;
  // Guarded by this. A peer calls next() once per local write and once per HAM step, from more than
  // one thread (user code and the mesh), so a plain monitor: it is held for a few arithmetic ops.
  private double last = Double.NEGATIVE_INFINITY;
  private long n;
  private double drift;

  /** A clock over the given time source. */
  public StateClock(Millis millis) {
    this.millis = Objects.requireNonNull(millis, "millis");
  }

  /** A clock over the system wall clock. */
  public static StateClock system() {
    return new StateClock(Millis.SYSTEM);
  }

  /**
   * The next state: {@code Gun.state()}. If the wall clock has passed the last state, the state is
   * {@code now + drift}; otherwise {@code now + (++n)/999 + drift}.
   */
  public synchronized double next() {
    double t = millis.millis();
    if (last < t) {
      n = 0;
      last = t + drift;
      return last;
    }
    // Same association as JavaScript's t + ((N += 1) / D) + drift, so the doubles are bit-identical.
    last = t + (++n) / D + drift;
    return last;
  }

  /** The offset added to every state, in milliseconds (Gun's {@code State.drift}; default 0). */
  public synchronized double drift() {
    return drift;
  }

  /**
   * Sets the offset added to every state from now on. It must be finite; like Gun.js, changing it
   * does not reset the same-millisecond counter.
   */
  public synchronized void drift(double drift) {
    if (!Double.isFinite(drift)) {
      throw new IllegalArgumentException("drift must be finite: " + drift);
    }
    this.drift = drift;
  }
}
