package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a large answer is split into replies of at most {@code replyChunkFields} fields. */
class GetAnswersChunkTest {

  private static Node node(String soul, String... keys) {
    Node.Builder b = Node.builder(soul);
    for (String k : keys) {
      b.put(k, Value.text(k), 1);
    }
    return b.build();
  }

  private static List<String> shape(List<Graph> chunks) {
    List<String> out = new ArrayList<>();
    for (Graph g : chunks) {
      StringBuilder s = new StringBuilder();
      for (Node n : g.nodes().values()) {
        s.append(n.soul()).append(n.fields().keySet());
      }
      out.add(s.toString());
    }
    return out;
  }

  @Test
  void aGraphWithinTheLimitIsOneReply() {
    Graph g = Graph.of(node("a", "x", "y"), node("b", "z"));
    assertThat(GetAnswers.chunk(g, 3)).containsExactly(g);
  }

  @Test
  void chunksHoldAtMostTheLimitAndANodeMaySpanSeveral() {
    Graph g = Graph.of(node("a", "1", "2", "3"), node("b", "4", "5", "6"));
    assertThat(shape(GetAnswers.chunk(g, 2))).containsExactly("a[1, 2]", "a[3]b[4]", "b[5, 6]");
  }

  @Test
  void anExactMultipleLeavesNoEmptyChunk() {
    Graph g = Graph.of(node("a", "1", "2", "3", "4"));
    assertThat(shape(GetAnswers.chunk(g, 2))).containsExactly("a[1, 2]", "a[3, 4]");
  }

  @Test
  void everyFieldIsInExactlyOneChunkInOrder() {
    String[] keys = new String[2500];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "k" + i;
    }
    List<Graph> chunks = GetAnswers.chunk(Graph.of(node("big", keys)), 1000);
    assertThat(chunks).hasSize(3);
    List<String> seen = new ArrayList<>();
    for (Graph c : chunks) {
      assertThat(c.fieldCount()).isLessThanOrEqualTo(1000);
      seen.addAll(c.nodes().get("big").fields().keySet());
    }
    assertThat(seen).containsExactly(keys);
  }
}
