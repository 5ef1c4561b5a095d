package io.jgun.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped with {@code pg_ctl stop -m immediate} in the middle of a load, then started
 * again: puts and reads fail with a {@link StoreException} within a bounded time while it is down,
 * nothing hangs, every acknowledged write is there afterwards (in this store and in a new one), and
 * the store and its change feed serve again. Runs its own cluster, since it stops it.
 */
class PostgresFaultTest {
  private static final double T = 1_795_520_969_763.0;
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void aServerCrashMidLoadLosesNoAckedWriteAndTheStoreServesAgain() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      String schema = PostgresCluster.freshSchema();
      Queue<String> acked = new ConcurrentLinkedQueue<>();
      Queue<Throwable> failed = new ConcurrentLinkedQueue<>();
      Queue<String> hung = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      BlockingQueue<Graph> feedSeen = new LinkedBlockingQueue<>();
      try (PostgresStore store = pg.store(schema).connectionTimeout(Duration.ofSeconds(2)).open();
          PostgresStore other = pg.store(schema).connectionTimeout(Duration.ofSeconds(2)).open();
          ChangeFeed feed = store.changes(feedSeen::add)) {
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int id = t;
          Thread w = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
              String key = "w" + id + "_" + i;
              try {
                store.put(Graph.of(Node.builder("load").put(key, Value.number(i), T).build()))
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS);
                acked.add(key);
              } catch (ExecutionException e) {
                failed.add(e.getCause());
              } catch (TimeoutException e) {
                hung.add(key);
              } catch (InterruptedException e) {
                return;
              }
            }
          }, "load-" + t);
          w.start();
          writers.add(w);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 200);

        pg.stopImmediately();
        int ackedAtCrash = acked.size();
        // every writer sees its puts fail (the one in flight and the next ones), none hangs
        await().atMost(Duration.ofSeconds(60)).until(() -> failed.size() >= 8);
        assertThatThrownBy(() -> store.fieldNow("load", "w0_0")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.node("load").get(BOUND.toSeconds(), TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);

        pg.startServer();
        // the writers' puts succeed again
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() > ackedAtCrash + 50);
        stop.set(true);
        for (Thread w : writers) {
          w.join(TimeUnit.SECONDS.toMillis(2 * BOUND.toSeconds()));
          assertThat(w.isAlive()).as("%s stopped", w.getName()).isFalse();
        }
        assertThat(hung).as("puts that got no answer within %s", BOUND).isEmpty();
        assertThat(failed).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(StoreException.class));

        // reads serve again too (the read pool reconnects on its own schedule)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> store.fieldNow("load", "w0_0") != null);
        // every acknowledged write is stored, seen by this store and by a new one
        Map<String, Field> stored = store.nodeNow("load").fields();
        try (PostgresStore fresh = pg.store(schema).open()) {
          assertThat(fresh.nodeNow("load").fields()).isEqualTo(stored);
        }
        for (String key : acked) {
          double i = Double.parseDouble(key.substring(key.indexOf('_') + 1));
          assertThat(stored.get(key)).as(key).isEqualTo(new Field(Value.number(i), T));
        }

        // the change feed reconnected: the other store's writes reach it again
        Graph after = Graph.of(Node.builder("after").put("k", Value.text("v"), T).build());
        other.put(after).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        Graph g;
        do {
          g = feedSeen.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
          assertThat(g).as("the feed delivers after the restart").isNotNull();
        } while (g.node("after") == null);
        assertThat(g.node("after")).isEqualTo(after.node("after"));
        assertThat(feed.delivered()).isPositive();
      } finally {
        stop.set(true);
      }
    }
  }

  @Test
  void withTheServerDownOnlyTheFirstReadWaitsForIt() throws Exception {
    try (PostgresCluster pg = PostgresCluster.start()) {
      String schema = PostgresCluster.freshSchema();
      try (PostgresStore store = pg.store(schema).connectionTimeout(Duration.ofSeconds(3)).open()) {
        store.put(Graph.of(Node.builder("up").put("k", Value.number(1), T).build())).get(30, TimeUnit.SECONDS);
        pg.stopImmediately();
        // the first read finds it down: it waits for a connection (or its dead one fails)
        assertThatThrownBy(() -> store.fieldNow("up", "k")).isInstanceOf(StoreException.class)
            .satisfies(e -> assertThat(Reachability.isConnectivity((java.sql.SQLException) e.getCause())).isTrue());
        assertThat(store.isReachable()).isFalse();
        // the next ones fail at once, saying why, instead of each waiting the connection timeout
        for (int i = 0; i < 20; i++) {
          assertThatThrownBy(() -> store.fieldNow("up", "k")).isInstanceOf(StoreException.class)
              .hasMessageContaining("PostgreSQL unreachable for").hasMessageContaining("failing at once");
        }
        assertThatThrownBy(() -> store.node("up").get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(StoreException.class).hasMessageContaining("PostgreSQL unreachable");
        pg.startServer();
        // a probe, not a read, finds it back
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> new Field(Value.number(1), T).equals(store.fieldNow("up", "k")));
        assertThat(store.isReachable()).isTrue();
      }
    }
  }
}
