package io.jgun.dam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

  private static final Duration MIN = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(30);

  private static List<Long> delays(ReconnectPolicy.Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.nextDelayMillis());
    }
    return out;
  }

  @Test
  void withoutJitterTheBackoffDoublesFromMinUpToMax() {
    RandomGenerator middle = () -> Long.MIN_VALUE; // nextDouble() = 0.5: a factor of exactly 1
    ReconnectPolicy.Backoff b = ReconnectPolicy.exponential(MIN, MAX, middle).backoff();
    assertThat(delays(b, 9)).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
  }

  @Test
  void jitterKeepsEachWaitBetweenHalfAndOneAndAHalfTimesTheBackoff() {
    ReconnectPolicy.Backoff b = ReconnectPolicy.exponential(MIN, MAX, new SplittableRandom(42)).backoff();
    long backoff = 500;
    boolean varied = false;
    for (int i = 0; i < 200; i++) {
      long wait = b.nextDelayMillis();
      assertThat(wait).isBetween(backoff / 2, backoff * 3 / 2);
      varied |= wait != backoff;
      backoff = Math.min(backoff * 2, 30_000);
    }
    assertThat(varied).as("jitter moved some wait off the plain backoff").isTrue();
  }

  @Test
  void theSameSeedGivesTheSameWaits() {
    ReconnectPolicy a = ReconnectPolicy.exponential(MIN, MAX, new SplittableRandom(7));
    ReconnectPolicy b = ReconnectPolicy.exponential(MIN, MAX, new SplittableRandom(7));
    assertThat(delays(a.backoff(), 12)).isEqualTo(delays(b.backoff(), 12));
  }

  @Test
  void theLowestDrawHalvesTheWaitAndTheHighestAddsHalfOfIt() {
    RandomGenerator lowest = () -> 0L;
    RandomGenerator highest = () -> -1L; // nextDouble() just below 1: 0.5 + it rounds to 1.5
    assertThat(ReconnectPolicy.exponential(MIN, MAX, lowest).backoff().nextDelayMillis()).isEqualTo(250);
    assertThat(ReconnectPolicy.exponential(MIN, MAX, highest).backoff().nextDelayMillis()).isEqualTo(750);
  }

  @Test
  void aConnectionStartsTheBackoffAgainFromTheMinimum() {
    RandomGenerator middle = () -> Long.MIN_VALUE;
    ReconnectPolicy.Backoff b = ReconnectPolicy.exponential(MIN, MAX, middle).backoff();
    b.attempt();
    b.nextDelayMillis();
    b.attempt();
    b.nextDelayMillis();
    assertThat(b.attempts()).isEqualTo(2);
    b.reset();
    assertThat(b.attempts()).isZero();
    assertThat(b.nextDelayMillis()).isEqualTo(500);
  }

  @Test
  void eachPeerHasItsOwnBackoff() {
    RandomGenerator middle = () -> Long.MIN_VALUE;
    ReconnectPolicy policy = ReconnectPolicy.exponential(MIN, MAX, middle);
    ReconnectPolicy.Backoff a = policy.backoff();
    a.nextDelayMillis();
    a.nextDelayMillis();
    assertThat(policy.backoff().nextDelayMillis()).isEqualTo(500);
  }

  @Test
  void aWaitIsNeverZero() {
    ReconnectPolicy.Backoff b = ReconnectPolicy.exponential(Duration.ZERO, Duration.ZERO, new SplittableRandom(1)).backoff();
    assertThat(b.nextDelayMillis()).isEqualTo(1);
    assertThat(ReconnectPolicy.fixed(Duration.ZERO).backoff().nextDelayMillis()).isEqualTo(1);
  }

  @Test
  void aFixedPolicyWaitsTheSameEveryTime() {
    ReconnectPolicy.Backoff b = ReconnectPolicy.fixed(Duration.ofSeconds(2)).backoff();
    assertThat(delays(b, 5)).containsOnly(2000L);
  }

  @Test
  void boundsAreValidated() {
    assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below min");
    assertThatThrownBy(() -> ReconnectPolicy.exponential(Duration.ofMillis(-1), Duration.ofSeconds(1), new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> ReconnectPolicy.fixed(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
