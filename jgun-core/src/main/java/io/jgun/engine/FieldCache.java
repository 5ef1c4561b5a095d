package io.jgun.engine;

import io.jgun.graph.Field;
import io.jgun.graph.Ham;
import io.jgun.graph.Value;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields a {@link StoreGraphEngine} read or wrote lately, least recently used first out,
 * bounded by an estimate of the bytes they take on the heap. It holds only durable values (fields
 * enter it when read from the store or once written), and of two values for one field it keeps
 * the HAM winner, so a late, older read can never replace a newer write.
 *
 * <p>Thread-safe (the mesh loop reads it; the store's threads fill it); every call is short.
 */
final class FieldCache {
  /** What a cached field costs besides its strings: the entry, the key record, the field. */
  static final int ENTRY_OVERHEAD = 160;

  private record Key(String soul, String key) {}

  private final long maxBytes;
  private final LinkedHashMap<Key, Field> entries = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  /** A cache of at most {@code maxBytes} (0: caches nothing). */
  FieldCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("cache bytes must be >= 0: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The cached field, or null when not cached (which says nothing about the store). */
  synchronized @Nullable Field get(String soul, String key) {
    Field f = entries.get(new Key(soul, key));
    if (f == null) {
      misses++;
    } else {
      hits++;
    }
    return f;
  }

  /** Caches a durable field, unless a HAM winner over it is cached already. */
  synchronized void offer(String soul, String key, Field f) {
    long size = size(soul, key, f);
    if (size > maxBytes) {
      return;
    }
    Key k = new Key(soul, key);
    Field old = entries.get(k);
    if (old != null) {
      if (!wins(f, old)) {
        return;
      }
      bytes -= size(soul, key, old);
    }
    entries.put(k, f);
    bytes += size;
    if (bytes > maxBytes) {
      Iterator<Map.Entry<Key, Field>> it = entries.entrySet().iterator();
      while (bytes > maxBytes && it.hasNext()) {
        Map.Entry<Key, Field> e = it.next();
        bytes -= size(e.getKey().soul(), e.getKey().key(), e.getValue());
        it.remove();
      }
    }
  }

  /** True when {@code a} replaces {@code b} by HAM at any time (a newer state, or the tie-break). */
  private static boolean wins(Field a, Field b) {
    return a.equals(b) || Ham.decide(a, b, Double.POSITIVE_INFINITY) == Ham.Decision.ACCEPT;
  }

  static long size(String soul, String key, Field f) {
    long n = ENTRY_OVERHEAD + 2L * soul.length() + 2L * key.length();
    Value v = f.value();
    if (v instanceof Value.Text t) {
      n += 40 + 2L * t.value().length();
    } else if (v instanceof Value.Link l) {
      n += 40 + 2L * l.soul().length();
    }
    return n;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
