package io.jgun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Lex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chain behaviours from Gun.js's test/common.js ("put", "get", "path", "set", "map", "not", "on"
 * sections), on a Gun with no peers: everything is answered by the local graph.
 */
class OfflineChainTest {
  private final Gun gun = Gun.builder().build();

  @AfterEach
  void close() {
    gun.close();
  }

  static <T> T join(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  record Address(String city, double lat) {}

  record Person(String name, long age, Address address) {}

  @Test
  void putNodeThenReadFieldsAndNode() throws Exception {
    Ack ack = join(gun.get("user/alice").put(Map.of("name", "Alice", "age", 30)));
    assertThat(ack.local()).isTrue();
    assertThat(ack.soul()).isEqualTo("user/alice");
    assertThat(join(gun.get("user/alice").get("name").once())).contains("Alice");
    assertThat(join(gun.get("user/alice").get("age").once())).contains(30L);
    assertThat(join(gun.get("user/alice").once())).contains(Map.of("name", "Alice", "age", 30L));
  }

  @Test
  void nestedObjectsBecomeLinkedNodesWithPathSouls() throws Exception {
    Map<String, Object> data = Map.of("name", "ACME", "address", Map.of("city", "Paris", "geo", Map.of("lat", 48.85)));
    join(gun.get("org/acme").put(data));
    // docs/protocol.md §1.3: parent soul + "/" + key, recursively, and the parent field is a link
    assertThat(join(gun.get("org/acme").get("address").once()).orElseThrow())
        .isEqualTo(Map.of("city", "Paris", "geo", Map.of("#", "org/acme/address/geo")));
    assertThat(join(gun.get("org/acme").once()).orElseThrow()).isEqualTo(Map.of("name", "ACME", "address", Map.of("#", "org/acme/address")));
    assertThat(join(gun.get("org/acme/address/geo").get("lat").once())).contains(48.85);
    assertThat(join(gun.get("org/acme").get("address").get("geo").get("lat").once())).contains(48.85);
  }

  @Test
  void aSecondPutReusesTheSoulAlreadyLinked() throws Exception {
    join(gun.get("a").put(Map.of("sub", Map.of("_", Map.of("#", "custom/soul"), "x", 1))));
    join(gun.get("a").put(Map.of("sub", Map.of("y", 2))));
    assertThat(join(gun.get("custom/soul").once())).contains(Map.of("x", 1L, "y", 2L));
    assertThat(join(gun.get("a/sub").once())).isEmpty();
  }

  @Test
  void typedRecordsRoundTripThroughJackson() throws Exception {
    join(gun.get("people/bob").put(new Person("Bob", 42, new Address("Lyon", 45.76))));
    assertThat(join(gun.get("people/bob").once(Person.class))).contains(new Person("Bob", 42, new Address("Lyon", 45.76)));
    assertThat(join(gun.get("people/bob").get("address").once(Address.class))).contains(new Address("Lyon", 45.76));
  }

  @Test
  void invalidDataIsRefusedWithATypedErrorAndNothingIsWritten() throws Exception {
    assertThatThrownBy(() -> join(gun.get("bad").put(Map.of("list", List.of(1, 2)))))
        .hasCauseInstanceOf(GunException.InvalidData.class)
        .hasMessageContaining("Array");
    assertThatThrownBy(() -> join(gun.get("bad").put(Map.of("n", Double.NaN))))
        .hasCauseInstanceOf(GunException.InvalidData.class);
    assertThatThrownBy(() -> join(gun.get("bad").put(Map.of("n", Double.POSITIVE_INFINITY))))
        .hasCauseInstanceOf(GunException.InvalidData.class);
    assertThatThrownBy(() -> join(gun.get("bad").put("just a string")))
        .hasCauseInstanceOf(GunException.InvalidData.class)
        .hasMessageContaining("Data at root of graph must be a node");
    assertThat(join(gun.get("bad").once())).isEmpty();
  }

  @Test
  void putOnAPathCreatesTheIntermediateNodes() throws Exception {
    join(gun.get("deep").get("a").get("b").put("leaf"));
    assertThat(join(gun.get("deep").get("a").get("b").once())).contains("leaf");
    assertThat(join(gun.get("deep").once())).contains(Map.of("a", Map.of("#", "deep/a")));
    assertThat(join(gun.get("deep/a").once())).contains(Map.of("b", "leaf"));
  }

  @Test
  void circularReferencesBecomeLinksToTheSameSoul() throws Exception {
    Map<String, Object> cat = new LinkedHashMap<>();
    Map<String, Object> dog = new LinkedHashMap<>();
    cat.put("name", "kitty");
    cat.put("friend", dog);
    dog.put("name", "puppy");
    dog.put("friend", cat);
    join(gun.get("pets").put(Map.of("cat", cat)));
    assertThat(join(gun.get("pets/cat/friend").once())).contains(Map.of("name", "puppy", "friend", Map.of("#", "pets/cat")));
    assertThat(join(gun.get("pets").get("cat").get("friend").get("friend").get("name").once())).contains("kitty");
  }

  @Test
  void putNullDeletesAField() throws Exception {
    join(gun.get("n").put(Map.of("a", 1, "b", 2)));
    join(gun.get("n").get("a").put(null));
    assertThat(join(gun.get("n").get("a").once())).isEmpty();
    Map<String, Object> expected = new HashMap<>();
    expected.put("a", null);
    expected.put("b", 2L);
    assertThat(join(gun.get("n").once())).contains(expected);
  }

  @Test
  void notIsCalledForMissingDataOnly() throws Exception {
    join(gun.get("present").put(Map.of("x", 1)));
    List<String> missing = new CopyOnWriteArrayList<>();
    gun.get("present").not(missing::add);
    gun.get("present").get("x").not(missing::add);
    gun.get("nothing").get("absent").not(missing::add);
    await().atMost(Duration.ofSeconds(5)).until(() -> missing.contains("absent"));
    // the callback executor runs tasks in order: the reads of existing data finished before
    assertThat(join(gun.get("present").once())).isPresent();
    assertThat(missing).containsExactly("absent");
  }

  @Test
  void setAddsItemsUnderRandomSoulsAndMapReadsThemBack() throws Exception {
    Ack a = join(gun.get("list").set(Map.of("text", "one")));
    Ack b = join(gun.get("list").set(Map.of("text", "two")));
    assertThat(a.soul()).isNotEqualTo(b.soul()).hasSizeGreaterThan(12);
    Object items = join(gun.get("list").map().once()).orElseThrow();
    assertThat(items).isEqualTo(Map.of(a.soul(), Map.of("text", "one"), b.soul(), Map.of("text", "two")));
    // the set node links each item under its own soul
    assertThat(join(gun.get("list").once())).contains(Map.of(a.soul(), Map.of("#", a.soul()), b.soul(), Map.of("#", b.soul())));
  }

  @Test
  void setOfAChainLinksTheExistingNode() throws Exception {
    join(gun.get("user/carol").put(Map.of("name", "Carol")));
    Ack ack = join(gun.get("team").set(gun.get("user/carol")));
    assertThat(ack.soul()).isEqualTo("user/carol");
    assertThat(join(gun.get("team").get("user/carol").get("name").once())).contains("Carol");
  }

  @Test
  void lexChainsPassOnlyMatchingKeys() throws Exception {
    join(gun.get("words").put(Map.of("apple", 1, "apricot", 2, "banana", 3, "cherry", 4)));
    assertThat(join(gun.get("words").get(Lex.prefix("ap")).once())).contains(Map.of("apple", 1L, "apricot", 2L));
    assertThat(join(gun.get("words").get(Lex.range("apricot", "banana")).once())).contains(Map.of("apricot", 2L, "banana", 3L));
    assertThat(join(gun.get("words").get(Lex.prefix("zz")).once())).isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> reversed = (Map<String, Object>) join(gun.get("words").get(Lex.range("a", "z").withReverse(true).withLimit(1.0)).once()).orElseThrow();
    assertThat(reversed.keySet()).containsExactly("cherry");
  }

  @Test
  void soulLexReadsEveryMatchingNodeAndWatchesNewOnes() throws Exception {
    join(gun.get("user/ann").put(Map.of("name", "Ann")));
    join(gun.get("user/bob").put(Map.of("name", "Bob")));
    join(gun.get("other/x").put(Map.of("name", "X")));
    assertThat(join(gun.get(Lex.prefix("user/")).once()))
        .contains(Map.of("user/ann", Map.of("name", "Ann"), "user/bob", Map.of("name", "Bob")));
    Map<String, Object> seen = Collections.synchronizedMap(new HashMap<>());
    gun.get(Lex.prefix("user/")).on((d, soul) -> seen.put(soul, d));
    await().until(() -> seen.size() == 2);
    join(gun.get("user/cy").put(Map.of("name", "Cy")));
    join(gun.get("other/y").put(Map.of("name", "Y")));
    await().until(() -> seen.containsKey("user/cy"));
    assertThat(seen).containsOnlyKeys("user/ann", "user/bob", "user/cy");
    assertThatThrownBy(() -> join(gun.get(Lex.prefix("user/")).put(Map.of("a", 1))))
        .hasCauseInstanceOf(GunException.InvalidData.class);
  }

  @Test
  void onDeliversCurrentDataThenEachChangeButNeverTheSameTwice() throws Exception {
    List<Object> seen = new CopyOnWriteArrayList<>();
    join(gun.get("counter").put(Map.of("n", 1)));
    Subscription sub = gun.get("counter").get("n").on((d, k) -> seen.add(k + "=" + d));
    await().until(() -> seen.equals(List.of("n=1")));
    join(gun.get("counter").put(Map.of("n", 2)));
    join(gun.get("counter").put(Map.of("n", 2))); // same value, new state: no new delivery
    join(gun.get("counter").put(Map.of("other", "x"))); // another field of the node: no delivery
    join(gun.get("counter").put(Map.of("n", 3)));
    await().until(() -> seen.size() == 3);
    assertThat(seen).containsExactly("n=1", "n=2", "n=3");
    sub.off();
    join(gun.get("counter").put(Map.of("n", 4)));
    assertThat(join(gun.get("counter").get("n").once())).contains(4L);
    assertThat(seen).containsExactly("n=1", "n=2", "n=3");
  }

  @Test
  void onFollowsALinkThatIsReplaced() throws Exception {
    List<Object> seen = new CopyOnWriteArrayList<>();
    join(gun.get("ptr").put(Map.of("to", Map.of("_", Map.of("#", "target/1"), "v", "first"))));
    gun.get("ptr").get("to").get("v").on((d, k) -> seen.add(d));
    await().until(() -> seen.equals(List.of("first")));
    join(gun.get("target/2").put(Map.of("v", "second")));
    join(gun.get("ptr").get("to").put(gun.get("target/2")));
    await().until(() -> seen.equals(List.of("first", "second")));
    join(gun.get("target/1").put(Map.of("v", "stale")));
    join(gun.get("target/2").put(Map.of("v", "third")));
    await().until(() -> seen.equals(List.of("first", "second", "third")));
  }

  @Test
  void mapOnDeliversEachItemAndItemsAddedLater() throws Exception {
    Map<String, Object> seen = Collections.synchronizedMap(new HashMap<>());
    Ack a = join(gun.get("chat").set(Map.of("msg", "hi")));
    gun.get("chat").map().on((d, k) -> seen.put(k, d));
    await().until(() -> seen.size() == 1);
    Ack b = join(gun.get("chat").set(Map.of("msg", "there")));
    await().until(() -> seen.size() == 2);
    assertThat(seen).containsEntry(a.soul(), Map.of("msg", "hi")).containsEntry(b.soul(), Map.of("msg", "there"));
    join(gun.get(a.soul()).put(Map.of("msg", "edited")));
    await().until(() -> Map.of("msg", "edited").equals(seen.get(a.soul())));
  }

  @Test
  void backWalksUpTheChain() {
    Chain c = gun.get("a").get("b").get("c");
    assertThat(c.back().key()).isEqualTo("b");
    assertThat(c.back(2).key()).isEqualTo("a");
    assertThat(c.back(99).key()).isEqualTo("a");
    assertThat(c.map().back().key()).isEqualTo("c");
  }

  @Test
  void callbacksRunOnTheCallbackExecutorNeverOnTheLoop() throws Exception {
    List<String> threads = new ArrayList<>();
    join(gun.get("t").put(Map.of("x", 1)).thenAccept(a -> threads.add(Thread.currentThread().getName())));
    Optional<Object> r = join(gun.get("t").once().whenComplete((v, e) -> threads.add(Thread.currentThread().getName())));
    assertThat(r).isPresent();
    assertThat(threads).isNotEmpty().allSatisfy(n -> assertThat(n).isIn("jgun-client-callbacks", Thread.currentThread().getName()));
    assertThat(threads).noneMatch(n -> n.contains("loop"));
  }

  @Test
  void offRemovesTheListenersOfThisChainAndItsMapChainsOnly() throws Exception {
    join(gun.get("room").put(Map.of("topic", Map.of("_", Map.of("#", "topic/1"), "t", "one"))));
    List<Object> first = new CopyOnWriteArrayList<>();
    List<Object> second = new CopyOnWriteArrayList<>();
    List<Object> items = new CopyOnWriteArrayList<>();
    List<Object> other = new CopyOnWriteArrayList<>();
    Chain room = gun.get("room");
    room.on((d, k) -> first.add(d));
    Subscription kept = room.on((d, k) -> second.add(d));
    room.map().on((d, k) -> items.add(d));
    gun.get("room").on((d, k) -> other.add(d)); // another chain object, same soul
    await().until(() -> first.size() == 1 && second.size() == 1 && items.size() == 1 && other.size() == 1);
    room.off();
    join(gun.get("room").put(Map.of("extra", 1)));
    join(gun.get("topic/1").put(Map.of("t", "two")));
    await().until(() -> other.size() == 2);
    // the callback executor runs in order: a delivery to the removed listeners would have come by now
    assertThat(join(gun.get("room").once())).isPresent();
    assertThat(first).hasSize(1);
    assertThat(second).hasSize(1);
    assertThat(items).containsExactly(Map.of("t", "one"));
    kept.off(); // idempotent after the chain's off()
    // the chain can be listened to again
    room.on((d, k) -> first.add(d));
    await().until(() -> first.size() == 2);
    assertThat(first.get(1)).isEqualTo(Map.of("topic", Map.of("#", "topic/1"), "extra", 1L));
  }

  @Test
  void offOnAMapChainLeavesTheParentsOwnListeners() throws Exception {
    join(gun.get("box").put(Map.of("a", 1)));
    List<Object> node = new CopyOnWriteArrayList<>();
    List<Object> items = new CopyOnWriteArrayList<>();
    Chain box = gun.get("box");
    box.on((d, k) -> node.add(d));
    Chain each = box.map();
    each.on((d, k) -> items.add(k + "=" + d));
    await().until(() -> node.size() == 1 && items.size() == 1);
    each.off();
    join(gun.get("box").put(Map.of("b", 2)));
    await().until(() -> node.size() == 2);
    assertThat(join(gun.get("box").once())).isPresent();
    assertThat(items).containsExactly("a=1");
  }

  @Test
  void mapWithAKeyFilterKeepsOnlyMatchingItems() throws Exception {
    join(gun.get("fruit").put(Map.of("apple", Map.of("n", 1), "apricot", Map.of("n", 2), "banana", Map.of("n", 3))));
    Chain ap = gun.get("fruit").map(Lex.prefix("ap")::matches);
    assertThat(join(ap.once())).contains(Map.of("apple", Map.of("n", 1L), "apricot", Map.of("n", 2L)));
    assertThat(join(gun.get("fruit").map(k -> k.startsWith("zz")).once())).isEmpty();
    // two filters: both apply
    assertThat(join(ap.map(k -> k.endsWith("le")).once())).contains(Map.of("apple", Map.of("n", 1L)));
    Map<String, Object> seen = Collections.synchronizedMap(new HashMap<>());
    ap.on((d, k) -> seen.put(k, d));
    await().until(() -> seen.size() == 2);
    join(gun.get("fruit").put(Map.of("avocado", Map.of("n", 4), "apex", Map.of("n", 5))));
    await().until(() -> seen.containsKey("apex"));
    assertThat(((Map<?, ?>) join(gun.get("fruit").once()).orElseThrow()).containsKey("avocado")).isTrue();
    assertThat(seen).containsOnlyKeys("apple", "apricot", "apex");
  }

  record Todo(String title, boolean done) {}

  @Test
  void mapWithATransformPassesItsResultsAndSkipsNulls() throws Exception {
    join(gun.get("todos").put(Map.of(
        "t1", Map.of("title", "milk", "done", false),
        "t2", Map.of("title", "eggs", "done", true))));
    Chain open = gun.get("todos").map((d, k) -> d instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("done")) ? m.get("title") : null);
    assertThat(join(open.once())).contains(Map.of("t1", "milk"));
    List<String> seen = new CopyOnWriteArrayList<>();
    open.on((d, k) -> seen.add(k + ":" + d));
    await().until(() -> seen.equals(List.of("t1:milk")));
    join(gun.get("todos").get("t3").put(Map.of("title", "tea", "done", false)));
    await().until(() -> seen.size() == 2);
    join(gun.get("todos").get("t1").put(Map.of("done", true))); // now skipped
    join(gun.get("todos").get("t3").put(Map.of("title", "green tea")));
    await().until(() -> seen.size() == 3);
    assertThat(seen).containsExactly("t1:milk", "t3:tea", "t3:green tea");
    // a transform after a transform gets the first one's result
    assertThat(join(open.map((d, k) -> ((String) Objects.requireNonNull(d)).toUpperCase(java.util.Locale.ROOT)).once()))
        .contains(Map.of("t3", "GREEN TEA"));
    // typed reads of the transformed items
    assertThat(join(gun.get("todos").map((d, k) -> k.equals("t2") ? d : null).once(Map.class)))
        .contains(Map.of("t2", Map.of("title", "eggs", "done", true)));
  }

