package io.jgun.engine;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.store.Limit;
import io.jgun.store.Page;
import io.jgun.store.Store;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A store that passes every call to another: tests override what they want to watch or delay. */
public class StoreWrapper implements Store {
  protected final Store inner;

  public StoreWrapper(Store inner) {
    this.inner = inner;
  }

  @Override public CompletableFuture<Graph> put(Graph fields) { return inner.put(fields); }
  @Override public Node nodeNow(String soul) { return inner.nodeNow(soul); }
  @Override public @Nullable Field fieldNow(String soul, String key) { return inner.fieldNow(soul, key); }
  @Override public Page keysNow(String soul, Lex key, Limit limit) { return inner.keysNow(soul, key, limit); }
  @Override public Page soulsNow(Lex soul, Limit limit) { return inner.soulsNow(soul, limit); }
  @Override public CompletableFuture<Node> node(String soul) { return inner.node(soul); }
  @Override public CompletableFuture<@Nullable Field> field(String soul, String key) { return inner.field(soul, key); }
  @Override public CompletableFuture<Page> keys(String soul, Lex key, Limit limit) { return inner.keys(soul, key, limit); }
  @Override public CompletableFuture<Page> souls(Lex soul, Limit limit) { return inner.souls(soul, limit); }
  @Override public void close() { inner.close(); }
}
