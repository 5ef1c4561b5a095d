package io.jgun.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The items of a set or map of records, typed: what {@link Chain#map(Class)} gives. Each item is
 * converted to {@code T} through Jackson after a deep read (a record component whose data is a
 * linked node gets that node, converted; bounded as {@link Chain#once(Class)} bounds it); a
 * deleted item is null. Conversion failures are {@link GunException.TypeMismatch}.
 *
 * <p>A view over a {@code map()} {@link Chain}, not a chain itself: {@link #chain()} goes back to it
 * for writes and untyped reads.
 *
 * @param <T> the type of one item
 */
public final class TypedItems<T> {
  private final Chain items;
  private final Class<T> type;

  TypedItems(Chain items, Class<T> type) {
    this.items = items;
    this.type = type;
  }

  /**
   * Listens per item, as {@link Chain#on(Class, BiConsumer)} on the map() chain: called with each
   * item and its key now, then on every change to an item or to a node it links to. An item that
   * does not convert is skipped and logged at WARN.
   */
  public Subscription on(BiConsumer<? super @Nullable T, String> listener) {
    return items.on(type, listener);
  }

  /** {@link #on(BiConsumer)}, with the items that do not convert passed to {@code onMismatch} instead of being logged. */
  public Subscription on(BiConsumer<? super @Nullable T, String> listener, Consumer<? super GunException.TypeMismatch> onMismatch) {
    return items.on(type, listener, onMismatch);
  }

  /**
   * Reads once and calls {@code listener} per item, with its key, in the order read (as Gun.js's
   * {@code map().once(cb)}; not at all when there is none), on the callback executor.
   *
   * @return completes after the last call; fails as {@link Chain#once()} does, or with {@link
   *     GunException.TypeMismatch} when an item does not convert (the listener is then not called
   *     at all), or with what the listener threw
   */
  public CompletableFuture<Void> once(BiConsumer<? super @Nullable T, String> listener) {
    Objects.requireNonNull(listener, "listener");
    return collect().thenAccept(all -> all.forEach((k, v) -> listener.accept(v, k)));
  }

  /**
   * Reads every item once: key → item, in the order read, empty when there is none.
   *
   * @return fails as {@link Chain#collect()} does, or with {@link GunException.TypeMismatch} naming
   *     the first item that does not convert
   */
  public CompletableFuture<Map<String, @Nullable T>> collect() {
    return items.collect(true)
        .thenApply(
            all -> {
              Map<String, @Nullable T> out = new LinkedHashMap<>();
              all.forEach((k, d) -> out.put(k, items.convert(d, type, k)));
              return Collections.unmodifiableMap(out);
            });
  }

  /** Removes every listener registered through this view (and through its {@link #chain()}). */
  public void off() {
    items.off();
  }

  /** The map() chain this view reads. */
  public Chain chain() {
    return items;
  }

  @Override
  public String toString() {
    return items + ".map(" + type.getSimpleName() + ".class)";
  }
}