  @Test
  void putOnAMapChainWritesIntoEveryItem() throws Exception {
    Ack a = join(gun.get("tasks").set(Map.of("title", "one")));
    Ack b = join(gun.get("tasks").set(Map.of("title", "two")));
    Ack ack = join(gun.get("tasks").map().put(Map.of("done", true)));
    assertThat(ack.soul()).isIn(a.soul(), b.soul());
    assertThat(join(gun.get(a.soul()).once())).contains(Map.of("title", "one", "done", true));
    assertThat(join(gun.get(b.soul()).once())).contains(Map.of("title", "two", "done", true));
    // the set still links the same two nodes: the objects were merged into the linked items
    assertThat(join(gun.get("tasks").once())).contains(Map.of(a.soul(), Map.of("#", a.soul()), b.soul(), Map.of("#", b.soul())));
    // primitive items are replaced; a filter selects the items written
    join(gun.get("scores").put(Map.of("ann", 3, "bob", 5, "cy", 7)));
    join(gun.get("scores").map(k -> !k.equals("cy")).put(0));
    assertThat(join(gun.get("scores").once())).contains(Map.of("ann", 0L, "bob", 0L, "cy", 7L));
    // no item: completes at once, nothing written
    Ack none = join(gun.get("empty").map().put(Map.of("x", 1)));
    assertThat(none.local()).isTrue();
    assertThat(join(gun.get("empty").once())).isEmpty();
  }

