package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PutGuardTest {
  private static final PutGuard.FieldReader EMPTY = (soul, key) -> null;

  /** A prepared note naming the put it was made for. */
  private record Note(Graph put) implements Message.Prepared {}

  /** Refuses field "bad" of any node; records what it was handed as prepared. */
  private static final class Recording implements PutGuard {
    final List<Message.@Nullable Prepared> seen = new ArrayList<>();

    @Override
    public Verdict check(Graph put, FieldReader graph) {
      return check(put, graph, null);
    }

    @Override
    public Verdict check(Graph put, FieldReader graph, Message.@Nullable Prepared prepared) {
      seen.add(prepared);
      for (Node n : put.nodes().values()) {
        if (n.fields().containsKey("bad")) {
          return PutGuard.reject(n.soul(), "bad", "Bad field!");
        }
      }
      return ACCEPT;
    }

    @Override
    public Message.@Nullable Prepared prepare(Graph put) {
      return put.node("skip") != null ? null : new Note(put);
    }
  }

  @Test
  void aPreparedFrameCarriesEachPutsNoteToTheCheck() {
    Recording guard = new Recording();
    Frame frame =
        new MessageReader()
            .read(
                "[{\"#\":\"a\",\"put\":{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":1}}},"
                    + "{\"#\":\"b\",\"get\":{\"#\":\"s\"}},"
                    + "{\"#\":\"c\",\"put\":{\"skip\":{\"_\":{\"#\":\"skip\",\">\":{\"k\":1}},\"k\":1}}}]");
    Frame prepared = guard.prepare(frame);
    assertThat(prepared.messages()).hasSize(3);
    Message a = prepared.messages().get(0);
    assertThat(a.prepared()).isEqualTo(new Note(a.put()));
    assertThat(prepared.messages().get(1)).isEqualTo(frame.messages().get(1));
    assertThat(prepared.messages().get(2).prepared()).isNull();

    assertThat(guard.refusal(a, EMPTY)).isNull();
    assertThat(guard.seen).containsExactly(new Note(a.put()));
  }

  @Test
  void aFrameWithNothingPreparedIsReturnedAsItIs() {
    Frame frame = new MessageReader().read("{\"#\":\"b\",\"get\":{\"#\":\"s\"}}");
    assertThat(new Recording().prepare(frame)).isSameAs(frame);
  }

  @Test
  void aRefusalNamesTheSoulAndKeyTheGuardRefused() {
    Graph put = Graph.of(Node.builder("s").put("ok", Value.text("v"), 1).put("bad", Value.text("v"), 1).build());
    PutGuard.Reject r = new Recording().refusal(put, EMPTY);
    assertThat(r).isNotNull();
    assertThat(r.reason()).isEqualTo("Bad field!");
    assertThat(r.soul()).isEqualTo("s");
    assertThat(r.key()).isEqualTo("bad");
  }

  @Test
  void aGuardThatThrowsRefusesThePutAsAWhole() {
    PutGuard broken =
        (put, graph) -> {
          throw new IllegalStateException("boom");
        };
    PutGuard.Reject r = broken.refusal(Graph.of(Node.builder("s").put("k", Value.text("v"), 1).build()), EMPTY);
    assertThat(r).isEqualTo(new PutGuard.Reject(null, null, PutGuard.CHECK_FAILED));
  }

  @Test
  void aPreparationThatThrowsIsLeftToTheCheck() {
    PutGuard guard =
        new PutGuard() {
          @Override
          public Verdict check(Graph put, FieldReader graph) {
            return ACCEPT;
          }

          @Override
          public Message.@Nullable Prepared prepare(Graph put) {
            throw new IllegalStateException("boom");
          }
        };
    Frame frame = new MessageReader().read("{\"#\":\"a\",\"put\":{\"s\":{\"_\":{\"#\":\"s\",\">\":{\"k\":1}},\"k\":1}}}");
    assertThat(guard.prepare(frame)).isSameAs(frame);
  }

  @Test
  void aRefusedFieldNeedsBothSoulAndKey() {
    assertThatThrownBy(() -> new PutGuard.Reject("s", null, "why")).isInstanceOf(IllegalArgumentException.class);
  }
}
