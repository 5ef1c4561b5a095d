package io.jgun.client;

import io.jgun.client.Asks.Mode;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live listeners ({@link Chain#on}): what each watches (the souls its path went through), what
 * it delivered last, and re-reading it when one of those souls changes. One read per listener at a
 * time; a change during a read reads again once after it. Confined to the loop; deliveries run on
 * the callback executor.
 */
final class Watches {
  private static final Logger log = LoggerFactory.getLogger(Watches.class);
  /** One {@link Chain#on} listener: what it watches, what it delivered last. */
  final class Watch implements Subscription {
    final Path path;
    final Listener listener;
    /** Whether linked nodes are read to the depth deep reads go (typed listeners). */
    final boolean deep;
    Set<String> souls = Set.of();
    @Nullable Object last;
    boolean delivered;
    final Map<String, @Nullable Object> lastItems = new HashMap<>();
    boolean busy;
    boolean again;
    volatile boolean off;

    Watch(Path path, Listener listener, boolean deep) {
      this.path = path;
      this.listener = listener;
      this.deep = deep;
    }

    @Override
    public void off() {
      off = true;
      loop.submit(() -> watches.remove(this));
    }
  }

  private final ClientLoop loop;
  private final PathReader reader;
  private final LocalGraph local;
  private final Asks asks;
  private final SerialExecutor callbacks;
  private final List<Watch> watches = new ArrayList<>();

  Watches(ClientLoop loop, PathReader reader, LocalGraph local, Asks asks, SerialExecutor callbacks) {
    this.loop = loop;
    this.reader = reader;
    this.local = local;
    this.asks = asks;
    this.callbacks = callbacks;
  }

  /**
   * Registers a live listener; {@code deep}: linked nodes are followed (bounded as deep reads are)
   * and delivered nested, and a change in any of them delivers again. Any thread.
   */
  Watch watch(Path path, Listener listener, boolean deep) {
    Watch w = new Watch(path, listener, deep);
    loop.submit(
        () -> {
          if (!w.off) {
            watches.add(w);
            // local data first (offline-first), then what the peers answer
            w.busy = true;
            evaluate(w, Mode.LOCAL, () -> {
              w.busy = false;
              refresh(w);
            });
          }
        });
    return w;
  }

  /** The local graph accepted {@code accepted}: every listener watching one of its souls reads again. */
  void changed(Graph accepted) {
    if (accepted.isEmpty() || watches.isEmpty()) {
      return;
    }
    loop.checkInLoop();
    Set<String> souls = accepted.nodes().keySet();
    for (Watch w : new ArrayList<>(watches)) {
      Lex soulLex = w.path.souls();
      if (soulLex != null) {
        if (souls.stream().anyMatch(soulLex::matches)) {
          refresh(w);
        }
        continue;
      }
      for (String s : w.souls) {
        if (souls.contains(s)) {
          refresh(w);
          break;
        }
      }
    }
  }

  void clear() {
    watches.clear();
  }

  private void refresh(Watch w) {
    if (w.off) {
      return;
    }
    if (w.busy) {
      w.again = true;
      return;
    }
    w.busy = true;
    evaluate(w, Mode.LIVE, () -> settle(w));
  }

  private void settle(Watch w) {
    w.busy = false;
    if (w.again) {
      w.again = false;
      refresh(w);
    }
  }

  /** Reads what {@code w} watches as far as {@code mode} allows, delivers what changed, then runs {@code done}. */
  private void evaluate(Watch w, Mode mode, Runnable done) {
    Lex soulLex = w.path.souls();
    if (soulLex != null) {
      asks.ensure(Asks.soulsGet(soulLex), mode, () -> {
        Map<String, @Nullable Object> nodes = local.soulsData(soulLex);
        if (nodes != null) {
          nodes.forEach((soul, d) -> deliverItem(w, soul, d));
        }
        done.run();
      });
      return;
    }
    reader.resolve(w.path, mode)
        .thenCompose(r -> evaluate(w, mode, r))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                log.warn("could not read {} for a listener", w.path.key(), e);
              }
              done.run();
            });
  }

  private CompletableFuture<Void> evaluate(Watch w, Mode mode, PathReader.Resolved r) {
    Set<String> souls = new LinkedHashSet<>(r.souls());
    String node = r.node();
    if (w.path.many() && r.found() && node != null) {
      return reader.items(node, w.path.lex(), w.path.map() || w.deep, w.deep, mode, souls)
          .thenAccept(
              items -> {
                w.souls = souls;
                if (items != null) {
                  items.forEach((k, d) -> deliverItem(w, k, d));
                }
              });
    }
    if (r.found() && r.leaf() == null && w.deep) {
      return reader.deep(Objects.requireNonNull(node), mode, souls)
          .thenAccept(
              data -> {
                w.souls = souls;
                deliverChange(w, data);
              });
    }
    w.souls = souls;
    Value leaf = r.leaf();
    if (r.found()) {
      deliverChange(w, leaf != null ? (leaf instanceof Value.Null ? null : Data.of(leaf)) : local.nodeData(Objects.requireNonNull(node), null));
    } else if (w.delivered && w.last != null) {
      // the field went away (a link replaced by nothing): say so once
      w.last = null;
      deliver(w, null, w.path.key());
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Delivers item {@code key} of a many-items watch unless it equals what was delivered for it last. */
  private void deliverItem(Watch w, String key, @Nullable Object data) {
    if (!w.lastItems.containsKey(key) || !Objects.equals(w.lastItems.get(key), data)) {
      w.lastItems.put(key, data);
      deliver(w, data, key);
    }
  }

  /** Delivers {@code data} found at a single-value watch unless it equals what was delivered last. */
  private void deliverChange(Watch w, @Nullable Object data) {
    if (w.delivered ? !Objects.equals(w.last, data) : data != null) {
      w.delivered = true;
      w.last = data;
      deliver(w, data, w.path.key());
    }
  }

  private void deliver(Watch w, @Nullable Object data, String key) {
    callbacks.execute(
        () -> {
          if (!w.off) {
            w.listener.onData(data, key);
          }
        });
  }
}