  @Test
  void putOnAMapChainFailsWithTheFirstErrorAndLexChainsStillRefuse() throws Exception {
    join(gun.get("bag").put(Map.of("x", Map.of("n", 1))));
    assertThatThrownBy(() -> join(gun.get("bag").map().put(Map.of("bad", List.of(1)))))
        .hasCauseInstanceOf(GunException.InvalidData.class);
    assertThat(join(gun.get("bag").get("x").once())).contains(Map.of("n", 1L));
    assertThatThrownBy(() -> join(gun.get("bag").get(Lex.prefix("x")).put(Map.of("n", 2))))
        .hasCauseInstanceOf(GunException.InvalidData.class);
  }

  @Test
  void unsetNullsTheSetsLinkToTheItem() throws Exception {
    Ack a = join(gun.get("members").set(Map.of("name", "Ann")));
    Ack b = join(gun.get("members").set(Map.of("name", "Bob")));
    Ack c = join(gun.get("members").set(Map.of("name", "Cy")));
    Ack removed = join(gun.get("members").unset(gun.get(a.soul())));
    assertThat(removed.soul()).isEqualTo("members");
    join(gun.get("members").unset(b.soul()));
    Map<String, Object> expected = new HashMap<>();
    expected.put(a.soul(), null);
    expected.put(b.soul(), null);
    expected.put(c.soul(), Map.of("#", c.soul()));
    assertThat(join(gun.get("members").once())).contains(expected);
    assertThat(join(gun.get(a.soul()).once())).contains(Map.of("name", "Ann")); // the item node stays
    // a put on the map skips the removed items
    join(gun.get("members").map().put(Map.of("active", true)));
    assertThat(join(gun.get(a.soul()).once())).contains(Map.of("name", "Ann"));
    assertThat(join(gun.get(c.soul()).once())).contains(Map.of("name", "Cy", "active", true));
    assertThatThrownBy(() -> join(gun.get("members").unset(gun.get("x").get("y"))))
        .hasCauseInstanceOf(GunException.InvalidData.class);
    assertThatThrownBy(() -> join(gun.get("members").map().unset(c.soul())))
        .hasCauseInstanceOf(GunException.InvalidData.class);
  }

