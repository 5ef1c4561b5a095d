package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Typed reads of sets of records ({@link Chain#map(Class)}) and deep typed listeners, through a relay. */
class TypedItemsTest {
  @AutoClose private final Resources open = new Resources();

  record Address(String city, double lat) {}

  record Person(String name, long age, Address address) {}

  record Named(String name) {}

  private Gun connected(TestRelay relay) {
    Gun g = open.keep(Gun.builder().peers(relay.url()).reconnectDelay(Duration.ofMillis(100)).readTimeout(Duration.ofSeconds(20)).build());
    await().until(() -> g.connectedPeers() == 1);
    return g;
  }

  private static final Person ALICE = new Person("Alice", 30, new Address("Paris", 48.85));
  private static final Person BOB = new Person("Bob", 41, new Address("Lyon", 45.76));

  @Test
  void mapOfRecordsIsReadPerItemWithNestedRecordsFromLinkedNodes() throws Exception {
    TestRelay relay = open.keep(TestRelay.start());
    Gun a = connected(relay);
    String alice = join(a.get("people").set(ALICE)).soul();
    String bob = join(a.get("people").set(BOB)).soul();
    Gun b = connected(relay);

    List<String> calls = new ArrayList<>();
    Map<String, Person> seen = new ConcurrentHashMap<>();
    join(b.get("people").map(Person.class).once((p, key) -> {
      calls.add(key);
      seen.put(key, p);
    }));
    assertThat(calls).containsExactlyInAnyOrder(alice, bob);
    assertThat(seen).isEqualTo(Map.of(alice, ALICE, bob, BOB));
    assertThat(join(b.get("people").map(Person.class).collect())).isEqualTo(Map.of(alice, ALICE, bob, BOB));
  }

  @Test
  void typedItemListenerGetsNestedRecordsAndChangesToLinkedNodes() throws Exception {
    TestRelay relay = open.keep(TestRelay.start());
    Gun a = connected(relay);
    String alice = join(a.get("people").set(ALICE)).soul();
    Gun b = connected(relay);
    List<Person> got = new CopyOnWriteArrayList<>();
    TypedItems<Person> people = b.get("people").map(Person.class);
    people.on((p, key) -> {
      if (key.equals(alice)) {
        got.add(p);
      }
    });
    await().until(() -> got.contains(ALICE));
    // the address is a node of its own: changing it is a change of the item
    join(a.get(alice).get("address").put(Map.of("city", "Nice")));
    Person moved = new Person("Alice", 30, new Address("Nice", 48.85));
    await().until(() -> got.contains(moved));
    String bob = join(a.get("people").set(BOB)).soul();
    assertThat(bob).isNotEqualTo(alice);
    people.off();
  }

  @Test
  void typedOnOfANodeDeepReadsItsNestedRecord() throws Exception {
    TestRelay relay = open.keep(TestRelay.start());
    Gun a = connected(relay);
    join(a.get("person/carol").put(new Person("Carol", 25, new Address("Oslo", 59.9))));
    Gun b = connected(relay);
    List<Person> got = new CopyOnWriteArrayList<>();
    b.get("person/carol").on(Person.class, (p, key) -> got.add(p));
    await().until(() -> got.contains(new Person("Carol", 25, new Address("Oslo", 59.9))));
    join(a.get("person/carol").get("address").get("lat").put(60.1));
    await().until(() -> got.contains(new Person("Carol", 25, new Address("Oslo", 60.1))));
  }

  @Test
  void itemsThatDoNotConvertAreTypeMismatches() throws Exception {
    TestRelay relay = open.keep(TestRelay.start());
    Gun a = connected(relay);
    join(a.get("mixed").set(ALICE));
    join(a.get("mixed").set("just a string"));
    Gun b = connected(relay);

    assertThatThrownBy(() -> join(b.get("mixed").map(Person.class).collect()))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(GunException.TypeMismatch.class)
        .hasMessageContaining("Person");
    List<String> called = new ArrayList<>();
    assertThatThrownBy(() -> join(b.get("mixed").map(Person.class).once((p, k) -> called.add(k))))
        .cause()
        .isInstanceOf(GunException.TypeMismatch.class);
    assertThat(called).isEmpty();

    List<GunException.TypeMismatch> mismatches = new CopyOnWriteArrayList<>();
    List<Person> people = new CopyOnWriteArrayList<>();
    b.get("mixed").map(Person.class).on((p, k) -> people.add(p), mismatches::add);
    await().until(() -> people.contains(ALICE) && mismatches.size() == 1);
    assertThat(mismatches.get(0).type()).isEqualTo(Person.class);
  }

  @Test
  void aCycleOfLinksEndsAtTheNodeBeingRead() throws Exception {
    TestRelay relay = open.keep(TestRelay.start());
    Gun a = connected(relay);
    join(a.get("loop/a").put(Map.of("name", "a")));
    join(a.get("loop/a").get("self").put(a.get("loop/a")));
    Gun b = connected(relay);
    List<Map<?, ?>> got = new CopyOnWriteArrayList<>();
    b.get("loop/a").on(Map.class, (m, k) -> got.add(m));
    await().until(() -> got.stream().anyMatch(m -> m.containsKey("self")));
    Map<?, ?> m = got.stream().filter(x -> x.containsKey("self")).findFirst().orElseThrow();
    assertThat(m.get("self")).isEqualTo(Map.of("#", "loop/a"));
    assertThat(join(b.get("loop/a").once(Named.class))).contains(new Named("a"));
  }
}
