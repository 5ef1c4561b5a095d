package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jgun.interop.GunJsClient.Subscription;
import io.jgun.interop.GunJsClient.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two Gun.js clients exchanging data through one relay with the chain API: put, get, once, on, map,
 * set, delete, nested objects, lex, not-found, and 1,000 nodes. One relay and two clients per relay
 * kind; every test works under its own souls.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RelayKind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChainApiInteropTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Parameter
  RelayKind kind;
  private Relay relay;
  private GunJsClient alice;
  private GunJsClient bob;
  private Throwable startFailure;
  private String prefix;

  /**
   * Starts the relay and the clients before the first test of this relay kind (in a {@code @BeforeEach}
   * rather than once per class invocation, so that an unavailable relay shows as skipped tests, each
   * with the reason).
   */
  @BeforeEach
  void startRelayAndClientsOnce() {
    kind.assumeAvailable();
    if (relay != null && !relay.isAlive()) {
      throw new AssertionError("the " + kind + " relay died during an earlier test\n" + relay.diagnostics());
    }
    if (startFailure != null) {
      throw new AssertionError("the " + kind + " fixture failed to start for an earlier test", startFailure);
    }
    if (relay == null) {
      try {
        relay = kind.start(RelayOptions.onFreePort());
        alice = GunJsClient.connect("alice", relay);
        bob = GunJsClient.connect("bob", relay);
      } catch (RuntimeException | AssertionError e) {
        startFailure = e;
        throw e;
      }
    }
  }

  @AfterParameterizedClassInvocation
  void stopAll() {
    Fixtures.closeAll(bob, alice, relay);
    bob = null;
    alice = null;
    relay = null;
    startFailure = null;
  }

  @BeforeEach
  void freshSouls(TestInfo test) {
    prefix = "chain/" + test.getTestMethod().orElseThrow().getName() + "/"
        + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "/";
  }

  private String soul(String name) {
    return prefix + name;
  }

  @Test
  void putIsAckedAndAnotherClientReadsTheNodeAndEachField() {
    String alicesSoul = soul("user/alice");
    Ack ack = alice.put(List.of(alicesSoul), obj("name", "Alice", "age", 30, "admin", true, "score", 1.5,
        "bio", "line one\nline \"two\" — ünïcödé 😀"));
    assertThat(ack.isOk()).as("put ack %s", ack).isTrue();

    GunEvent node = bob.once(List.of(alicesSoul));
    assertThat(node.found()).isTrue();
    assertThat(node.soul()).isEqualTo(alicesSoul);
    assertThat(node.data()).isEqualTo(Json.MAPPER.valueToTree(obj("name", "Alice", "age", 30, "admin", true,
        "score", 1.5, "bio", "line one\nline \"two\" — ünïcödé 😀")));

    GunEvent name = bob.once(List.of(alicesSoul, "name"));
    assertThat(name.found()).isTrue();
    assertThat(name.data().asText()).isEqualTo("Alice");
    assertThat(bob.once(List.of(alicesSoul, "score")).data().asDouble()).isEqualTo(1.5);
  }

  @Test
  void laterWritesMergeFieldByFieldAndTheNewestValueWins() {
    String s = soul("doc");
    assertThat(alice.put(List.of(s), obj("a", 1, "b", "first")).isOk()).isTrue();
    assertThat(bob.put(List.of(s), obj("b", "second", "c", false)).isOk()).isTrue();
    assertThat(alice.put(List.of(s, "a"), 2).isOk()).isTrue();

    GunJsClient carol = GunJsClient.connect("carol", relay);
    try (carol) {
      GunEvent merged = carol.once(List.of(s));
      assertThat(merged.data()).isEqualTo(Json.MAPPER.valueToTree(obj("a", 2, "b", "second", "c", false)));
    }
  }

  @Test
  void nestedObjectsBecomeLinkedNodesReadableByPath() {
    String org = soul("org/acme");
    Ack ack = alice.put(List.of(org), obj("name", "ACME",
        "address", obj("city", "Paris", "zip", "75001", "geo", obj("lat", 48.85, "lng", 2.35))));
    assertThat(ack.isOk()).isTrue();

    assertThat(bob.once(List.of(org, "address", "city")).data().asText()).isEqualTo("Paris");
    assertThat(bob.once(List.of(org, "address", "geo", "lat")).data().asDouble()).isEqualTo(48.85);

    // Gun.js files a nested object under the path soul parent/key and links it from the parent.
    GunEvent address = bob.once(List.of(org, "address"));
    assertThat(address.soul()).isEqualTo(org + "/address");
    assertThat(address.field("geo")).isEqualTo(Json.MAPPER.valueToTree(Map.of("#", org + "/address/geo")));
    GunEvent top = bob.once(List.of(org));
    assertThat(top.field("address")).isEqualTo(Json.MAPPER.valueToTree(Map.of("#", org + "/address")));
    assertThat(bob.once(List.of(org + "/address/geo")).field("lng").asDouble()).isEqualTo(2.35);
  }

  @Test
  void notFoundIsAnsweredPromptly() {
    // Gun.js gives up on an unanswered GET only after 9 s (opt.lack); "promptly" means the relay
    // answered not-found itself. Gun.js answers in ~0.1 s; 2 s leaves room for a slow machine.
    long start = System.nanoTime();
    GunEvent missing = bob.once(List.of(soul("nothing/here")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(missing.found()).as("a soul nobody wrote").isFalse();
    assertThat(took).as("time to learn the soul is missing").isLessThan(Duration.ofSeconds(2));

    String known = soul("known");
    assertThat(alice.put(List.of(known), obj("here", 1)).isOk()).isTrue();
    start = System.nanoTime();
    GunEvent missingField = bob.once(List.of(known, "absent"));
    took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(missingField.found()).as("a field the node does not have").isFalse();
    assertThat(took).isLessThan(Duration.ofSeconds(2));

    // On the wire: the first answer to a GET for a missing soul is a bare {"#", "@"} without put.
    try (RawSocket raw = RawSocket.connect(relay)) {
      String id = raw.get(soul("nothing/at/all"), null);
      JsonNode reply = raw.awaitReply(id, Duration.ofSeconds(2));
      assertThat(reply.has("put")).as("not-found reply %s", reply).isFalse();
      String fieldId = raw.get(known, "absent");
      JsonNode fieldReply = raw.awaitReply(fieldId, Duration.ofSeconds(2));
      assertThat(fieldReply.path("put").path(known).has("absent"))
          .as("reply to a GET for a missing field %s", fieldReply).isFalse();
    }
  }

  @Test
  void liveUpdatesReachASubscriberInOrder() {
    String counter = soul("live/counter");
    Subscription live = bob.on(List.of(counter)); // before the node exists: Gun.js sends a GET first
    for (int n = 1; n <= 3; n++) {
      assertThat(alice.put(List.of(counter), obj("n", n)).isOk()).isTrue();
      int expected = n;
      live.await("with n=" + n, e -> e.has("n", expected), WAIT);
    }
    // values only ever move forward: no event goes back to an older n after a newer one
    List<Integer> seen = live.history().stream().filter(e -> e.field("n").isNumber())
        .map(e -> e.field("n").asInt()).toList();
    assertThat(seen).isSortedAccordingTo(Integer::compare);

    String status = soul("doc");
    assertThat(alice.put(List.of(status), obj("status", "draft", "title", "t")).isOk()).isTrue();
    Subscription field = bob.on(List.of(status, "status"));
    field.await("draft", e -> e.found() && "draft".equals(e.data().asText()), WAIT);
    assertThat(alice.put(List.of(status, "status"), "final").isOk()).isTrue();
    field.await("final", e -> e.found() && "final".equals(e.data().asText()), WAIT);
  }

  /**
   * A stream of updates to one field, each written once the previous one is acked: a subscriber's
   * {@code on()} sees every value, in order, through either relay. (A relay that pushed only the
   * state current after a push window made it see e.g. 0, 3 of 1, 2, 3.)
   */
  @Test
  void aSubscriberSeesEveryUpdateOfAFieldStream() {
    String stream = soul("stream");
    assertThat(alice.put(List.of(stream), obj("v", 0)).isOk()).isTrue();
    Subscription live = bob.on(List.of(stream, "v"));
    live.await("v=0", e -> e.found() && e.data().isNumber() && e.data().asInt() == 0, WAIT);
    int updates = 20;
    for (int n = 1; n <= updates; n++) {
      assertThat(alice.put(List.of(stream, "v"), n).isOk()).as("ack of v=%d", n).isTrue();
    }
    live.await("v=" + updates, e -> e.found() && e.data().isNumber() && e.data().asInt() == updates, WAIT);
    List<Integer> seen = new ArrayList<>();
    for (GunEvent e : live.history()) {
      int v = e.found() && e.data().isNumber() ? e.data().asInt() : -1;
      if (v >= 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != v)) {
        seen.add(v); // Gun.js may call back twice with one value (its own echo): one value, one entry
      }
    }
    assertThat(seen).as("values bob's on() saw").isEqualTo(IntStream.rangeClosed(0, updates).boxed().toList());
  }

  @Test
  void setAndMapDeliverEveryItemIncludingLaterOnesAndChanges() {
    String list = soul("todo");
    Subscription items = bob.mapOn(List.of(list));
    List<String> souls = new ArrayList<>();
    for (String title : List.of("one", "two", "three")) {
      GunJsClient.SetResult added = alice.set(List.of(list), obj("title", title, "done", false));
      assertThat(added.ack().isOk()).isTrue();
      assertThat(added.soul()).isNotBlank();
      souls.add(added.soul());
      items.await("for item " + title, e -> added.soul().equals(e.key()) && e.has("title", title), WAIT);
    }
    // an item node that changes later is seen through the map as well
    assertThat(alice.put(List.of(souls.get(0), "done"), true).isOk()).isTrue();
    items.await("item one done", e -> souls.get(0).equals(e.key()) && e.has("done", true), WAIT);

    // a client that comes later reads the whole set once; the set node links each item by its soul
    GunJsClient carol = GunJsClient.connect("carol", relay);
    try (carol) {
      Map<String, GunEvent> all = carol.mapOnce(List.of(list)).awaitKeys(3, WAIT);
      assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(souls);
      assertThat(all.values()).extracting(e -> e.field("title").asText())
          .containsExactlyInAnyOrder("one", "two", "three");
      GunEvent setNode = carol.once(List.of(list));
      for (String s : souls) {
        assertThat(setNode.field(s)).isEqualTo(Json.MAPPER.valueToTree(Map.of("#", s)));
      }
    }
  }

  @Test
  void deletesPropagateAsNullAndUnlinkingLeavesTheChildNode() {
    String s = soul("user/bob");
    assertThat(alice.put(List.of(s), obj("name", "Bob", "admin", true, "address", obj("city", "Oslo"))).isOk())
        .isTrue();
    Subscription live = bob.on(List.of(s));
    live.await("with admin=true", e -> e.has("admin", true), WAIT);

    assertThat(alice.put(List.of(s, "admin"), null).isOk()).isTrue();
    live.await("with admin=null (tombstone)", e -> e.field("admin").isNull() && e.has("name", "Bob"), WAIT);
    GunEvent admin = bob.once(List.of(s, "admin"));
    assertThat(admin.data() == null || admin.data().isNull()).as("admin after delete: %s", admin).isTrue();

    assertThat(alice.put(List.of(s, "address"), null).isOk()).isTrue();
    live.await("with address=null", e -> e.field("address").isNull(), WAIT);
    // the child node itself is untouched: only the link from the parent is gone
    GunJsClient carol = GunJsClient.connect("carol", relay);
    try (carol) {
      GunEvent node = carol.once(List.of(s));
      assertThat(node.field("address").isNull()).as("address in %s", node).isTrue();
      assertThat(node.field("admin").isNull()).as("admin in %s", node).isTrue();
      assertThat(carol.once(List.of(s + "/address", "city")).data().asText()).isEqualTo("Oslo");
    }
  }

  @Test
  void lexOnFieldKeysSelectsMatchingFields() {
    String idx = soul("idx/words");
    assertThat(alice.put(List.of(idx), obj("apple", "a1", "apricot", "a2", "apz", "a3", "banana", "b1",
        "avocado", "a4")).isOk()).isTrue();

    // Through the chain API: map({'.': {'*': 'ap'}}).once. The client filters keys itself too, so this
    // proves only that matching fields arrive; the wire check below proves what the relay answered.
    Set<String> prefixMatches = Set.of("apple", "apricot", "apz");
    Set<String> expected = kind.lexAnswersEveryMatch() ? prefixMatches : Set.of("apple");
    Map<String, GunEvent> got = bob.lexMapOnce(List.of(idx), Map.of("*", "ap")).awaitKeys(expected.size(), WAIT);
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected);

    try (RawSocket raw = RawSocket.connect(relay)) {
      // GUN_JS: radisk answers a lex GET with the first match only (docs/protocol.md §8.13); jgun
      // must send all.
      assertLexAnswer(raw, idx, Map.of("*", "ap"), prefixMatches, kind.lexAnswersEveryMatch());
      // range: ">" from and "<" to, both inclusive; "banana" > "b" so it is outside
      assertLexAnswer(raw, idx, Map.of(">", "apricot", "<", "b"), Set.of("apricot", "apz", "avocado"),
          kind.lexAnswersEveryMatch());
      assertLexAnswer(raw, idx, Map.of("=", "banana"), Set.of("banana"), true);
    }
  }

  private static void assertLexAnswer(RawSocket raw, String soul, Map<String, String> lex,
      Set<String> matching, boolean everyMatch) {
    String id = raw.get(soul, lex);
    Set<String> keys = new HashSet<>();
    Predicate<JsonNode> complete = m -> {
      if (!id.equals(m.path("@").asText(null))) {
        return false;
      }
      m.path("put").path(soul).fieldNames().forEachRemaining(keys::add);
      keys.remove("_");
      return everyMatch ? keys.containsAll(matching) : !keys.isEmpty();
    };
    raw.await("lex answer " + lex + " covering " + (everyMatch ? matching : "a first match"), complete, WAIT);
    assertThat(keys).as("fields answered for lex %s", lex).isSubsetOf(matching);
    for (JsonNode m : raw.received()) {
      if (id.equals(m.path("@").asText(null)) && m.has("put")) {
        assertThat(m.path("put").size()).as("souls in lex answer %s", m).isEqualTo(1);
      }
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void thousandNodesWrittenByOneClientAreReadByAnother() {
    // 1,000 item nodes, each put on its own soul (all at once, each acknowledged), then one index node
    // linking them all; the other client reads the index with map().once, which follows every link.
    // (Puts through the index chain, gun.get(index).get(key).put(item), make the Gun.js client resolve
    // each link with a GET first, and with a thousand in flight the client itself loses some puts.)
    String index = soul("bulk");
    List<Write> writes = new ArrayList<>();
    Map<String, Object> links = new LinkedHashMap<>();
    for (int i = 0; i < 1000; i++) {
      String key = String.format("k%04d", i);
      writes.add(new Write(List.of(index + "/" + key), obj("i", i, "text", "item " + i, "even", i % 2 == 0)));
      links.put(key, Map.of("#", index + "/" + key));
    }
    List<String> errors = alice.putMany(writes, Duration.ofSeconds(60));
    assertThat(errors).as("ack errors").isEmpty();
    assertThat(alice.put(List.of(index), links, Duration.ofSeconds(30)).isOk()).isTrue();

    Subscription items = bob.mapOnce(List.of(index));
    Map<String, GunEvent> bySoul = items.awaitDistinct("soul", GunEvent::soul, 1000, Duration.ofSeconds(60));
    Set<String> wrong = new TreeSet<>();
    for (Map.Entry<String, GunEvent> e : bySoul.entrySet()) {
      String soul = e.getKey();
      if (soul == null || !soul.startsWith(index + "/k")) {
        wrong.add("unexpected soul: " + e.getValue());
        continue;
      }
      String key = soul.substring(index.length() + 1);
      int i = Integer.parseInt(key.substring(1));
      GunEvent item = e.getValue();
      boolean whole = item.has("i", i) && item.has("text", "item " + i) && item.has("even", i % 2 == 0);
      // GUN_JS: radisk has read an item back without one of its fields (see RelayKind)
      if (!whole && (kind.readsBulkWritesBackWhole() || !item.has("i", i))) {
        wrong.add("wrong content: " + item);
      }
      // GUN_JS: radisk sometimes answers the 1,000-field index with a few keys garbled (see RelayKind)
      if (kind.answersLargeNodesWithExactKeys() && !key.equals(item.key())) {
        wrong.add("under key " + item.key() + " instead of " + key + ": " + item);
      }
    }
    assertThat(wrong).as("items read back wrong").isEmpty();
  }
}
