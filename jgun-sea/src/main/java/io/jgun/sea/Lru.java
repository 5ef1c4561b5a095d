package io.jgun.sea;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A bounded map that forgets its least recently used entry past {@code capacity}. Thread-safe by
 * one lock held only for the map operation: callers do their costly work (a key import, a
 * signature check) outside it.
 */
final class Lru<K, V> {
  private final int capacity;
  private final Map<K, V> map;

  Lru(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
    this.map =
        new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > Lru.this.capacity;
          }
        };
  }

  synchronized @Nullable V get(K key) {
    return map.get(key);
  }

  synchronized void put(K key, V value) {
    map.put(key, value);
  }

  synchronized int size() {
    return map.size();
  }

  int capacity() {
    return capacity;
  }
}
