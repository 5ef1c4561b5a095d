package io.jgun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import org.junit.jupiter.api.Test;

/** {@link MemoryStore} against the {@link StoreContract}, and its own cap. */
class MemoryStoreTest extends StoreContract {

  @Override
  protected Store open(BatchHook hook) {
    return new MemoryStore(MemoryStore.DEFAULT_MAX_FIELDS, hook::beforeWrite);
  }

  @Test
  void aPutPastTheCapIsRefusedWhole() throws Exception {
    try (MemoryStore s = new MemoryStore(3)) {
      get(s.put(Graph.of(Node.builder("a").put("x", Value.number(1), T).put("y", Value.number(1), T).build())));
      Graph tooMuch = Graph.of(Node.builder("a").put("x", Value.number(2), T + 1)
          .put("z", Value.number(1), T).put("w", Value.number(1), T).build());
      assertThatThrownBy(() -> get(s.put(tooMuch))).hasCauseInstanceOf(StoreFullException.class)
          .hasMessageContaining("cap of 3");
      assertThat(s.fieldCount()).isEqualTo(2);
      assertThat(s.fieldNow("a", "x").value()).isEqualTo(Value.number(1));
      // replacing held fields adds nothing
      get(s.put(Graph.of(Node.builder("a").put("x", Value.number(2), T + 1).put("z", Value.number(1), T).build())));
      assertThat(s.fieldCount()).isEqualTo(3);
    }
  }
}