  @Test
  void typedListenersGetTheirTypeAndMismatchesAreTypedErrors() throws Exception {
    join(gun.get("todos").get("t1").put(Map.of("title", "write", "done", false)));
    List<String> got = new CopyOnWriteArrayList<>();
    List<GunException.TypeMismatch> mismatches = new CopyOnWriteArrayList<>();
    Subscription sub = gun.get("todos").map().on(Todo.class, (todo, key) -> got.add(key + ":" + todo), mismatches::add);
    await().until(() -> got.size() == 1);
    join(gun.get("todos").get("t2").put(Map.of("title", "test", "done", true)));
    join(gun.get("todos").get("t3").put(Map.of("title", "bad", "done", Map.of("not", "a boolean"))));
    await().until(() -> got.size() == 2 && mismatches.size() == 1);
    sub.off();
    assertThat(got).containsExactly("t1:" + new Todo("write", false), "t2:" + new Todo("test", true));
    assertThat(mismatches.get(0).key()).isEqualTo("t3");
    assertThat(mismatches.get(0).type()).isEqualTo(Todo.class);

    // once(Class): the same typed error, not InvalidData (nothing is wrong with the data)
    assertThatThrownBy(() -> join(gun.get("todos").get("t3").once(Todo.class)))
        .hasCauseInstanceOf(GunException.TypeMismatch.class)
        .hasMessageContaining("cannot read t3 as Todo");
  }

