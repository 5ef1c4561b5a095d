package io.jgun.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Deferrals.Offer;
import io.jgun.json.JsNumber;
import io.jgun.testing.ManualClock;
import org.junit.jupiter.api.Test;

class MemoryGraphTest {

  private static final double S = 1795520872832.0;

  private static Graph put(String soul, String key, Value v, double state) {
    return Graph.of(Node.builder(soul).put(key, v, state).build());
  }

  private static final Graph ALICE =
      Graph.of(
          Node.builder("user/alice")
              .put("name", Value.text("Alice"), S)
              .put("age", Value.number(30), S)
              .put("admin", Value.bool(true), S)
              .put("org", Value.link("org/acme"), S)
              .build(),
          Node.builder("org/acme").put("name", Value.text("ACME"), S).build());

  @Test
  void mergingIntoAnEmptyGraphAcceptsEverything() {
    MemoryGraph g = new MemoryGraph();
    MergeResult r = g.merge(ALICE, S);
    assertThat(r.accepted()).isEqualTo(ALICE);
    assertThat(r.anyAccepted()).isTrue();
    assertThat(r.acceptedCount()).isEqualTo(5);
    assertThat(r.deferred()).isEmpty();
    assertThat(r.refused()).isEmpty();
    assertThat(g.snapshot()).isEqualTo(ALICE);
    assertThat(g.size()).isEqualTo(2);
    assertThat(g.fieldCount()).isEqualTo(5);
    assertThat(g.souls()).containsExactly("user/alice", "org/acme");
    assertThat(g.field("user/alice", "age")).isEqualTo(new Field(Value.number(30), S));
    assertThat(g.state("user/alice", "age")).isEqualTo(S);
    assertThat(g.state("user/alice", "nope")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(g.state("nobody", "age")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(g.node("nobody")).isNull();
    assertThat(g.field("nobody", "x")).isNull();
  }

  @Test
  void aWhollyAcceptedNodeIsSharedWithTheDiff() {
    MemoryGraph g = new MemoryGraph();
    MergeResult r = g.merge(ALICE, S);
    assertThat(r.accepted().node("user/alice")).isSameAs(ALICE.node("user/alice"));
    // partly accepted: a new node holding only the accepted fields
    Graph partly =
        Graph.of(
            Node.builder("user/alice")
                .put("name", Value.text("Alice"), S)
                .put("age", Value.number(31), S + 1)
                .build());
    Node diff = g.merge(partly, S + 1).accepted().node("user/alice");
    assertThat(diff).isNotSameAs(partly.node("user/alice"));
    assertThat(diff.fields()).containsOnlyKeys("age");
  }

  @Test
  void mergingTheSameGraphAgainChangesNothing() {
    MemoryGraph g = new MemoryGraph();
    g.merge(ALICE, S);
    MergeResult again = g.merge(ALICE, S);
    assertThat(again.anyAccepted()).isFalse();
    assertThat(again.accepted().isEmpty()).isTrue();
    assertThat(again.droppedSame()).isEqualTo(5);
    assertThat(again.droppedHistorical()).isZero();
    assertThat(g.snapshot()).isEqualTo(ALICE);
  }

  @Test
  void theDiffHoldsOnlyWhatChanged() {
    MemoryGraph g = new MemoryGraph();
    g.merge(ALICE, S);
    Graph update =
        Graph.of(
            Node.builder("user/alice")
                .put("name", Value.text("Alice"), S) // same: dropped
                .put("age", Value.number(31), S + 1) // newer: accepted
                .put("admin", Value.bool(false), S - 1) // older: dropped
                .put("org", Value.text("zzz"), S) // same state, smaller text: dropped
                .build(),
            Node.builder("org/acme").put("name", Value.NULL, S + 0.001).build()); // tombstone
    MergeResult r = g.merge(update, S + 10);
    assertThat(r.accepted())
        .isEqualTo(
            Graph.of(
                Node.builder("user/alice").put("age", Value.number(31), S + 1).build(),
                Node.builder("org/acme").put("name", Value.NULL, S + 0.001).build()));
    assertThat(r.droppedSame()).isEqualTo(2);
    assertThat(r.droppedHistorical()).isEqualTo(1);
    assertThat(g.field("org/acme", "name")).isEqualTo(new Field(Value.NULL, S + 0.001));
    assertThat(g.fieldCount()).isEqualTo(5);
  }

  @Test
  void nodeSnapshotsAreImmutableAndRefreshedAfterAChange() {
    MemoryGraph g = new MemoryGraph();
    g.merge(ALICE, S);
    Node before = g.node("user/alice");
    assertThat(g.node("user/alice")).isSameAs(before); // cached
    g.merge(put("user/alice", "age", Value.number(31), S + 1), S + 1);
    Node after = g.node("user/alice");
    assertThat(after).isNotSameAs(before);
    assertThat(before.field("age")).isEqualTo(new Field(Value.number(30), S));
    assertThat(after.field("age")).isEqualTo(new Field(Value.number(31), S + 1));
    assertThatThrownBy(() -> after.fields().put("x", new Field(Value.NULL, 1)))
        .isInstanceOf(UnsupportedOperationException.class);
    // a merge that changes nothing keeps the cached snapshot
    g.merge(put("user/alice", "age", Value.number(31), S + 1), S + 1);
    assertThat(g.node("user/alice")).isSameAs(after);
  }

  @Test
  void futureFieldsAreHeldUntilDueThenDecidedAgain() {
    ManualClock wall = new ManualClock((long) S);
    StateClock clock = new StateClock(wall);
    MemoryGraph g = new MemoryGraph();
    double future = S + 3000; // like frames-12 rp4future: applied ~3 s later, no ack meanwhile

    MergeResult r = g.merge(put("raw/x", "v", Value.text("later"), future), clock.next());
    assertThat(r.anyAccepted()).isFalse();
    assertThat(r.deferred()).containsExactly(
        new Deferrals.Entry("raw/x", "v", new Field(Value.text("later"), future), future));
    assertThat(g.node("raw/x")).isNull();
    assertThat(g.nextDue()).isEqualTo(future);
    assertThat(g.deferrals().size()).isEqualTo(1);

    wall.advance(2999);
    assertThat(g.applyDue(clock.next()).anyAccepted()).isFalse();
    assertThat(g.node("raw/x")).isNull();

    wall.advance(1);
    MergeResult due = g.applyDue(clock.next());
    assertThat(due.accepted()).isEqualTo(put("raw/x", "v", Value.text("later"), future));
    assertThat(g.field("raw/x", "v")).isEqualTo(new Field(Value.text("later"), future));
    assertThat(g.nextDue()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(JsNumber.format(g.state("raw/x", "v"))).isEqualTo("1795520875832");
  }

  @Test
  void aDeferredFieldLosesToANewerOneThatArrivedMeanwhile() {
    MemoryGraph g = new MemoryGraph();
    g.merge(put("s", "k", Value.text("future"), S + 100), S);
    g.merge(put("s", "k", Value.text("newer"), S + 200), S + 200);
    MergeResult due = g.applyDue(S + 300);
    assertThat(due.anyAccepted()).isFalse();
    assertThat(due.droppedHistorical()).isEqualTo(1);
    assertThat(g.field("s", "k")).isEqualTo(new Field(Value.text("newer"), S + 200));
  }

  @Test
  void aFieldBeyondTheLongestTimerIsDeferredAgainWhenNoHorizonIsSet() {
    MemoryGraph g = new MemoryGraph(new Deferrals(10, Double.POSITIVE_INFINITY));
    double far = S + 3e9; // more than 2^31 - 1 ms ahead
    g.merge(put("s", "k", Value.text("far"), far), S);
    double firstDue = S + 2147483647.0;
    assertThat(g.nextDue()).isEqualTo(firstDue);
    MergeResult r = g.applyDue(firstDue);
    assertThat(r.anyAccepted()).isFalse();
    assertThat(r.deferred()).extracting(Deferrals.Entry::due).containsExactly(far);
    assertThat(g.nextDue()).isEqualTo(far);
    assertThat(g.applyDue(far).acceptedCount()).isEqualTo(1);
  }

  @Test
  void refusedDeferralsAreReportedWithTheirReason() {
    MemoryGraph g = new MemoryGraph(new Deferrals(1, 10_000));
    Graph puts =
        Graph.of(
            Node.builder("s")
                .put("a", Value.text("a"), S + 10)
                .put("b", Value.text("b"), S + 20)
                .put("c", Value.text("c"), S + 20_000)
                .put("d", Value.text("d"), S - 5)
                .build());
    MergeResult r = g.merge(puts, S);
    assertThat(r.acceptedCount()).isEqualTo(1);
    assertThat(r.deferred()).extracting(Deferrals.Entry::key).containsExactly("a");
    assertThat(r.refused())
        .containsExactly(
            new MergeResult.Refused("s", "b", new Field(Value.text("b"), S + 20), Offer.REFUSED_FULL),
            new MergeResult.Refused(
                "s", "c", new Field(Value.text("c"), S + 20_000), Offer.REFUSED_TOO_FAR));
  }

  @Test
  void aDuplicateFutureFieldIsReportedDeferredButHeldOnce() {
    MemoryGraph g = new MemoryGraph();
    Graph p = put("s", "k", Value.text("v"), S + 10);
    assertThat(g.merge(p, S).deferred()).hasSize(1);
    assertThat(g.merge(p, S + 1).deferred()).hasSize(1);
    assertThat(g.deferrals().size()).isEqualTo(1);
    assertThat(g.applyDue(S + 10).acceptedCount()).isEqualTo(1);
  }

  @Test
  void aMinusZeroStateIsStoredAsZero() {
    MemoryGraph g = new MemoryGraph();
    g.merge(put("s", "k", Value.text("a"), -0.0), S);
    assertThat(g.field("s", "k")).isEqualTo(new Field(Value.text("a"), 0.0));
    // 0 === -0 in JavaScript: the same state, so the text decides
    assertThat(g.merge(put("s", "k", Value.text("b"), 0.0), S).acceptedCount()).isEqualTo(1);
    assertThat(g.merge(put("s", "k", Value.text("a"), -0.0), S).droppedSame()).isEqualTo(1);
  }

  @Test
  void nowMustBeANumber() {
    MemoryGraph g = new MemoryGraph();
    assertThatThrownBy(() -> g.merge(ALICE, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> g.applyDue(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void infiniteNowDefersNothing() {
    MemoryGraph g = new MemoryGraph();
    MergeResult r = g.merge(put("s", "k", Value.text("v"), Double.MAX_VALUE), Double.POSITIVE_INFINITY);
    assertThat(r.acceptedCount()).isEqualTo(1);
    assertThat(g.deferrals().isEmpty()).isTrue();
  }
}
