package io.jgun.dam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DedupTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private Dedup<String> dedup(int max) {
    return Dedup.builder().clock(clock::get).maxEntries(max).build();
  }

  private void advance(long ms) {
    clock.addAndGet(ms);
  }

  @Test
  void unknownIdIsNotSeen() {
    Dedup<String> d = dedup(10);
    assertThat(d.check("a")).isNull();
    assertThat(d.peek("a")).isNull();
    assertThat(d.size()).isZero();
  }

  @Test
  void trackedIdIsSeenUntilTheWindowEnds() {
    Dedup<String> d = dedup(10);
    d.track("a");
    advance(8999);
    assertThat(d.peek("a")).isNotNull();
    advance(1);
    assertThat(d.peek("a")).isNull();
    assertThat(d.check("a")).isNull();
    assertThat(d.size()).isZero();
  }

  @Test
  void defaultWindowIsGunsNineSeconds() {
    Dedup<String> d = Dedup.builder().clock(clock::get).build();
    assertThat(d.ageMillis()).isEqualTo(9000);
    assertThat(d.maxEntries()).isEqualTo(Dedup.DEFAULT_MAX_ENTRIES);
  }

  @Test
  void checkRefreshesSoARepeatedlySeenIdNeverExpires() {
    Dedup<String> d = dedup(10);
    d.track("a");
    for (int i = 0; i < 100; i++) {
      advance(5000);
      assertThat(d.check("a")).as("check %d", i).isNotNull();
    }
    advance(8999);
    assertThat(d.peek("a")).isNotNull();
    advance(1);
    assertThat(d.check("a")).isNull();
  }

  @Test
  void trackRefreshesAndKeepsTheEntry() {
    Dedup<String> d = dedup(10);
    Dedup.Entry<String> e = d.track("a").via("peerA").markGet().hash(42);
    advance(6000);
    assertThat(d.track("a")).isSameAs(e);
    advance(6000);
    Dedup.Entry<String> again = d.check("a");
    assertThat(again).isSameAs(e);
    assertThat(again.via()).isEqualTo("peerA");
    assertThat(again.isGet()).isTrue();
    assertThat(again.hash()).isEqualTo(42);
    assertThat(again.lastSeen()).isEqualTo(clock.get());
  }

  @Test
  void peekDoesNotRefresh() {
    Dedup<String> d = dedup(10);
    d.track("a");
    advance(5000);
    assertThat(d.peek("a")).isNotNull();
    advance(4000);
    assertThat(d.peek("a")).isNull();
  }

  @Test
  void anExpiredIdTrackedAgainStartsAFreshEntry() {
    Dedup<String> d = dedup(10);
    d.track("a").via("peerA").markGet().hash(7);
    advance(9000);
    Dedup.Entry<String> e = d.track("a");
    assertThat(e.via()).isNull();
    assertThat(e.isGet()).isFalse();
    assertThat(e.hash()).isNull();
  }

  @Test
  void capEvictsTheLeastRecentlySeenFirst() {
    Dedup<String> d = dedup(3);
    d.track("a");
    advance(1);
    d.track("b");
    advance(1);
    d.track("c");
    advance(1);
    assertThat(d.check("a")).isNotNull(); // a is now the most recent: b is the oldest
    d.track("d");
    assertThat(d.peek("b")).isNull();
    assertThat(d.evictions()).isEqualTo(1);
    d.track("e");
    assertThat(d.peek("c")).isNull();
    assertThat(d.peek("a")).isNotNull();
    assertThat(d.peek("d")).isNotNull();
    assertThat(d.peek("e")).isNotNull();
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.evictions()).isEqualTo(2);
  }

  @Test
  void capEvictsInInsertionOrderWhenTheClockStandsStill() {
    Dedup<String> d = dedup(2);
    d.track("a");
    d.track("b");
    d.track("c");
    assertThat(d.peek("a")).isNull();
    assertThat(d.peek("b")).isNotNull();
    assertThat(d.peek("c")).isNotNull();
  }

  @Test
  void memoryStaysBoundedUnderAFloodOfAMillionUniqueIds() {
    int cap = 10_000;
    Dedup<String> d = dedup(cap);
    int n = 1_000_000;
    int maxSeen = 0;
    for (int i = 0; i < n; i++) {
      d.track("flood" + i);
      maxSeen = Math.max(maxSeen, d.size());
      if (i % 1000 == 0) {
        advance(1); // 1,000 ids per ms: all still inside the window, only the cap holds them
      }
    }
    assertThat(maxSeen).isEqualTo(cap);
    assertThat(d.size()).isEqualTo(cap);
    assertThat(d.evictions()).isEqualTo(n - cap);
    assertThat(d.peek("flood" + (n - 1))).isNotNull();
    assertThat(d.peek("flood" + (n - cap))).isNotNull();
    assertThat(d.peek("flood" + (n - cap - 1))).isNull();
    assertThat(d.peek("flood0")).isNull();
  }

  @Test
  void lazyExpiryDrainsTheTableWithoutAnExplicitSweep() {
    Dedup<String> d = dedup(1000);
    for (int i = 0; i < 100; i++) {
      d.track("old" + i);
    }
    advance(9000);
    for (int i = 0; i < 20; i++) {
      d.track("new" + i); // each call also sweeps a few expired entries
    }
    assertThat(d.size()).isEqualTo(20);
    for (int i = 0; i < 100; i++) {
      assertThat(d.peek("old" + i)).isNull();
    }
  }

  @Test
  void expireSweepsEverythingDue() {
    Dedup<String> d = dedup(1000);
    for (int i = 0; i < 50; i++) {
      d.track("a" + i);
    }
    advance(5000);
    for (int i = 0; i < 30; i++) {
      d.track("b" + i);
    }
    assertThat(d.expire(clock.get() + 3999)).isZero();
    assertThat(d.expire(clock.get() + 4000)).isEqualTo(50);
    assertThat(d.size()).isEqualTo(30);
    advance(9000);
    assertThat(d.expire()).isEqualTo(30);
    assertThat(d.size()).isZero();
  }

  @Test
  void hashKeysDedupAnswersByAskAndContentHash() {
    assertThat(Dedup.hashKey("dyyPLeJ8a", 1068460185)).isEqualTo("dyyPLeJ8a1068460185");
    assertThat(Dedup.hashKey("x", -5)).isEqualTo("x-5");
    Dedup<String> d = dedup(10);
    String ask = "dyyPLeJ8a";
    d.track(ask).markGet();
    assertThat(d.check(Dedup.hashKey(ask, 1068460185))).isNull(); // first answer: relay it
    d.track(Dedup.hashKey(ask, 1068460185));
    assertThat(d.check(Dedup.hashKey(ask, 1068460185))).isNotNull(); // same answer again: drop
    assertThat(d.check(Dedup.hashKey(ask, 313217722))).isNull(); // different content: relay
    assertThat(d.check(ask)).isNotNull(); // the ask's own id is a separate entry
    advance(9000);
    assertThat(d.check(Dedup.hashKey(ask, 1068460185))).isNull();
  }

  @Test
  void removeForgetsAnId() {
    Dedup<String> d = dedup(10);
    d.track("a");
    assertThat(d.remove("a")).isTrue();
    assertThat(d.remove("a")).isFalse();
    assertThat(d.check("a")).isNull();
  }

  @Test
  void aClockSteppingBackDoesNotReviveOrLoseEntries() {
    Dedup<String> d = dedup(10);
    d.track("a");
    advance(5000);
    d.track("b");
    clock.addAndGet(-4000); // read as the last reading
    d.track("c");
    assertThat(d.peek("c").lastSeen()).isEqualTo(d.peek("b").lastSeen());
    advance(4000 + 4000);
    assertThat(d.peek("a")).isNull();
    assertThat(d.peek("b")).isNotNull();
    assertThat(d.peek("c")).isNotNull();
  }

  @Test
  void builderValidates() {
    assertThatThrownBy(() -> Dedup.builder().maxEntries(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> Dedup.builder().age(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("age");
    assertThatThrownBy(() -> Dedup.builder().age(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Seeded random operations against a plain model: an id is present iff it was tracked or
   * checked less than {@code age} ago and was not among the least recently seen when the live
   * entries outgrew the cap.
   */
  @Property(tries = 200)
  void agreesWithAModel(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int cap = 1 + r.nextInt(20);
    long age = 1 + r.nextInt(50);
    AtomicLong now = new AtomicLong(r.nextLong(1 << 20));
    Dedup<Integer> d =
        Dedup.builder().clock(now::get).age(Duration.ofMillis(age)).maxEntries(cap).build();
    Map<String, long[]> model = new HashMap<>(); // id -> {lastSeen, order of last sight}
    long order = 0;
    for (int step = 0; step < 400; step++) {
      if (r.nextInt(4) == 0) {
        now.addAndGet(r.nextInt((int) age + 5));
      }
      long t = now.get();
      model.values().removeIf(v -> t - v[0] >= age);
      String id = "i" + r.nextInt(30);
      int op = r.nextInt(4);
      boolean expected = model.containsKey(id);
      if (op == 0) {
        assertThat(d.check(id) != null).as("check %s at step %d", id, step).isEqualTo(expected);
        if (expected) {
          model.put(id, new long[] {t, order++});
        }
      } else if (op == 1) {
        assertThat(d.peek(id) != null).as("peek %s at step %d", id, step).isEqualTo(expected);
      } else {
        d.track(id);
        model.put(id, new long[] {t, order++});
        if (model.size() > cap) {
          String oldest = null;
          for (Map.Entry<String, long[]> e : model.entrySet()) {
            if (oldest == null || e.getValue()[1] < model.get(oldest)[1]) {
              oldest = e.getKey();
            }
          }
          model.remove(oldest);
        }
      }
      assertThat(d.size()).isLessThanOrEqualTo(cap);
    }
    for (int i = 0; i < 30; i++) {
      assertThat(d.peek("i" + i) != null).isEqualTo(model.containsKey("i" + i));
    }
  }
}
