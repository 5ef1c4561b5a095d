package io.jgun.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Fields whose state is in the future, held until they are due and then decided again
 * (docs/protocol.md §2.2 rule 1, §8.19).
 *
 * <p>Gun.js arms one {@code setTimeout} per future field, with no limit, so a hostile peer can make
 * a relay hold any number of them for up to 24.8 days. This queue is ordered by due time so that its
 * owner arms a single timer for {@link #nextDue()} and calls {@link #drainDue(double)} when it
 * fires. It is bounded twice:
 *
 * <ul>
 *   <li>at most {@link #maxPending()} fields are held; past that, new ones are {@link
 *       Offer#REFUSED_FULL refused};
 *   <li>a field more than {@link #maxAheadMillis()} ahead of {@code now} is {@link
 *       Offer#REFUSED_TOO_FAR refused} (default {@link Ham#MAX_DEFER_MILLIS}, Gun's longest timer).
 *       With {@link Double#POSITIVE_INFINITY} nothing is too far: as in Gun.js, a field further
 *       ahead than the longest timer is due after {@code 2^31 - 1} ms and is then deferred again.
 * </ul>
 *
 * <p>An exact duplicate of a held field (same soul, key, value and state) is not held twice: when it
 * came due, HAM would drop it as the same anyway.
 *
 * <p>Time is passed in ({@code now}, in state milliseconds as {@link StateClock#next()} returns),
 * never read from a clock here, so the queue is deterministic. Not thread-safe: it is confined to the
 * thread that owns the graph (see the package documentation).
 */
public final class Deferrals {

  /** Default cap on held fields. */
  public static final int DEFAULT_MAX_PENDING = 100_000;

  /** Default horizon: Gun's longest timer, {@code 2^31 - 1} ms. */
  public static final double DEFAULT_MAX_AHEAD_MILLIS = Ham.MAX_DEFER_MILLIS;

  /** A held field and when it is due. */
  public record Entry(String soul, String key, Field field, double due) {
    public Entry {
      Objects.requireNonNull(soul, "soul");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(field, "field");
    }
  }

  /** The outcome of {@link #offer}. */
  public enum Offer {
    /** The field is held until it is due. */
    QUEUED,
    /** An identical field is already held; nothing was added. */
    DUPLICATE,
    /** Refused: {@link #maxPending()} fields are already held. */
    REFUSED_FULL,
    /** Refused: the field's state is more than {@link #maxAheadMillis()} ahead of now. */
    REFUSED_TOO_FAR;

    /** Whether the field was refused (and so dropped). */
    public boolean refused() {
      return this == REFUSED_FULL || this == REFUSED_TOO_FAR;
    }
  }

  private record Key(String soul, String key, Field field) {}

  private static final class Pending implements Comparable<Pending> {
    final Entry entry;
    final Key key;
    final long seq;

    Pending(Entry entry, Key key, long seq) {
      this.entry = entry;
      this.key = key;
      this.seq = seq;
    }

    @Override
    public int compareTo(Pending o) {
      int c = Double.compare(entry.due(), o.entry.due());
      return c != 0 ? c : Long.compare(seq, o.seq); // same due time: first come, first served
    }
  }

  private final int maxPending;
  private final double maxAheadMillis;
  private final PriorityQueue<Pending> queue = new PriorityQueue<>();
  private final Map<Key, Pending> held = new HashMap<>();
  private long seq;

  /** A queue with the default caps. */
  public Deferrals() {
    this(DEFAULT_MAX_PENDING, DEFAULT_MAX_AHEAD_MILLIS);
  }

  /**
   * A queue holding at most {@code maxPending} fields, none more than {@code maxAheadMillis} ahead.
   *
   * @param maxPending at least 0 (0 refuses every future field)
   * @param maxAheadMillis at least 0; {@link Double#POSITIVE_INFINITY} for no horizon (Gun.js)
   */
  public Deferrals(int maxPending, double maxAheadMillis) {
    if (maxPending < 0) {
      throw new IllegalArgumentException("maxPending must be >= 0: " + maxPending);
    }
    if (!(maxAheadMillis >= 0)) {
      throw new IllegalArgumentException("maxAheadMillis must be >= 0: " + maxAheadMillis);
    }
    this.maxPending = maxPending;
    this.maxAheadMillis = maxAheadMillis;
  }

  /**
   * When a field of the given state, deferred at {@code now}, is due: {@code now +
   * min(state - now, 2^31 - 1)}, i.e. the state itself unless that is beyond Gun's longest timer.
   */
  public static double dueTime(double state, double now) {
    return state - now > Ham.MAX_DEFER_MILLIS ? now + Ham.MAX_DEFER_MILLIS : state;
  }

  /** Offers a future field for holding; see {@link Offer} for the outcomes. */
  public Offer offer(String soul, String key, Field field, double now) {
    if (field.state() - now > maxAheadMillis) {
      return Offer.REFUSED_TOO_FAR;
    }
    Key k = new Key(soul, key, field);
    if (held.containsKey(k)) {
      return Offer.DUPLICATE;
    }
    if (held.size() >= maxPending) {
      return Offer.REFUSED_FULL;
    }
    Pending p = new Pending(new Entry(soul, key, field, dueTime(field.state(), now)), k, seq++);
    queue.add(p);
    held.put(k, p);
    return Offer.QUEUED;
  }

  /**
   * Removes and returns the fields due at {@code now} (due time {@code <= now}), earliest first; the
   * caller decides on each again with {@link Ham}.
   */
  public List<Entry> drainDue(double now) {
    Pending head = queue.peek();
    if (head == null || !(head.entry.due() <= now)) {
      return List.of();
    }
    List<Entry> due = new ArrayList<>();
    while (head != null && head.entry.due() <= now) {
      queue.poll();
      held.remove(head.key);
      due.add(head.entry);
      head = queue.peek();
    }
    return due;
  }

  /** The earliest due time held, or {@link Double#POSITIVE_INFINITY} when nothing is held. */
  public double nextDue() {
    Pending head = queue.peek();
    return head == null ? Double.POSITIVE_INFINITY : head.entry.due();
  }

  /** How many fields are held. */
  public int size() {
    return held.size();
  }

  /** Whether nothing is held. */
  public boolean isEmpty() {
    return held.isEmpty();
  }

  /** The cap on held fields. */
  public int maxPending() {
    return maxPending;
  }

  /** How far ahead of now a field may be, in milliseconds. */
  public double maxAheadMillis() {
    return maxAheadMillis;
  }
}