  @Test
  void anAckPrintsItsOkAsJson() throws Exception {
    Ack ack = join(gun.get("a").put(Map.of("x", 1)));
    assertThat(ack.toString()).contains("ok=true").doesNotContain("Bool[");
  }

  @Test
  void closedInstanceFailsWithClosed() {
    Gun g = Gun.builder().build();
    g.close();
    assertThatThrownBy(() -> g.get("x").once().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(GunException.Closed.class);
  }

  @Test
  void onceWithAListenerCallsBackPerItemAsGunJsAndCollectGivesThemAllInOneMap() throws Exception {
    Ack a = join(gun.get("todo").set(Map.of("title", "one")));
    Ack b = join(gun.get("todo").set(Map.of("title", "two")));
    Map<String, Object> seen = new LinkedHashMap<>();
    join(gun.get("todo").map().once((item, key) -> seen.put(key, item)));
    assertThat(seen).isEqualTo(Map.of(a.soul(), Map.of("title", "one"), b.soul(), Map.of("title", "two")));
    assertThat(join(gun.get("todo").map().collect())).isEqualTo(seen);
    assertThat(join(gun.get("todo").map().once())).contains(seen); // the collecting form, unchanged

    // with a filter and a transform; nothing when there is no item
    List<Object> titles = new ArrayList<>();
    join(gun.get("todo").map((item, key) -> key.equals(a.soul()) ? ((Map<?, ?>) item).get("title") : null).once((t, k) -> titles.add(t)));
    assertThat(titles).containsExactly("one");
    List<String> none = new ArrayList<>();
    join(gun.get("empty").map().once((d, k) -> none.add(k)));
    assertThat(none).isEmpty();
    assertThat(join(gun.get("empty").map().collect())).isEmpty();

    // a single value: called once, with null when not found
    List<Object> calls = new ArrayList<>();
    join(gun.get("todo").get(a.soul()).get("title").once((d, k) -> calls.add(k + "=" + d)));
    join(gun.get("nothing").once((d, k) -> calls.add(k + "=" + d)));
    assertThat(calls).containsExactly("title=one", "nothing=null");
    assertThatThrownBy(() -> gun.get("todo").collect()).isInstanceOf(IllegalStateException.class).hasMessageContaining("use once()");
  }

  @Test
  void joinInsideACallbackFailsFastInsteadOfDeadlocking() throws Exception {
    join(gun.get("t").put(Map.of("x", 1)));
    CompletableFuture<Throwable> inListener = new CompletableFuture<>();
    Subscription sub =
        gun.get("t").on((d, k) -> {
          try {
            gun.get("t").get("x").once().join();
            inListener.complete(null);
          } catch (Throwable e) {
            inListener.complete(e);
          }
        });
    assertThat(join(inListener)).isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait forever");
    sub.off();
    // get(timeout) on the callback thread, and join() in a stage (attached there, so it runs there)
    CompletableFuture<Throwable> inGet = new CompletableFuture<>();
    CompletableFuture<Throwable> inStage = new CompletableFuture<>();
    gun.engine().callback(() -> {
      try {
        gun.get("t").once().get(1, TimeUnit.SECONDS);
        inGet.complete(null);
      } catch (Throwable x) {
        inGet.complete(x);
      }
      gun.get("t").once().thenAccept(v -> {
        try {
          gun.get("t").once().join();
          inStage.complete(null);
        } catch (Throwable x) {
          inStage.complete(x);
        }
      });
    });
    assertThat(join(inGet)).isInstanceOf(IllegalStateException.class);
    assertThat(join(inStage)).isInstanceOf(IllegalStateException.class);
    // a future already complete may be joined anywhere, and chaining works
    CompletableFuture<Object> done = gun.get("t").get("x").once().thenCompose(v -> gun.get("t").once()).thenApply(o -> o.orElseThrow());
    assertThat(join(done)).isEqualTo(Map.of("x", 1L));
  }

  @Test
  void aWriteMadeOfflineCountsAsPendingFromTheMomentPutReturns() throws Exception {
    try (Gun offline = Gun.builder().peers("ws://127.0.0.1:9/gun").ackTimeout(Duration.ofSeconds(30)).build()) {
      assertThat(offline.pendingWrites()).isZero();
      offline.get("a").put(Map.of("x", 1));
      assertThat(offline.pendingWrites()).isEqualTo(1);
      offline.get("list").set(Map.of("y", 2));
      assertThat(offline.pendingWrites()).isGreaterThanOrEqualTo(2);
      // the set writes its item and the link to it: two writes once on the loop
      await().until(() -> offline.pendingWrites() == 3);
      offline.get("a").put(List.of("arrays are refused"));
      await().until(() -> offline.pendingWrites() == 3);
    }
    // without peers nothing waits for an acknowledgement
    gun.get("a").put(Map.of("x", 1));
    assertThat(gun.pendingWrites()).isZero();
  }
}
