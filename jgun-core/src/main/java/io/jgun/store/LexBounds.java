package io.jgun.store;

import io.jgun.graph.Lex;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The smallest interval of strings (in JavaScript order: UTF-16 code units, {@link
 * String#compareTo}) that holds every string a {@link Lex} matches: what a sorted store seeks to
 * and where it stops. A scan still checks each candidate with {@link Lex#matches}, which keeps
 * Gun.js's quirks exact (an empty {@code >} matching everything, a {@code >} prefix matching beyond
 * {@code <}); the interval only keeps the scan short.
 *
 * <p>{@link Lex#matches} accepts the union of at most three sets, which this covers: the one
 * string it compares first for equality, the strings starting with {@code *} (or {@code >}), and
 * the range {@code >..<}.
 */
public final class LexBounds {
  private final @Nullable String lower;
  private final @Nullable String upper;
  private final boolean upperInclusive;

  private LexBounds(@Nullable String lower, @Nullable String upper, boolean upperInclusive) {
    this.lower = lower;
    this.upper = upper;
    this.upperInclusive = upperInclusive;
  }

  /** The interval of {@code lex}, or null when it can match nothing. */
  public static @Nullable LexBounds of(Lex lex) {
    Objects.requireNonNull(lex, "lex");
    Acc acc = new Acc();
    String eq = lex.eq();
    String prefix = lex.prefix();
    String from = lex.from();
    String to = lex.to();
    String first = set(eq) ? eq : set(prefix) ? prefix : set(from) ? from : to;
    if (first != null) {
      acc.add(first, first, true);
    }
    if (eq != null) {
      return acc.result();
    }
    String start = set(prefix) ? prefix : from;
    if (start != null) {
      String succ = successor(start);
      acc.add(start, succ, false);
    }
    if (prefix != null) {
      return acc.result();
    }
    if (from != null || to != null) {
      if (from == null || to == null || from.compareTo(to) <= 0) {
        acc.add(from, to, true);
      }
    }
    return acc.result();
  }

  /**
   * The smallest string greater than every string that starts with {@code p}, or null when there is
   * none (p is empty or all {@code \uFFFF}).
   */
  public static @Nullable String successor(String p) {
    int end = p.length();
    while (end > 0 && p.charAt(end - 1) == Character.MAX_VALUE) {
      end--;
    }
    if (end == 0) {
      return null;
    }
    return p.substring(0, end - 1) + (char) (p.charAt(end - 1) + 1);
  }

  /** The least string of the interval (inclusive), or null when it is unbounded below. */
  public @Nullable String lower() {
    return lower;
  }

  /** The upper end of the interval, or null when it is unbounded above. */
  public @Nullable String upper() {
    return upper;
  }

  /** Whether {@link #upper()} itself belongs to the interval. */
  public boolean upperInclusive() {
    return upperInclusive;
  }

  /** Whether {@code t} lies below the interval. */
  public boolean below(String t) {
    return lower != null && t.compareTo(lower) < 0;
  }

  /** Whether {@code t} lies above the interval. */
  public boolean above(String t) {
    if (upper == null) {
      return false;
    }
    int c = t.compareTo(upper);
    return upperInclusive ? c > 0 : c >= 0;
  }

  @Override
  public String toString() {
    return "[" + (lower == null ? "-inf" : '"' + lower + '"') + ", "
        + (upper == null ? "+inf" : '"' + upper + '"') + (upperInclusive ? "]" : ")");
  }

  private static boolean set(@Nullable String s) {
    return s != null && !s.isEmpty();
  }

  /** The hull of the intervals added so far. */
  private static final class Acc {
    boolean any;
    @Nullable String lower;
    boolean lowerUnbounded;
    @Nullable String upper;
    boolean upperUnbounded;
    boolean upperInclusive;

    /** Adds [lo, hi] (hi inclusive or not); null ends are unbounded. */
    void add(@Nullable String lo, @Nullable String hi, boolean hiInclusive) {
      if (!any) {
        any = true;
        lower = lo;
        lowerUnbounded = lo == null;
        upper = hi;
        upperUnbounded = hi == null;
        upperInclusive = hiInclusive;
        return;
      }
      if (lo == null) {
        lowerUnbounded = true;
        lower = null;
      } else if (!lowerUnbounded && lo.compareTo(Objects.requireNonNull(lower)) < 0) {
        lower = lo;
      }
      if (hi == null) {
        upperUnbounded = true;
        upper = null;
      } else if (!upperUnbounded) {
        int c = hi.compareTo(Objects.requireNonNull(upper));
        if (c > 0) {
          upper = hi;
          upperInclusive = hiInclusive;
        } else if (c == 0) {
          upperInclusive |= hiInclusive;
        }
      }
    }

    @Nullable LexBounds result() {
      return any ? new LexBounds(lower, upper, upperInclusive) : null;
    }
  }
}
