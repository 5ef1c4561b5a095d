package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LruTest {

  @Test
  void keepsAtMostItsCapacityForgettingTheLeastRecentlyUsed() {
    Lru<String, Integer> lru = new Lru<>(2);
    lru.put("a", 1);
    lru.put("b", 2);
    assertThat(lru.get("a")).isEqualTo(1); // a is now more recent than b
    lru.put("c", 3);
    assertThat(lru.size()).isEqualTo(2);
    assertThat(lru.get("b")).isNull();
    assertThat(lru.get("a")).isEqualTo(1);
    assertThat(lru.get("c")).isEqualTo(3);
  }

  @Test
  void manyEntriesStayBounded() {
    Lru<Integer, Integer> lru = new Lru<>(100);
    for (int i = 0; i < 10_000; i++) {
      lru.put(i, i);
      assertThat(lru.size()).isLessThanOrEqualTo(100);
    }
    assertThat(lru.get(9_999)).isEqualTo(9_999);
    assertThat(lru.get(9_899)).isNull();
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThatThrownBy(() -> new Lru<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
