package io.jgun.dam;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A DAM peer's table of message ids it has seen (docs/protocol.md §4.5, Gun.js dup.js): a message
 * whose {@code #} is in the table is a duplicate and is dropped; a reply whose {@code @+##} is in
 * it was already relayed. Each entry also carries what routing needs: the peer the message came
 * from ({@link Entry#via()}, where acks go back to), whether it was a GET, and the {@code ##} known
 * for that GET.
 *
 * <h2>Window</h2>
 *
 * An entry lives while it keeps being seen: it expires once {@code age} milliseconds (default
 * 9000) pass without {@link #track} or {@link #check} of its id. Gun.js sweeps on a timer, so its
 * entries live between {@code age} and about twice that; this table applies the window exactly.
 * Expiry is lazy, with no timer thread: every call first drops a few expired entries (a bounded
 * number, so no call ever pays for a large sweep), and a looked-up entry past its window counts
 * as absent. The owner may call {@link #expire(long)} to sweep everything due.
 *
 * <h2>Cap</h2>
 *
 * The table never holds more than {@code maxEntries}. Past it, the entry seen least recently is
 * evicted first. Under a flood of unique ids this evicts entries still inside their window, so a
 * duplicate of a message seen long enough ago may get through and be processed again; that is
 * harmless, because HAM makes applying the same put twice a no-op and a repeated GET only costs
 * an answer. Losing the {@code via} of an old request only loses the route of its late acks, as
 * when it expires.
 *
 * <h2>Structure</h2>
 *
 * A {@link LinkedHashMap} in insertion order, where a refresh re-inserts the entry at the tail, so
 * the list runs from least to most recently seen: expiry and eviction both take from the head, and
 * every operation is O(1). (Time buckets would make expiry coarse and eviction per bucket; this
 * keeps an exact window for about 150 bytes per entry, its 9-character key included.) Lookups for routing ({@link #peek}) do not
 * reorder. The clock is made monotonic here: a reading older than the last one is taken as the
 * last one, so the list stays ordered even if the injected clock steps back.
 *
 * <h2>Threads</h2>
 *
 * Not thread-safe: a {@code Dedup} is confined to the event loop of its owner (a relay's mesh, a
 * client's engine), like the rest of that owner's protocol state.
 *
 * @param <P> the owner's peer type (a relay's peer, a client's connection), stored opaquely as
 *     {@link Entry#via()}
 */
public final class Dedup<P> {

  /** Gun.js's default window: 9 seconds. */
  public static final Duration DEFAULT_AGE = Duration.ofMillis(9000);

  /** Default cap on entries: room for about 5,000 messages a second over the default window. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  // Expired entries dropped at most per call, before the call's own work: more than one per
  // insertion, so the lazily swept table drains faster than it fills.
  private static final int SWEEP_PER_CALL = 8;

  private final long ageMillis;
  private final int maxEntries;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry<P>> entries = new LinkedHashMap<>();
  private long lastNow = Long.MIN_VALUE;
  private long evictions;

  private Dedup(long ageMillis, int maxEntries, LongSupplier clock) {
    this.ageMillis = ageMillis;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** A builder with Gun.js's defaults and the system's monotonic clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** A table with the defaults. */
  public static <P> Dedup<P> create() {
    return builder().build();
  }

  /**
   * The key under which a reply's content hash is remembered: the id it answers (or the GET's own
   * id) followed by the hash in decimal, as Gun.js concatenates them ({@code "dyyPLeJ8a" + 1068460185}).
   */
  public static String hashKey(String id, int hash) {
    return id + hash;
  }

  /**
   * Gun.js's {@code dup.check}: the entry of {@code id}, refreshed (its window starts again) if it
   * is in the table and inside its window; null otherwise.
   */
  public @Nullable Entry<P> check(String id) {
    Objects.requireNonNull(id, "id");
    long now = now();
    sweep(now, SWEEP_PER_CALL);
    Entry<P> e = live(id, now);
    if (e == null) {
      return null;
    }
    refresh(id, e, now);
    return e;
  }

  /**
   * Gun.js's {@code dup.track}: the entry of {@code id}, created if absent (or expired) and
   * refreshed. Creating may evict the least recently seen entry if the table is full.
   */
  public Entry<P> track(String id) {
    Objects.requireNonNull(id, "id");
    long now = now();
    sweep(now, SWEEP_PER_CALL);
    Entry<P> e = live(id, now);
    if (e != null) {
      refresh(id, e, now);
      return e;
    }
    e = new Entry<>(now);
    entries.put(id, e);
    if (entries.size() > maxEntries) {
      Iterator<Entry<P>> it = entries.values().iterator();
      it.next();
      it.remove();
      evictions++;
    }
    return e;
  }

  /**
   * The entry of {@code id} if it is inside its window, without refreshing it: for routing
   * lookups ({@code dup.s[id]} in Gun.js), which must not keep an id alive.
   */
  public @Nullable Entry<P> peek(String id) {
    Objects.requireNonNull(id, "id");
    long now = now();
    sweep(now, SWEEP_PER_CALL);
    return live(id, now);
  }

  /** Removes {@code id}; returns true if it was in the table (even if expired). */
  public boolean remove(String id) {
    return entries.remove(id) != null;
  }

  /**
   * Removes every entry not seen for {@code age} as of {@code now} (a reading of the injected
   * clock); returns how many were removed.
   */
  public int expire(long now) {
    return sweep(now, Integer.MAX_VALUE);
  }

  /** Sweeps everything due at the clock's current reading; returns how many were removed. */
  public int expire() {
    return sweep(now(), Integer.MAX_VALUE);
  }

  /** Entries in the table, including expired ones not swept yet; never more than the cap. */
  public int size() {
    return entries.size();
  }

  /** How many entries were evicted by the cap (not by expiry) since creation: a metric. */
  public long evictions() {
    return evictions;
  }

  /** The window, in milliseconds. */
  public long ageMillis() {
    return ageMillis;
  }

  /** The cap on entries. */
  public int maxEntries() {
    return maxEntries;
  }

  private long now() {
    long t = clock.getAsLong();
    if (t > lastNow) {
      lastNow = t;
    }
    return lastNow;
  }

  private boolean expired(Entry<P> e, long now) {
    return now - e.was >= ageMillis;
  }

  private @Nullable Entry<P> live(String id, long now) {
    Entry<P> e = entries.get(id);
    if (e == null) {
      return null;
    }
    if (expired(e, now)) {
      entries.remove(id);
      return null;
    }
    return e;
  }

  private void refresh(String id, Entry<P> e, long now) {
    e.was = now;
    // Re-insert at the tail: LinkedHashMap keeps the first insertion's place on a plain put.
    entries.remove(id);
    entries.put(id, e);
  }

  private int sweep(long now, int max) {
    int removed = 0;
    Iterator<Entry<P>> it = entries.values().iterator();
    while (removed < max && it.hasNext()) {
      if (!expired(it.next(), now)) {
        break; // the list is ordered by last sight: the rest are younger
      }
      it.remove();
      removed++;
    }
    return removed;
  }

  /**
   * What the table remembers about one id. Mutable, and like the table confined to its owner's
   * loop; a reference stays valid until the id expires or is evicted, after which changes to it
   * are simply lost.
   *
   * @param <P> the peer type
   */
  public static final class Entry<P> {
    private long was;
    private @Nullable P via;
    private boolean get;
    private @Nullable Integer hash;
    private boolean answered;
    private boolean acked;

    Entry(long was) {
      this.was = was;
    }

    /** When the id was last tracked or checked, by the table's clock. */
    public long lastSeen() {
      return was;
    }

    /** The peer the message came from (where its acks are routed), or null if it was ours. */
    public @Nullable P via() {
      return via;
    }

    /** Records the peer the message came from. */
    public Entry<P> via(@Nullable P peer) {
      this.via = peer;
      return this;
    }

    /** True if the message was a GET (Gun.js keeps the message itself as {@code it}). */
    public boolean isGet() {
      return get;
    }

    /** Marks the message as a GET, so that replies to it can be deduplicated by {@link #hash()}. */
    public Entry<P> markGet() {
      this.get = true;
      return this;
    }

    /**
     * For a GET: the {@code ##} of the answer known for it (carried by the GET, or of the first
     * answer relayed to it), or null. A reply with the same hash need not be sent to the asker;
     * a not-found need not be sent once someone had data.
     */
    public @Nullable Integer hash() {
      return hash;
    }

    /** Records the {@code ##} of an answer to this GET. */
    public Entry<P> hash(@Nullable Integer hash) {
      this.hash = hash;
      return this;
    }

    /** For a GET: true once some peer answered it with data (forwarding waves stop then). */
    public boolean answered() {
      return answered;
    }

    public Entry<P> answered(boolean v) {
      this.answered = v;
      return this;
    }

    /** For a put: true once we acked it ourselves (later acks from peers are not routed). */
    public boolean acked() {
      return acked;
    }

    public Entry<P> acked(boolean v) {
      this.acked = v;
      return this;
    }

    @Override
    public String toString() {
      return "Entry[was=" + was + ", via=" + via + ", get=" + get + ", hash=" + hash + "]";
    }
  }

  /** Options for a {@link Dedup}; validated in {@link #build()}. */
  public static final class Builder {
    private Duration age = DEFAULT_AGE;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private LongSupplier clock = Builder::monotonicMillis;

    private Builder() {}

    /** The sliding window: an id expires this long after it was last seen. Default 9 s. */
    public Builder age(Duration age) {
      this.age = Objects.requireNonNull(age, "age");
      return this;
    }

    /** The cap on entries; past it the least recently seen are evicted. Default 100,000. */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    /** The clock, in milliseconds (any origin). Default: {@link System#nanoTime()} in ms. */
    public Builder clock(LongSupplier millis) {
      this.clock = Objects.requireNonNull(millis, "clock");
      return this;
    }

    /**
     * A new table.
     *
     * @throws IllegalArgumentException if the age is not positive or the cap is below 1
     */
    public <P> Dedup<P> build() {
      long ms = age.toMillis();
      if (ms <= 0) {
        throw new IllegalArgumentException("dedup age must be at least 1 ms: " + age);
      }
      if (maxEntries < 1) {
        throw new IllegalArgumentException("dedup maxEntries must be at least 1: " + maxEntries);
      }
      return new Dedup<>(ms, maxEntries, clock);
    }

    private static long monotonicMillis() {
      return System.nanoTime() / 1_000_000;
    }
  }
}
