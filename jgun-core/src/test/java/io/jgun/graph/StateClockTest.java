package io.jgun.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.json.JsNumber;
import io.jgun.testing.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The expected texts below were produced by Gun.js 0.2020.1241's own {@code src/state.js} on node
 * 20, with {@code Date} replaced by the same sequence of milliseconds.
 */
class StateClockTest {

  private static final long T = 1795520969763L;

  /** Feeds the wall-clock sequence to a fresh clock and returns the states as JavaScript prints them. */
  private static List<String> run(double drift, long... millis) {
    ManualClock fake = new ManualClock(millis[0]);
    StateClock clock = new StateClock(fake);
    clock.drift(drift);
    List<String> out = new ArrayList<>();
    for (long m : millis) {
      fake.set(m);
      out.add(JsNumber.format(clock.next()));
    }
    return out;
  }

  @Test
  void sameMillisecondAddsThousandthsAndANewMillisecondResets() {
    assertThat(run(0, T, T, T, T + 1, T + 1, T + 2, T + 3))
        .containsExactly(
            "1795520969763",
            "1795520969763.001",
            "1795520969763.002",
            "1795520969764",
            "1795520969764.001",
            "1795520969765",
            "1795520969766");
  }

  @Test
  void fractionIsExactlyNOver999() {
    ManualClock fake = new ManualClock(1000);
    StateClock clock = new StateClock(fake);
    assertThat(clock.next()).isEqualTo(1000.0);
    assertThat(clock.next()).isEqualTo(1000 + 1 / 999.0);
    assertThat(clock.next()).isEqualTo(1000 + 2 / 999.0);
    assertThat(JsNumber.format(1000 + 2 / 999.0)).isEqualTo("1000.002002002002");
  }

  @Test
  void fractionKeepsGrowingWhileTheWallClockHasNotPassedTheLastState() {
    long[] millis = new long[1004];
    Arrays.fill(millis, 0, 1000, T);
    millis[1000] = T + 1; // last is T + 999/999 = T + 1, not < T + 1: the counter goes on
    millis[1001] = T + 1;
    millis[1002] = T + 2;
    millis[1003] = T + 3;
    List<String> out = run(0, millis);
    assertThat(out.get(997)).isEqualTo("1795520969763.998");
    assertThat(out.get(998)).isEqualTo("1795520969763.999");
    assertThat(out.get(999)).isEqualTo("1795520969764"); // T + 999/999
    assertThat(out.subList(1000, 1004))
        .containsExactly(
            "1795520969765.001", // T + 1 + 1000/999
            "1795520969765.002",
            "1795520969766.003", // T + 2 is still below the last state
            "1795520969767.004"); // and so is T + 3
  }

  @Test
  void aClockGoingBackwardsGivesSmallerStates() {
    assertThat(run(0, T, T + 3, T - 3, T - 3, T + 10))
        .containsExactly(
            "1795520969763",
            "1795520969766",
            "1795520969760.001",
            "1795520969760.002",
            "1795520969773");
  }

  @Test
  void driftIsAddedToEveryState() {
    assertThat(run(0.5, 1000, 1000, 1000, 1001))
        .containsExactly("1000.5", "1000.501001001001", "1000.502002002002", "1001.5");
  }

  @Test
  void aNegativeDriftRepeatsTheSameStateAsGunDoes() {
    // last = t - 2.5 is always < t, so the counter resets on every call: not even unique
    assertThat(run(-2.5, T, T, T))
        .containsExactly("1795520969760.5", "1795520969760.5", "1795520969760.5");
  }

  @Test
  void driftMustBeFinite() {
    StateClock clock = new StateClock(new ManualClock(0));
    assertThatThrownBy(() -> clock.drift(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clock.drift(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    clock.drift(-3);
    assertThat(clock.drift()).isEqualTo(-3.0);
  }

  @Test
  void systemClockFollowsTheWallClock() {
    long before = System.currentTimeMillis();
    double s = StateClock.system().next();
    long after = System.currentTimeMillis();
    assertThat(s).isBetween((double) before, (double) after);
  }

  @Test
  void concurrentCallersNeverGetTheSameStateWithinOneMillisecond() throws Exception {
    StateClock clock = new StateClock(new ManualClock(T)); // time stands still
    int threads = 4;
    int perThread = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Double>>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Double> got = new ArrayList<>(perThread);
                  for (int k = 0; k < perThread; k++) {
                    got.add(clock.next());
                  }
                  return got;
                }));
      }
      start.countDown();
      Set<Double> all = new HashSet<>();
      for (Future<List<Double>> f : futures) {
        all.addAll(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(threads * perThread);
      // exactly T, T + 1/999, …, T + (n-1)/999: no lost or repeated increment
      Set<Double> expected = new HashSet<>();
      expected.add((double) T);
      for (int k = 1; k < threads * perThread; k++) {
        expected.add(T + k / 999.0);
      }
      assertThat(all).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
  }
}
