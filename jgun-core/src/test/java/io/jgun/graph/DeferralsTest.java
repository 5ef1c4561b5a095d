package io.jgun.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Deferrals.Entry;
import io.jgun.graph.Deferrals.Offer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferralsTest {

  private static final double NOW = 1_000_000;

  private static Field f(String v, double state) {
    return new Field(Value.text(v), state);
  }

  @Test
  void emptyQueueHasNothingDue() {
    Deferrals d = new Deferrals();
    assertThat(d.nextDue()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(d.drainDue(Double.POSITIVE_INFINITY)).isEmpty();
    assertThat(d.isEmpty()).isTrue();
  }

  @Test
  void drainsByDueTimeThenArrivalOrder() {
    Deferrals d = new Deferrals();
    assertThat(d.offer("s", "c", f("c", NOW + 30), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "a", f("a", NOW + 10), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "b2", f("b2", NOW + 20), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "b1", f("b1", NOW + 20), NOW - 5)).isEqualTo(Offer.QUEUED);
    assertThat(d.size()).isEqualTo(4);
    assertThat(d.nextDue()).isEqualTo(NOW + 10);

    assertThat(d.drainDue(NOW + 9.999)).isEmpty();
    assertThat(d.drainDue(NOW + 10)).extracting(Entry::key).containsExactly("a");
    assertThat(d.nextDue()).isEqualTo(NOW + 20);
    // same due time: first offered first
    assertThat(d.drainDue(NOW + 25)).extracting(Entry::key).containsExactly("b2", "b1");
    List<Entry> last = d.drainDue(NOW + 1000);
    assertThat(last).containsExactly(new Entry("s", "c", f("c", NOW + 30), NOW + 30));
    assertThat(d.isEmpty()).isTrue();
    assertThat(d.nextDue()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void anIdenticalFieldIsHeldOnce() {
    Deferrals d = new Deferrals();
    assertThat(d.offer("s", "k", f("v", NOW + 10), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "k", f("v", NOW + 10), NOW + 1)).isEqualTo(Offer.DUPLICATE);
    // different value, state, key or soul: a different field
    assertThat(d.offer("s", "k", f("w", NOW + 10), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "k", f("v", NOW + 11), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "j", f("v", NOW + 10), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("t", "k", f("v", NOW + 10), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.size()).isEqualTo(5);
    assertThat(d.drainDue(NOW + 100)).hasSize(5);
    // once drained, the same field may be held again
    assertThat(d.offer("s", "k", f("v", NOW + 10), NOW)).isEqualTo(Offer.QUEUED);
  }

  @Test
  void pastTheCapNewFieldsAreRefusedUntilSomeAreDrained() {
    Deferrals d = new Deferrals(2, Deferrals.DEFAULT_MAX_AHEAD_MILLIS);
    assertThat(d.offer("s", "a", f("a", NOW + 1), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.offer("s", "b", f("b", NOW + 2), NOW)).isEqualTo(Offer.QUEUED);
    Offer full = d.offer("s", "c", f("c", NOW + 3), NOW);
    assertThat(full).isEqualTo(Offer.REFUSED_FULL);
    assertThat(full.refused()).isTrue();
    assertThat(d.offer("s", "a", f("a", NOW + 1), NOW))
        .as("a duplicate costs nothing, even when full")
        .isEqualTo(Offer.DUPLICATE);
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.drainDue(NOW + 1)).hasSize(1);
    assertThat(d.offer("s", "c", f("c", NOW + 3), NOW)).isEqualTo(Offer.QUEUED);
  }

  @Test
  void aZeroCapRefusesEveryFutureField() {
    Deferrals d = new Deferrals(0, Double.POSITIVE_INFINITY);
    assertThat(d.offer("s", "a", f("a", NOW + 1), NOW)).isEqualTo(Offer.REFUSED_FULL);
  }

  @Test
  void fieldsTooFarAheadAreRefused() {
    Deferrals d = new Deferrals();
    assertThat(d.maxAheadMillis()).isEqualTo(2147483647.0);
    assertThat(d.offer("s", "a", f("a", NOW + 2147483647.0), NOW)).isEqualTo(Offer.QUEUED);
    Offer far = d.offer("s", "b", f("b", NOW + 2147483648.0), NOW);
    assertThat(far).isEqualTo(Offer.REFUSED_TOO_FAR);
    assertThat(far.refused()).isTrue();
    assertThat(Offer.QUEUED.refused()).isFalse();
    assertThat(Offer.DUPLICATE.refused()).isFalse();

    Deferrals tight = new Deferrals(10, 5000);
    assertThat(tight.offer("s", "a", f("a", NOW + 5000), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(tight.offer("s", "b", f("b", NOW + 5001), NOW)).isEqualTo(Offer.REFUSED_TOO_FAR);
  }

  @Test
  void withoutAHorizonFarFieldsAreDueAfterTheLongestTimer() {
    Deferrals d = new Deferrals(10, Double.POSITIVE_INFINITY);
    double far = NOW + 5e9;
    assertThat(d.offer("s", "a", f("a", far), NOW)).isEqualTo(Offer.QUEUED);
    assertThat(d.nextDue()).isEqualTo(NOW + 2147483647.0);
    assertThat(Deferrals.dueTime(far, NOW)).isEqualTo(NOW + 2147483647.0);
    assertThat(Deferrals.dueTime(NOW + 10, NOW)).isEqualTo(NOW + 10);
  }

  @Test
  void capsAreValidated() {
    assertThatThrownBy(() -> new Deferrals(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Deferrals(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Deferrals(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    Deferrals d = new Deferrals();
    assertThat(d.maxPending()).isEqualTo(Deferrals.DEFAULT_MAX_PENDING);
  }
}
