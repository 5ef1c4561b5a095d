package io.jgun.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import org.junit.jupiter.api.Test;

/** {@link FieldCache}: bounded by bytes, least recently used out, the HAM winner kept. */
class FieldCacheTest {
  static Field f(String v, double state) {
    return new Field(Value.text(v), state);
  }

  @Test
  void staysWithinItsBytesAndEvictsTheLeastRecentlyUsed() {
    long one = FieldCache.size("s", "k0", f("v", 1));
    FieldCache c = new FieldCache(one * 10);
    for (int i = 0; i < 10; i++) {
      c.offer("s", "k" + i, f("v", 1));
    }
    assertThat(c.size()).isEqualTo(10);
    assertThat(c.get("s", "k0")).isNotNull(); // k0 is now the most recently used
    c.offer("s", "k10", f("v", 1));
    assertThat(c.bytes()).isLessThanOrEqualTo(one * 10);
    assertThat(c.get("s", "k1")).as("least recently used").isNull();
    assertThat(c.get("s", "k0")).isNotNull();
    assertThat(c.get("s", "k10")).isNotNull();
    for (int i = 0; i < 10_000; i++) {
      c.offer("soul" + i, "key", f("x".repeat(i % 50), i));
      assertThat(c.bytes()).isLessThanOrEqualTo(one * 10);
    }
  }

  @Test
  void keepsTheHamWinnerWhateverTheOrderOfOffers() {
    FieldCache c = new FieldCache(1 << 20);
    c.offer("s", "k", f("new", 2));
    c.offer("s", "k", f("old", 1)); // a late read of an older value
    assertThat(c.get("s", "k")).isEqualTo(f("new", 2));
    c.offer("s", "k", f("a", 2)); // same state, "a" < "new": loses the tie-break
    assertThat(c.get("s", "k")).isEqualTo(f("new", 2));
    c.offer("s", "k", f("z", 2));
    assertThat(c.get("s", "k")).isEqualTo(f("z", 2));
    c.offer("s", "k", f("z", 2));
    assertThat(c.size()).isEqualTo(1);
    assertThat(c.bytes()).isEqualTo(FieldCache.size("s", "k", f("z", 2)));
  }

  @Test
  void aZeroCacheHoldsNothingAndNegativeIsRefused() {
    FieldCache c = new FieldCache(0);
    c.offer("s", "k", f("v", 1));
    assertThat(c.get("s", "k")).isNull();
    assertThat(c.bytes()).isZero();
    assertThat(c.hits()).isZero();
    assertThat(c.misses()).isEqualTo(1);
    assertThatThrownBy(() -> new FieldCache(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
