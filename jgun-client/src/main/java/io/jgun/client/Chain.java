package io.jgun.client;

import io.jgun.graph.Lex;
import io.jgun.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A position in the graph: a soul, then keys followed through links ({@code gun.get("a").get("b")}),
 * optionally ending in a lex condition or {@code map()} over a node's items. Chains are cheap
 * immutable values; nothing is sent until an operation ({@link #put}, {@link #once}, {@link #on}…).
 * The only state a chain holds is the set of listeners registered through it, for {@link #off()}:
 * chains are not cached ({@code gun.get("x")} makes a new one each time), so keep the chain whose
 * listeners you want to remove together.
 *
 * <p>Data comes back as plain Java values (see {@link Listener}), or as your own types through
 * Jackson with {@link #once(Class)}.
 *
 * <p>(Over 500 lines because it is the whole public chain API with its Javadoc; it only checks
 * arguments and composes futures: the work is done by {@link Engine}'s components on the loop.)
 */
public final class Chain {
  private static final Logger log = LoggerFactory.getLogger(Chain.class);
  private final Engine engine;
  private final Path path;
  private final @Nullable Chain parent;
  /** Keeps the items whose keys pass; null: all. */
  private final @Nullable Predicate<String> keyFilter;
  /** Turns an item into what is passed on; a null result skips it; null: items as they are. */
  private final @Nullable BiFunction<@Nullable Object, String, @Nullable Object> transform;
  /** The listeners registered through this chain (or a map() chain made from it) and not off yet. */
  private final Set<Subscription> listeners = ConcurrentHashMap.newKeySet();
  /** For a chain made by {@code map(…)}: the chain it was made from, whose {@link #off()} covers it. */
  private final @Nullable Chain mappedFrom;

  Chain(Engine engine, Path path, @Nullable Chain parent) {
    this(engine, path, parent, null, null, null);
  }

  private Chain(
      Engine engine,
      Path path,
      @Nullable Chain parent,
      @Nullable Predicate<String> keyFilter,
      @Nullable BiFunction<@Nullable Object, String, @Nullable Object> transform,
      @Nullable Chain mappedFrom) {
    this.engine = engine;
    this.path = path;
    this.parent = parent;
    this.keyFilter = keyFilter;
    this.transform = transform;
    this.mappedFrom = mappedFrom;
  }

  /** The field {@code key} of this node (following it when it links to another node). */
  public Chain get(String key) {
    if (path.many()) {
      throw new IllegalStateException("get(key) after a lex or map() chain is not supported");
    }
    if (key.isEmpty() || key.equals("_")) {
      throw new IllegalArgumentException("a key is a non-empty string other than '_'");
    }
    return new Chain(engine, path.child(key), this);
  }

  /**
   * The fields of this node whose keys match {@code lex}: prefix ({@link Lex#prefix}), range
   * ({@link Lex#range}), with a limit {@code %} ({@link Lex#withLimit}) and direction ({@link
   * Lex#withReverse}). The GET sent carries the condition; only matching keys are passed on.
   */
  public Chain get(Lex lex) {
    Objects.requireNonNull(lex, "lex");
    if (path.many()) {
      throw new IllegalStateException("a lex chain on a lex or map() chain is not supported");
    }
    return new Chain(engine, new Path(path.soul(), path.keys(), lex, false), this);
  }

  /**
   * Every item of this node: {@link #on} is called per item (links followed), {@link #once()} gives
   * them all, {@link #put} writes into each. On a chain that already is a map() or over souls it
   * returns this chain.
   */
  public Chain map() {
    if (path.map() || path.souls() != null) {
      return this;
    }
    return new Chain(engine, new Path(path.soul(), path.keys(), path.lex(), true), this, null, null, this);
  }

  /**
   * Only the items whose keys pass {@code keyFilter} (Gun's {@code map(lex)}; for a lex, {@code
   * map(Lex.prefix("a")::matches)}). Unlike {@link #get(Lex)}, nothing of the condition is sent:
   * the items are read as by {@link #map()} and filtered here, on the callback executor (so the
   * filter may be any code). {@link #on}, {@link #once()} and {@link #put} see only those items.
   * On a chain already filtered, both filters apply.
   */
  public Chain map(Predicate<String> keyFilter) {
    Objects.requireNonNull(keyFilter, "keyFilter");
    Predicate<String> f = this.keyFilter == null ? keyFilter : this.keyFilter.and(keyFilter);
    return new Chain(engine, map().path, this, f, transform, this);
  }

  /**
   * Every item, transformed (Gun's {@code map(fn)}): {@code fn} gets each item's data (as {@link
   * #map()} gives it, null for a deleted item) and key, and returns what to pass on, or null to skip
   * the item. It runs on the callback executor, for each delivery to {@link #on} and for each item
   * read by {@link #once()}; {@link #put} writes into the items for which it returns non-null. On a
   * chain already transformed, {@code fn} gets the result of the earlier transform.
   */
  public Chain map(BiFunction<@Nullable Object, String, @Nullable Object> fn) {
    Objects.requireNonNull(fn, "fn");
    BiFunction<@Nullable Object, String, @Nullable Object> before = transform;
    BiFunction<@Nullable Object, String, @Nullable Object> t =
        before == null
            ? fn
            : (d, k) -> {
                Object x = before.apply(d, k);
                return x == null ? null : fn.apply(x, k);
              };
    return new Chain(engine, map().path, this, keyFilter, t, this);
  }

  /**
   * Every item of this node, converted to {@code type} (records, beans, or any type Jackson
   * converts to): {@code gun.get("people").map(Person.class).on((person, key) -> …)}. Items are
   * read as {@link #once(Class)} reads a node, so nested records are filled from their linked
   * nodes. Made from a filtered or transformed map() chain, the filter and transform apply first.
   */
  public <T> TypedItems<T> map(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new TypedItems<>(map(), type);
  }

  /** The chain this one was made from; a chain at a soul is its own parent. */
  public Chain back() {
    return parent != null ? parent : this;
  }

  /** The {@code n}-th parent ({@code back(1) == back()}); stops at the soul. */
  public Chain back(int n) {
    Chain c = this;
    for (int i = 0; i < n && c.parent != null; i++) {
      c = c.parent;
    }
    return c;
  }

  /** The last key of this chain, or its soul ({@code *} for a chain over souls). */
  public String key() {
    return path.key();
  }

  /**
   * Writes {@code data} here: a {@code Map}, a record or bean (through Jackson), or a value (a
   * string, number, boolean, null to delete, a {@link io.jgun.graph.Value}, or a chain made by
   * {@code gun.get(soul)} to link to). Nested objects become linked nodes (docs/protocol.md §1.3);
   * all fields get one state. The write goes to the local store at once and to every connected
   * peer, and is re-sent on (re)connect until a peer acknowledges it.
   *
   * <p>Unless the instance was built with {@link Gun.Builder#seaFirewall(boolean) seaFirewall(false)},
   * SEA's firewall checks the write first, as Gun.js does on every peer: a write it refuses (into
   * another user's graph without a valid signature or certificate, a {@code #} soul whose key is
   * not the value's hash…) is neither stored nor sent.
   *
   * <p>On a {@code map()} chain (Gun.js's {@code gun.get("list").map().put(data)}) it writes {@code
   * data} into every item the map knows now, as {@code get(itemKey).put(data)} would: an object is
   * merged into each linked item node, a value replaces each item. The items are read first (as
   * {@link #once()} would, so a {@link #map(Predicate) filter} or {@link #map(BiFunction)
   * transform} selects them); deleted items are skipped; items added later are not written. The
   * future completes when every item's write has completed, with the acknowledgement of the last
   * one (with no item: at once, a local acknowledgement whose soul is {@link #key()}), or fails with the
   * first error; the other items' writes still go on.
   *
   * @return completes with the first acknowledgement as configured ({@link AckPolicy}); fails with
   *     {@link GunException.InvalidData} or {@link GunException.Forbidden} (at once, nothing
   *     written), {@link GunException.Timeout} or {@link GunException.PeerError}
   */
  public CompletableFuture<Ack> put(@Nullable Object data) {
    return put(data, PutOptions.none());
  }

  /**
   * {@link #put(Object)} with options (Gun.js's {@code put(data, cb, {opt})}), e.g. a write
   * certificate to write into another user's graph: {@code put(data, PutOptions.cert(cert))}.
   */
  public CompletableFuture<Ack> put(@Nullable Object data, PutOptions options) {
    Objects.requireNonNull(options, "options");
    if (path.map() && path.souls() == null) {
      return putEach(data, options);
    }
    CompletableFuture<Ack> f = engine.future();
    engine.submitWrite(f, () -> engine.put(path, data, options, f));
    return f;
  }

  /** {@code put} on a map() chain: the same write into each item {@link #once()} would give now. */
  private CompletableFuture<Ack> putEach(@Nullable Object data, PutOptions options) {
    return items(false)
        .thenCompose(
            items -> {
              List<CompletableFuture<Ack>> writes = new ArrayList<>();
              if (items != null) {
                for (Map.Entry<String, @Nullable Object> e : items.entrySet()) {
                  if (e.getValue() != null) {
                    Path item = path.child(e.getKey());
                    CompletableFuture<Ack> f = engine.future();
                    engine.submitWrite(f, () -> engine.put(item, data, options, f));
                    writes.add(f);
                  }
                }
              }
              if (writes.isEmpty()) {
                CompletableFuture<Ack> none = engine.future();
                none.complete(new Ack(path.key(), null, Json.TRUE));
                return none;
              }
              return allOrFirstError(writes);
            });
  }

  /** Completes with the last future's value once all completed, or with the first failure. */
  private CompletableFuture<Ack> allOrFirstError(List<CompletableFuture<Ack>> writes) {
    CompletableFuture<Ack> all = engine.future();
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> {
          if (e == null) {
            all.complete(writes.get(writes.size() - 1).join());
          }
        });
    for (CompletableFuture<Ack> w : writes) {
      w.whenComplete((a, e) -> {
        if (e != null) {
          all.completeExceptionally(e);
        }
      });
    }
    return all;
  }

  /**
   * Adds {@code item} to the set at this node (Gun's {@code set}): an object is written under a new
   * random soul (or its own {@code _['#']}) and linked from here with the soul as the key; a chain
   * {@code gun.get(soul)} is linked as it is; a primitive is stored under a random 7-character key.
   * The ack's {@link Ack#soul()} is the item's soul.
   */
  public CompletableFuture<Ack> set(Object item) {
    return set(item, PutOptions.none());
  }

  /** {@link #set(Object)} with options (a write certificate for the item and the link to it). */
  public CompletableFuture<Ack> set(Object item, PutOptions options) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(options, "options");
    CompletableFuture<Ack> f = engine.future();
    engine.submitWrite(f, () -> engine.set(path, item, options, f));
    return f;
  }

  /**
   * Removes {@code item} from the set at this node (Gun's {@code lib/unset.js}): writes null into the
   * field keyed by the item's soul, the link {@link #set} made; the item node itself stays. {@code
   * item} is a chain made by {@code gun.get(soul)} or the soul itself. The ack's {@link Ack#soul()}
   * is this node's soul.
   *
   * @return as {@link #put}; fails with {@link GunException.InvalidData} on a lex or map() chain or
   *     for a chain that is not {@code gun.get(soul)}
   */
  public CompletableFuture<Ack> unset(Object item) {
    return unset(item, PutOptions.none());
  }

  /** {@link #unset(Object)} with options (a write certificate for the set's node). */
  public CompletableFuture<Ack> unset(Object item, PutOptions options) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(options, "options");
    String soul = item instanceof Chain c ? c.plainSoul() : item instanceof String s ? s : null;
    if (soul == null || soul.isEmpty() || soul.equals("_")) {
      CompletableFuture<Ack> f = engine.future();
      f.completeExceptionally(new GunException.InvalidData("unset needs a chain made by gun.get(soul) or a soul"));
      return f;
    }
    if (path.many()) {
      CompletableFuture<Ack> f = engine.future();
      f.completeExceptionally(new GunException.InvalidData("cannot unset on a lex or map() chain"));
      return f;
    }
    CompletableFuture<Ack> f = engine.future();
    Path field = path.child(soul);
    engine.submitWrite(f, () -> engine.put(field, null, options, f));
    return f;
  }

  /**
   * Reads once: the local data, refreshed from every connected peer (completes when all have
   * answered, or after the read timeout). Empty when not found or deleted. A node is a {@code
   * Map<String, Object>} (links as {@code {"#": soul}}); a lex or map() chain gives one map of all
   * its items, as {@link #collect()} does (Gun.js's {@code map().once(cb)} calls back per item
   * instead: that is {@link #once(Listener)}).
   *
   * <p>With peers configured but none connected, it first waits up to the read timeout for one to
   * connect, then asks it: always just after {@code build()} (until a peer connects or every
   * peer's first attempt failed), and during an outage when the local graph has nothing there
   * (offline first: local data is answered at once then). If none connects, it answers from the
   * local graph, or, when that has nothing, fails with {@link GunException.NotConnected} ({@link
   * GunException.Unreachable} when every peer's latest connection attempt failed): an empty result
   * always means a peer, or the local graph of an instance without peers, said "not found".
   */
  public CompletableFuture<Optional<Object>> once() {
    return read(false).thenApply(Optional::ofNullable);
  }

  /**
   * Reads once and calls {@code listener} as Gun.js's {@code once(cb)} does: on a map() or lex
   * chain (or one over souls) once per item, with its key (not at all when there is none; null data
   * for a deleted item); on any other chain exactly once, with the data or null when not found. It
   * runs on the callback executor, after the same read as {@link #once()}.
   *
   * @return completes after the last call; fails as {@link #once()} does (the listener is then not
   *     called) or with what the listener threw
   */
  public CompletableFuture<Void> once(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (path.many()) {
      return collect().thenAccept(items -> items.forEach((k, d) -> listener.onData(d, k)));
    }
    return once().thenAccept(d -> listener.onData(d.orElse(null), path.key()));
  }

  /**
   * Reads every item of this map() or lex chain (or the nodes of a chain over souls) once and
   * completes with all of them in one map, key (or soul) → data, in the order read, empty when there
   * is none; links are followed one level, and a {@link #map(Predicate) filter} or {@link
   * #map(BiFunction) transform} applies. The same read as {@link #once()}, typed for the many-items
   * case.
   *
   * @throws IllegalStateException on a chain that is not a map(), lex or souls chain
   */
  public CompletableFuture<Map<String, @Nullable Object>> collect() {
    return collect(false);
  }

  /** {@link #collect()}; {@code deep}: links followed as {@link #once(Class)} follows them. */
  CompletableFuture<Map<String, @Nullable Object>> collect(boolean deep) {
    if (!path.many()) {
      throw new IllegalStateException("collect() reads the items of a map(), lex or souls chain; " + this + " is a single value: use once()");
    }
    return read(deep)
        .thenApply(
            d -> {
              if (!(d instanceof Map<?, ?> m)) {
                return Map.of();
              }
              @SuppressWarnings("unchecked")
              Map<String, @Nullable Object> items = (Map<String, @Nullable Object>) m;
              return java.util.Collections.unmodifiableMap(items);
            });
  }

  /**
   * Reads once and converts to {@code type} with Jackson, following links to any depth (cycles are
   * cut: a link back to a node being read stays a {@code {"#": soul}} map). Fails with {@link
   * GunException.TypeMismatch} when the data does not fit the type.
   */
  public <T> CompletableFuture<Optional<T>> once(Class<T> type) {
    CompletableFuture<Optional<T>> f = engine.future();
    read(true)
        .whenComplete(
            (d, e) -> {
              if (e != null) {
                f.completeExceptionally(e);
                return;
              }
              try {
                f.complete(Optional.ofNullable(convert(d, type, path.key())));
              } catch (GunException.TypeMismatch x) {
                f.completeExceptionally(x);
              }
            });
    return f;
  }

  /** The data {@link #once()} gives, null when none; completes on the callback executor. */
  private CompletableFuture<@Nullable Object> read(boolean deep) {
    if (keyFilter != null || transform != null) {
      return items(deep).thenApply(m -> m);
    }
    CompletableFuture<@Nullable Object> f = engine.future();
    engine.submit(() -> engine.once(path, deep, f), f);
    return f;
  }

  /**
   * The items of this map() chain as {@code key -> data}, filtered and transformed, or null when
   * none is left; the filter and transform run on the callback executor.
   */
  @SuppressWarnings("unchecked")
  private CompletableFuture<@Nullable Map<String, @Nullable Object>> items(boolean deep) {
    CompletableFuture<@Nullable Object> raw = engine.future();
    engine.submit(() -> engine.once(path, deep, raw), raw);
    return raw.thenApply(
        d -> {
          if (!(d instanceof Map<?, ?> all)) {
            return null;
          }
          Map<String, @Nullable Object> out = new LinkedHashMap<>();
          ((Map<String, @Nullable Object>) all)
              .forEach(
                  (k, v) -> {
                    if (keyFilter != null && !keyFilter.test(k)) {
                      return;
                    }
                    if (transform == null) {
                      out.put(k, v);
                    } else {
                      Object x = transform.apply(v, k);
                      if (x != null) {
                        out.put(k, x);
                      }
                    }
                  });
          return out.isEmpty() ? null : out;
        });
  }

  /**
   * Listens: called with the current data when there is some, then on every change (a node's
   * listener gets the whole node again), never twice in a row with equal data, never for "not
   * found". On a map() or lex chain it is called per item, with the item's key (after a {@link
   * #map(Predicate) filter}, only for the items it keeps; after a {@link #map(BiFunction)
   * transform}, with its non-null results). Subscribes at the relays (and again after every
   * reconnect). The listener stays until its {@link Subscription#off()} or this chain's {@link
   * #off()}.
   */
  public Subscription on(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    return listen(listener, false);
  }

  /** {@link #on(Listener)}; {@code deep}: links followed and delivered as nested maps (typed listeners). */
  private Subscription listen(Listener listener, boolean deep) {
    Listener l = listener;
    Predicate<String> f = keyFilter;
    BiFunction<@Nullable Object, String, @Nullable Object> t = transform;
    if (f != null || t != null) {
      l = (d, k) -> {
        if (f != null && !f.test(k)) {
          return;
        }
        if (t == null) {
          listener.onData(d, k);
        } else {
          Object x = t.apply(d, k);
          if (x != null) {
            listener.onData(x, k);
          }
        }
      };
    }
    List<Chain> owners = new ArrayList<>();
    for (Chain c = this; c != null; c = c.mappedFrom) {
      owners.add(c);
    }
    Registered r = new Registered(engine.watch(path, l, deep), owners);
    owners.forEach(c -> c.listeners.add(r));
    return r;
  }

  /**
   * {@link #on(Listener)} with each delivery converted to {@code type} through Jackson (null stays
   * null), e.g. {@code gun.get("todos").map().on(Todo.class, (todo, key) -> …)}. Links are followed
   * as {@link #once(Class)} follows them, so a record component whose data is a linked node gets
   * that node, converted (bounded as deep reads are: 32 links deep, at most 10,000 nodes; a link
   * back to a node being read stays a {@code {"#": soul}} map); a change in any linked node
   * delivers again. A delivery that does not convert is skipped and logged at WARN; see {@link
   * #on(Class, BiConsumer, Consumer)}. For the items of a set, {@link #map(Class)} reads better.
   */
  public <T> Subscription on(Class<T> type, BiConsumer<? super @Nullable T, String> listener) {
    return on(type, listener, e -> log.warn("{} skipped a delivery: {}", this, e.getMessage()));
  }

  /**
   * {@link #on(Class, BiConsumer)}, with the deliveries that do not convert to {@code type} passed
   * to {@code onMismatch} (on the callback executor) instead of being logged.
   */
  public <T> Subscription on(
      Class<T> type, BiConsumer<? super @Nullable T, String> listener, Consumer<? super GunException.TypeMismatch> onMismatch) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(onMismatch, "onMismatch");
    return listen(
        (d, k) -> {
          T value;
          try {
            value = convert(d, type, k);
          } catch (GunException.TypeMismatch x) {
            onMismatch.accept(x);
            return;
          }
          listener.accept(value, k);
        },
        true);
  }

  /** {@code data} (as a deep read gives it) as a {@code type}, null staying null. */
  <T> @Nullable T convert(@Nullable Object data, Class<T> type, String key) {
    try {
      return data == null ? null : engine.mapper().convertValue(data, type);
    } catch (IllegalArgumentException x) {
      throw new GunException.TypeMismatch(type, key, x);
    }
  }

  /**
   * Removes every listener registered through this chain by {@link #on} (and through the {@link
   * #map()} chains made from it), as Gun.js's {@code chain.off()}: they get no more data (a delivery
   * already handed to the callback executor may still run). Nothing is sent to the peers. Listeners
   * registered through other chain objects, even on the same soul, are not affected; the chain can
   * be listened to again afterwards.
   */
  public void off() {
    for (Subscription s : List.copyOf(listeners)) {
      s.off();
    }
  }

  /** A listener registered through chains, which forget it when it is turned off. */
  private static final class Registered implements Subscription {
    private final Subscription watch;
    private final List<Chain> owners;

    Registered(Subscription watch, List<Chain> owners) {
      this.watch = watch;
      this.owners = owners;
    }

    @Override
    public void off() {
      watch.off();
      owners.forEach(c -> c.listeners.remove(this));
    }
  }

  /**
   * Calls {@code onNotFound} with this chain's key if a read finds nothing (Gun's {@code not.js});
   * returns this chain. Not called when the read fails (e.g. {@link GunException.NotConnected}:
   * nobody could say whether the data exists).
   */
  public Chain not(Consumer<String> onNotFound) {
    Objects.requireNonNull(onNotFound, "onNotFound");
    once().thenAccept(d -> {
      if (d.isEmpty()) {
        onNotFound.accept(path.key());
      }
    });
    return this;
  }

  /** The soul when this chain is {@code gun.get(soul)} and nothing more, else null. */
  @Nullable String plainSoul() {
    return path.keys().isEmpty() && !path.many() ? path.soul() : null;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("gun.get(").append(path.soul()).append(')');
    path.keys().forEach(k -> b.append(".get(").append(k).append(')'));
    if (path.lex() != null) {
      b.append(".get(").append(path.lex().toJson().toJs()).append(')');
    }
    if (path.map()) {
      b.append(keyFilter != null || transform != null ? ".map(fn)" : ".map()");
    }
    return b.toString();
  }
}
