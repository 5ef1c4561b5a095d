package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Lex;
import io.jgun.graph.StateClock;
import io.jgun.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Two or more Java clients exchanging data through an in-process jgun relay. */
class RelayChainTest {
  @AutoClose private final Resources open = new Resources();

  private <T extends AutoCloseable> T keep(T c) {
    return open.keep(c);
  }

  private Gun client(String url) {
    Gun g = keep(Gun.builder().peers(url).reconnectDelay(Duration.ofMillis(100)).readTimeout(Duration.ofSeconds(20)).build());
    return g;
  }

  private Gun connected(TestRelay relay) {
    Gun g = client(relay.url());
    await().until(() -> g.connectedPeers() == 1);
    return g;
  }

  @Test
  void aWriteIsAcknowledgedByTheRelayAndReadByAnotherClient() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    Ack ack = join(a.get("user/alice").put(Map.of("name", "Alice", "age", 30)));
    assertThat(ack.local()).isFalse();
    assertThat(ack.peer()).isEqualTo(relay.url());
    assertThat(ack.ok()).isEqualTo(Json.TRUE);
    assertThat(join(b.get("user/alice").once())).contains(Map.of("name", "Alice", "age", 30L));
    assertThat(join(b.get("user/alice").get("age").once())).contains(30L);
  }

  @Test
  void notFoundIsAnsweredAsSoonAsThePeerSaysSo() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun b = connected(relay);
    long t0 = System.nanoTime();
    // the read timeout is 20 s: an empty answer well before it came from the relay's not-found
    assertThat(join(b.get("nothing/here").once())).isEmpty();
    assertThat(join(b.get("nothing").get("here").once())).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  record Geo(double lat, double lng) {}

  record Org(String name, Geo geo) {}

  @Test
  void deepPutsAreReadBackTypedByAnotherClient() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    join(a.get("org/acme").put(new Org("ACME", new Geo(48.85, 2.35))));
    assertThat(join(b.get("org/acme").once(Org.class))).contains(new Org("ACME", new Geo(48.85, 2.35)));
    assertThat(join(b.get("org/acme").get("geo").get("lng").once())).contains(2.35);
  }

  @Test
  void onSeesAnotherClientsChangesLive() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    List<Object> seen = new CopyOnWriteArrayList<>();
    join(a.get("room").put(Map.of("topic", "one")));
    b.get("room").get("topic").on((d, k) -> seen.add(d));
    await().until(() -> seen.equals(List.of("one")));
    join(a.get("room").put(Map.of("topic", "two")));
    await().until(() -> seen.equals(List.of("one", "two")));
    join(a.get("room").put(Map.of("topic", "three")));
    await().until(() -> seen.equals(List.of("one", "two", "three")));
  }

  @Test
  void mapOnSeesItemsSetByAnotherClient() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    Map<String, Object> items = Collections.synchronizedMap(new HashMap<>());
    Ack first = join(a.get("chat/r1").set(Map.of("text", "hello", "name", "a")));
    b.get("chat/r1").map().on((d, k) -> items.put(k, d));
    await().until(() -> items.size() == 1);
    Ack second = join(a.get("chat/r1").set(Map.of("text", "world", "name", "a")));
    await().until(() -> items.size() == 2);
    assertThat(items)
        .containsEntry(first.soul(), Map.of("text", "hello", "name", "a"))
        .containsEntry(second.soul(), Map.of("text", "world", "name", "a"));
  }

  @Test
  void lexReadsThroughTheRelay() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    join(a.get("idx").put(Map.of("apple", 1, "apricot", 2, "banana", 3)));
    assertThat(join(b.get("idx").get(Lex.prefix("ap")).once())).contains(Map.of("apple", 1L, "apricot", 2L));
  }

  @Test
  void soulLexReadsThroughTheRelay() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    join(a.get("team/red").put(Map.of("n", 1)));
    join(a.get("team/blue").put(Map.of("n", 2)));
    join(a.get("other").put(Map.of("n", 3)));
    assertThat(join(b.get(Lex.prefix("team/")).once())).contains(Map.of("team/red", Map.of("n", 1L), "team/blue", Map.of("n", 2L)));
  }

  @Test
  void offlineWritesAreSentAndAcknowledgedWhenTheRelayComesUp() throws Exception {
    TestRelay probe = TestRelay.start();
    int port = probe.port();
    String url = probe.url();
    probe.close();
    Gun a = keep(Gun.builder().peers(url).reconnectDelay(Duration.ofMillis(100)).ackTimeout(Duration.ofSeconds(30)).build());
    CompletableFuture<Ack> pending = a.get("offline/note").put(Map.of("text", "written offline"));
    // served locally while offline
    assertThat(join(a.get("offline/note").get("text").once())).contains("written offline");
    assertThat(pending).isNotDone();
    TestRelay relay = keep(TestRelay.start(port));
    Ack ack = join(pending);
    assertThat(ack.peer()).isEqualTo(url);
    Gun b = connected(relay);
    assertThat(join(b.get("offline/note").get("text").once())).contains("written offline");
  }

  @Test
  void aPutNobodyAcknowledgesTimesOutButIsStillDeliveredLater() throws Exception {
    TestRelay probe = TestRelay.start();
    int port = probe.port();
    String url = probe.url();
    probe.close();
    Gun a = keep(Gun.builder().peers(url).reconnectDelay(Duration.ofMillis(100)).ackTimeout(Duration.ofMillis(200)).build());
    assertThatThrownBy(() -> join(a.get("late").put(Map.of("v", 1))))
        .hasCauseInstanceOf(GunException.Timeout.class)
        .hasMessageContaining("No ACK yet");
    TestRelay relay = keep(TestRelay.start(port));
    Gun b = connected(relay);
    await().until(() -> join(b.get("late").get("v").once()).isPresent());
  }

  @Test
  void aWriteMadeWhileTheRelayIsDownIsResentAfterTheReconnect() throws Exception {
    TestRelay relay = TestRelay.start();
    int port = relay.port();
    Gun a = connected(relay);
    join(a.get("doc").put(Map.of("v", "before")));
    relay.close();
    await().until(() -> a.connectedPeers() == 0);
    CompletableFuture<Ack> pending = a.get("doc").put(Map.of("v", "during"));
    assertThat(join(a.get("doc").get("v").once())).contains("during");
    TestRelay again = keep(TestRelay.start(port));
    assertThat(join(pending).peer()).isEqualTo(again.url());
    Gun b = connected(again);
    assertThat(join(b.get("doc").get("v").once())).contains("during");
  }

  @Test
  void aNestedPutReusesTheSoulAnotherClientLinked() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    join(a.get("co").put(Map.of("boss", Map.of("_", Map.of("#", "people/ann"), "name", "Ann"))));
    // b never read "co": the put asks the relay first and writes into people/ann, not co/boss
    join(b.get("co").put(Map.of("boss", Map.of("title", "CEO"))));
    assertThat(join(a.get("people/ann").once())).contains(Map.of("name", "Ann", "title", "CEO"));
    assertThat(join(a.get("co/boss").once())).isEmpty();
  }

  @Test
  void localAckPolicyCompletesWithoutAPeer() throws Exception {
    Gun a = keep(Gun.builder().peers("ws://127.0.0.1:9/gun").acks(AckPolicy.LOCAL).build());
    Ack ack = join(a.get("x").put(Map.of("y", 1)));
    assertThat(ack.local()).isTrue();
  }

  @Test
  void offStopsThisChainsListenersWhileAnotherChainOnTheSameSoulStillHearsTheRelay() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    join(a.get("feed").put(Map.of("n", 1)));
    List<Object> first = new CopyOnWriteArrayList<>();
    List<Object> second = new CopyOnWriteArrayList<>();
    List<Object> node = new CopyOnWriteArrayList<>();
    List<Object> child = new CopyOnWriteArrayList<>();
    List<Object> other = new CopyOnWriteArrayList<>();
    Chain n = b.get("feed").get("n");
    n.on((d, k) -> first.add(d));
    n.on((d, k) -> second.add(d));
    Chain feed = b.get("feed");
    feed.on((d, k) -> node.add(d));
    feed.get("n").on((d, k) -> child.add(d)); // a get() child is a chain of its own: feed.off() leaves it
    b.get("feed").get("n").on((d, k) -> other.add(d)); // another chain object, same field
    await().until(() -> first.size() == 1 && second.size() == 1 && node.size() == 1 && child.size() == 1 && other.size() == 1);
    n.off();
    feed.off();
    join(a.get("feed").put(Map.of("n", 2)));
    await().until(() -> other.equals(List.of(1L, 2L)) && child.equals(List.of(1L, 2L)));
    assertThat(join(b.get("feed").get("n").once())).contains(2L);
    assertThat(first).containsExactly(1L);
    assertThat(second).containsExactly(1L);
    assertThat(node).containsExactly(Map.of("n", 1L));
  }

  @Test
  void putOnAMapChainWritesIntoItemsAnotherClientAdded() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    Ack one = join(a.get("todo/list").set(Map.of("title", "milk")));
    Ack two = join(a.get("todo/list").set(Map.of("title", "eggs")));
    // b never read the list: the put reads the items from the relay first
    Ack ack = join(b.get("todo/list").map().put(Map.of("done", true)));
    assertThat(ack.peer()).isEqualTo(relay.url());
    assertThat(join(a.get(one.soul()).once())).contains(Map.of("title", "milk", "done", true));
    assertThat(join(a.get(two.soul()).once())).contains(Map.of("title", "eggs", "done", true));
  }

  @Test
  void unsetAndFilteredMapsThroughTheRelay() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    Gun b = connected(relay);
    Ack ann = join(a.get("crew").set(Map.of("name", "Ann", "role", "pilot")));
    Ack bob = join(a.get("crew").set(Map.of("name", "Bob", "role", "cook")));
    Map<String, Object> pilots = Collections.synchronizedMap(new HashMap<>());
    b.get("crew").map((d, k) -> d instanceof Map<?, ?> m && "pilot".equals(m.get("role")) ? m.get("name") : null).on((d, k) -> pilots.put(k, d));
    List<Object> links = new CopyOnWriteArrayList<>();
    b.get("crew").get(ann.soul()).on((d, k) -> links.add(d == null ? "null" : "item"));
    await().until(() -> pilots.equals(Map.of(ann.soul(), "Ann")) && links.equals(List.of("item")));
    Ack cy = join(a.get("crew").set(Map.of("name", "Cy", "role", "pilot")));
    await().until(() -> pilots.size() == 2);
    assertThat(pilots).containsOnlyKeys(ann.soul(), cy.soul()).doesNotContainKey(bob.soul());
    Ack removed = join(a.get("crew").unset(a.get(ann.soul())));
    assertThat(removed.peer()).isEqualTo(relay.url());
    await().until(() -> links.equals(List.of("item", "null")));
    assertThat(join(b.get("crew").get(ann.soul()).once())).isEmpty();
    assertThat(join(b.get(ann.soul()).get("name").once())).contains("Ann");
  }

  @Test
  void subscriptionsSurviveARelayRestart() throws Exception {
    TestRelay relay = TestRelay.start();
    int port = relay.port();
    Gun b = connected(relay);
    List<Object> seen = new CopyOnWriteArrayList<>();
    b.get("status").get("state").on((d, k) -> seen.add(d));
    Gun a = connected(relay);
    join(a.get("status").put(Map.of("state", "before")));
    await().until(() -> seen.equals(List.of("before")));
    relay.close();
    await().until(() -> b.connectedPeers() == 0 && a.connectedPeers() == 0);
    TestRelay again = keep(TestRelay.start(port));
    await().until(() -> b.connectedPeers() == 1 && a.connectedPeers() == 1);
    // b re-asked for what it listens to on reconnect, so the new relay pushes a's next write to it
    await().until(() -> again.connections() == 2);
    join(a.get("status").put(Map.of("state", "after")));
    await().until(() -> seen.equals(List.of("before", "after")));
  }

  @Test
  void aWriteFromTheFutureIsDeliveredWhenTheLocalClockReachesIt() throws Exception {
    TestRelay relay = keep(TestRelay.start());
    Gun a = connected(relay);
    // b's clock runs 1.5 s behind: a's writes arrive from its future, are held back by HAM, and
    // come in when b's wall clock reaches their state
    StateClock.Millis behind = () -> System.currentTimeMillis() - 1500;
    Gun b = keep(Gun.builder().peers(relay.url()).wallClock(behind).reconnectDelay(Duration.ofMillis(100)).readTimeout(Duration.ofSeconds(20)).build());
    await().until(() -> b.connectedPeers() == 1);
    List<Object> seen = new CopyOnWriteArrayList<>();
    b.get("clock/skew").get("v").on((d, k) -> seen.add(Objects.requireNonNull(d)));
    join(a.get("clock/skew").put(Map.of("v", "from the future")));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("from the future"));
  }
}
