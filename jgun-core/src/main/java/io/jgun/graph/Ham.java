package io.jgun.graph;

import org.jspecify.annotations.Nullable;

/**
 * HAM, GUN's conflict resolution (docs/protocol.md §2.2): decides, for one incoming field, whether
 * it replaces the field the graph holds.
 *
 * <p>Like H2 MVStore's decision makers, this only decides; the caller applies the decision. The
 * rules, in Gun.js's order:
 *
 * <ol>
 *   <li>{@link Decision#DEFER}: the incoming state is in the future ({@code state > now}); re-run the
 *       decision later, after {@link #deferDelay(double, double)} milliseconds.
 *   <li>{@link Decision#DROP_HISTORICAL}: the incoming state is older than the held one.
 *   <li>Equal states: the {@code JSON.stringify} texts are compared as JavaScript strings (UTF-16
 *       code units, which is {@link String#compareTo}); the incoming value wins only if its text is
 *       strictly greater ({@link Decision#ACCEPT}), else {@link Decision#DROP_SAME}. So {@code "b"}
 *       beats {@code "a"}, {@code 9} beats {@code 10}, and across types {@code "…} &lt; {@code -}
 *       &lt; digits &lt; {@code false} &lt; {@code null} &lt; {@code true} &lt; links
 *       (docs/protocol.md §8.20).
 *   <li>Otherwise (newer state) {@link Decision#ACCEPT}.
 * </ol>
 *
 * <p>This runs on every field of every put, so it is allocation-free and only serializes values
 * when the states are equal and the values differ.
 */
public final class Ham {
  private Ham() {}

  /**
   * The longest timer Gun.js arms for a future field: {@code 2^31 - 1} ms (about 24.8 days), the
   * largest delay {@code setTimeout} accepts (docs/protocol.md §8.19).
   */
  public static final double MAX_DEFER_MILLIS = 2147483647;

  /** What to do with one incoming field. */
  public enum Decision {
    /** Store the incoming field: it replaces the held one (or there was none). */
    ACCEPT,
    /** Drop the incoming field: its state is older than the held one. */
    DROP_HISTORICAL,
    /** Drop the incoming field: same state and its text is not greater (includes identical values). */
    DROP_SAME,
    /** Hold the incoming field and decide again later: its state is ahead of {@code now}. */
    DEFER
  }

  /**
   * Decides what to do with an incoming field.
   *
   * @param incomingState the incoming field's state
   * @param incoming the incoming value
   * @param currentState the held field's state, {@link Double#NEGATIVE_INFINITY} when there is none
   *     (Gun's {@code State.is})
   * @param current the held value, null when there is none
   * @param now the current state ({@code Gun.state()} in Gun.js, taken when the field is processed)
   */
  public static Decision decide(
      double incomingState,
      Value incoming,
      double currentState,
      @Nullable Value current,
      double now) {
    if (incomingState > now) {
      return Decision.DEFER;
    }
    if (incomingState < currentState) {
      return Decision.DROP_HISTORICAL;
    }
    if (incomingState == currentState) {
      // Gun.js: val === known || L(val) <= L(known). With no held value L(known) is undefined and the
      // comparison is false, so the incoming field is accepted.
      if (current == null) {
        return Decision.ACCEPT;
      }
      if (incoming.equals(current)) {
        return Decision.DROP_SAME; // identical values serialize identically: skip the JSON text
      }
      return incoming.json().compareTo(current.json()) > 0 ? Decision.ACCEPT : Decision.DROP_SAME;
    }
    return Decision.ACCEPT;
  }

  /** Decides for an incoming field against a held field, or none. */
  public static Decision decide(Field incoming, @Nullable Field current, double now) {
    return current == null
        ? decide(incoming.state(), incoming.value(), Double.NEGATIVE_INFINITY, null, now)
        : decide(incoming.state(), incoming.value(), current.state(), current.value(), now);
  }

  /**
   * How long to wait before deciding again on a {@link Decision#DEFER deferred} field, in
   * milliseconds: {@code min(state - now, 2^31 - 1)}, as Gun.js arms its timer. When the delay is
   * capped the field is still future when the timer fires and is deferred again.
   */
  public static double deferDelay(double incomingState, double now) {
    double d = incomingState - now;
    return d > MAX_DEFER_MILLIS ? MAX_DEFER_MILLIS : d;
  }
}
