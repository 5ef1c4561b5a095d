package io.jgun.client;

import io.jgun.graph.Lex;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A position in the graph: a soul, then keys followed through links ({@code gun.get("a").get("b")}),
 * optionally ending in a lex condition or {@code map()} over a node's items. Chains are cheap
 * immutable values; nothing is sent until an operation ({@link #put}, {@link #once}, {@link #on}…).
 *
 * <p>Data comes back as plain Java values (see {@link Listener}), or as your own types through
 * Jackson with {@link #once(Class)}.
 */
public final class Chain {
  private final Engine engine;
  private final Path path;
  private final @Nullable Chain parent;

  Chain(Engine engine, Path path, @Nullable Chain parent) {
    this.engine = engine;
    this.path = path;
    this.parent = parent;
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

  /** Every item of this node: {@link #on} is called per item (links followed), {@link #once()} gives them all. */
  public Chain map() {
    if (path.map() || path.souls() != null) {
      return this;
    }
    return new Chain(engine, new Path(path.soul(), path.keys(), path.lex(), true), this);
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
   * {@code gun.get(soul)} to link to). Nested objects become linked nodes (spec §1.3); all fields
   * get one state. The write goes to the local store at once and to every connected peer, and is
   * re-sent on (re)connect until a peer acknowledges it.
   *
   * <p>Unless the instance was built with {@link Gun.Builder#seaFirewall(boolean) seaFirewall(false)},
   * SEA's firewall checks the write first, as Gun.js does on every peer: a write it refuses (into
   * another user's graph without a valid signature or certificate, a {@code #} soul whose key is
   * not the value's hash…) is neither stored nor sent.
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
    CompletableFuture<Ack> f = new CompletableFuture<>();
    engine.submit(() -> engine.put(path, data, options, f), f);
    return f;
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
    CompletableFuture<Ack> f = new CompletableFuture<>();
    engine.submit(() -> engine.set(path, item, options, f), f);
    return f;
  }

  /**
   * Reads once: the local data, refreshed from every connected peer (completes when all have
   * answered, or after the read timeout). Empty when not found or deleted. A node is a {@code
   * Map<String, Object>} (links as {@code {"#": soul}}); a lex or map() chain gives a map of its
   * items (links followed one level).
   */
  public CompletableFuture<Optional<Object>> once() {
    CompletableFuture<Optional<Object>> f = new CompletableFuture<>();
    engine.submit(() -> engine.once(path, false, d -> engine.complete(f, Optional.ofNullable(d))), f);
    return f;
  }

  /**
   * Reads once and converts to {@code type} with Jackson, following links to any depth (cycles are
   * cut: a link back to a node being read stays a {@code {"#": soul}} map).
   */
  public <T> CompletableFuture<Optional<T>> once(Class<T> type) {
    CompletableFuture<Optional<T>> f = new CompletableFuture<>();
    engine.submit(
        () ->
            engine.once(
                path,
                true,
                d -> {
                  try {
                    engine.complete(f, Optional.ofNullable(d == null ? null : engine.mapper().convertValue(d, type)));
                  } catch (IllegalArgumentException e) {
                    engine.fail(f, new GunException.InvalidData("cannot read " + path.key() + " as " + type.getSimpleName() + ": " + e.getMessage(), e));
                  }
                }),
        f);
    return f;
  }

  /**
   * Listens: called with the current data when there is some, then on every change (a node's
   * listener gets the whole node again), never twice in a row with equal data, never for "not
   * found". On a map() or lex chain it is called per item, with the item's key. Subscribes at the
   * relays (and again after every reconnect).
   */
  public Subscription on(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    return engine.watch(path, listener);
  }

  /**
   * Calls {@code onNotFound} with this chain's key if a read finds nothing (Gun's {@code not.js});
   * returns this chain.
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
      b.append(".map()");
    }
    return b.toString();
  }
}
