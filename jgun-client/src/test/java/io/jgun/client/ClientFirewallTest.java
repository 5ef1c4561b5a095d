package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import io.jgun.sea.SeaWrites;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * SEA's firewall run by the client itself (docs/protocol.md §10.6): on local writes (refused at
 * once, neither stored nor sent), on data from peers (forged fields dropped before reads and
 * listeners see them), and certificate writes into another user's graph (§10.5, §10.6).
 */
class ClientFirewallTest {
  private static final String PASS = "correct horse battery staple";
  private static final AtomicLong SEQ = new AtomicLong();
  @AutoClose private final Resources open = new Resources();

  private <T extends AutoCloseable> T keep(T c) {
    return open.keep(c);
  }

  private Gun connected(TestRelay relay, boolean firewall) {
    Gun g = keep(Gun.builder().peers(relay.url()).seaFirewall(firewall).reconnectDelay(Duration.ofMillis(100)).build());
    await().until(() -> g.connectedPeers() == 1);
    return g;
  }

  private static String alias(String name) {
    return name + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime();
  }

  private static @Nullable Field rawField(Gun gun, String soul, String key) throws Exception {
    CompletableFuture<@Nullable Field> f = new CompletableFuture<>();
    gun.engine().submit(() -> f.complete(gun.engine().rawField(soul, key)), f);
    return f.get(10, TimeUnit.SECONDS);
  }

  /** The typed refusal a future failed with. */
  private static GunException.Forbidden forbidden(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(GunException.Forbidden.class);
      return (GunException.Forbidden) e.getCause();
    }
    throw new AssertionError("expected a Forbidden refusal, the write succeeded");
  }

  private static String sha256Base64(String text) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(d);
  }

  @Test
  void aForgedLocalWriteFailsAtOnceAndIsNeitherStoredNorSent() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay, true);
    Gun m = connected(relay, true);
    UserInfo alice = join(a.user().create(alias("alice"), PASS));
    join(m.user().create(alias("mallory"), PASS));
    String soul = "~" + alice.pub();

    GunException.Forbidden f = forbidden(m.user(alice.pub()).get("says").put("Mallory was here"));
    assertThat(f.getMessage()).isEqualTo("Unverified data.");
    assertThat(f.reason()).isEqualTo("Unverified data.");
    assertThat(f.soul()).isEqualTo(soul);
    assertThat(f.key()).isEqualTo("says");
    assertThat(rawField(m, soul, "says")).isNull(); // not stored locally
    // nothing reached the relay: a fresh reader finds nothing there
    Gun reader = connected(relay, true);
    assertThat(join(reader.user(alice.pub()).get("says").once())).isEmpty();

    // the account's pub, unsigned: Gun.js's reason
    assertThat(forbidden(m.user(alice.pub()).get("pub").put("not the owner")).getMessage()).isEqualTo("Account not same!");
    // a nested write (a link and a node) is refused whole: neither part is stored
    assertThat(forbidden(m.get(soul).get("x").put(Map.of("a", 1))).getMessage()).isEqualTo("Unverified data.");
    assertThat(rawField(m, soul, "x")).isNull();
    assertThat(rawField(m, soul + "/x", "a")).isNull();
    // while m's writes into its own graph are signed and go through
    assertThat(join(m.user().get("x").put(Map.of("a", 1))).peer()).isEqualTo(relay.url());
  }

  @Test
  void refusedWithoutAnyPeerToAsk() throws Exception {
    // the only peer never answers: a relay's refusal could not come, so this is the client's own check
    Gun g = keep(Gun.builder().peers("ws://127.0.0.1:9/gun").ackTimeout(Duration.ofSeconds(30)).build());
    KeyPair owner = Sea.pair();
    long t0 = System.nanoTime();
    assertThat(forbidden(g.user(owner.pub()).get("name").put("forged")).getMessage()).isEqualTo("Unverified data.");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    // content-addressed souls: the key must end in the value's SHA-256 (base64 or hex)
    assertThat(forbidden(g.get("#").get("not-the-hash").put("hello")).getMessage()).isEqualTo("Data hash not same as hash!");
    assertThat(rawField(g, "#", "not-the-hash")).isNull();
    // the alias index: a link to the key's soul only
    assertThat(forbidden(g.get("~@someone").put(Map.of("~abc.def", Value.link("~other.pub")))).getMessage()).isEqualTo("Alias not same!");
  }

  @Test
  void validWritesStillPassOfflineAndTheSwitchesWork() throws Exception {
    Gun g = keep(Gun.builder().build());
    String hash = sha256Base64("hello");
    assertThat(join(g.get("#").get(hash).put("hello")).local()).isTrue();
    assertThat(join(g.get("#").get(hash).once())).contains("hello");
    assertThat(join(g.get("plain/node").put(Map.of("a", 1))).local()).isTrue();

    // off: anything goes, as on a Gun.js peer without SEA
    Gun open = keep(Gun.builder().seaFirewall(false).build());
    KeyPair owner = Sea.pair();
    join(open.user(owner.pub()).get("name").put("forged"));
    assertThat(join(open.user(owner.pub()).get("name").once())).contains("forged");
    join(open.get("#").get("not-the-hash").put("hello"));

    // G15: a value naming its signer in "*" without a certificate; only Gun.js-strict mode takes it
    KeyPair writer = Sea.pair();
    String soul = "~" + owner.pub();
    double state = 1_700_000_000_000.0;
    String signed = SeaWrites.signedValue(soul, "g15", Json.of("hole"), state, writer);
    String starred = "{\"*\":" + Json.of(writer.pub()).toJs() + "," + signed.substring(1);
    Graph put = Graph.of(new Node(soul, Map.of("g15", new Field(Value.text(starred), state))));
    CompletableFuture<Ack> refused = new CompletableFuture<>();
    g.engine().submit(() -> g.engine().writeGraph(put, soul, refused), refused);
    assertThat(forbidden(refused).getMessage()).isEqualTo("Unverified data.");
    Gun strict = keep(Gun.builder().seaStrictGunJs(true).build());
    CompletableFuture<Ack> accepted = new CompletableFuture<>();
    strict.engine().submit(() -> strict.engine().writeGraph(put, soul, accepted), accepted);
    assertThat(join(accepted).local()).isTrue();
    assertThat(join(strict.user(owner.pub()).get("g15").once())).contains("hole");
  }

  @Test
  void forgedDataFromAPeerNeverReachesListenersOrReads() throws Exception {
    TestRelay relay = keep(TestRelay.start()); // no firewall: it stores and passes on anything
    Gun a = connected(relay, true);
    Gun reader = connected(relay, true);
    Gun mallory = connected(relay, false); // skips its own checks, so the forged writes go out
    Gun trusting = connected(relay, false);
    UserInfo alice = join(a.user().create(alias("alice"), PASS));
    join(a.user().get("says").put("hello"));

    List<@Nullable Object> seen = Collections.synchronizedList(new ArrayList<>());
    keep(reader.user(alice.pub()).get("says").on((d, k) -> seen.add(d)));
    List<@Nullable Object> trusted = Collections.synchronizedList(new ArrayList<>());
    keep(trusting.user(alice.pub()).get("says").on((d, k) -> trusted.add(d)));
    await().until(() -> seen.contains("hello") && trusted.contains("hello"));

    // a forged, newer value (and an extra forged field) reach the relay and are pushed to everyone
    join(mallory.user(alice.pub()).get("says").put("forged by mallory"));
    join(mallory.user(alice.pub()).get("evil").put(true));
    await().until(() -> trusted.contains("forged by mallory")); // the trusting peer got it: it was sent
    await().until(() -> reader.refusedIncomingFields() > 0);
    assertThat(join(reader.user(alice.pub()).get("says").once())).contains("hello");
    assertThat(rawField(reader, "~" + alice.pub(), "evil")).isNull();

    // a fresh reader: the relay answers with the forged fields, it keeps only the valid ones (the
    // relay also passes the GET on to the other clients, so alice's older signed "hello" may come back)
    Gun fresh = connected(relay, true);
    assertThat(join(fresh.user(alice.pub()).get("says").once()).orElse(null)).isIn(null, "hello");
    Map<?, ?> node = (Map<?, ?>) join(fresh.user(alice.pub()).once()).orElseThrow();
    assertThat(node.get("pub")).isEqualTo(alice.pub());
    assertThat(node.get("alias")).isEqualTo(alice.alias());
    assertThat(node.get("says")).isIn(null, "hello");
    assertThat(List.<Object>copyOf(node.keySet())).doesNotContain("evil");
    assertThat(fresh.refusedIncomingFields()).isGreaterThanOrEqualTo(2);
    Gun freshTrusting = connected(relay, false);
    assertThat(join(freshTrusting.user(alice.pub()).get("says").once())).contains("forged by mallory");
    assertThat(freshTrusting.refusedIncomingFields()).isZero();

    // the owner's signed writes still flow
    join(a.user().get("says").put("signed again"));
    await().until(() -> seen.contains("signed again"));
    assertThat(seen).doesNotContain("forged by mallory");
    assertThat(join(fresh.user(alice.pub()).get("says").once())).contains("signed again");
  }

  @Test
  void aCertificateLetsAnotherUserWriteIntoTheInbox() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay, true);
    Gun b = connected(relay, true);
    Gun c = connected(relay, true);
    UserInfo alice = join(a.user().create(alias("alice"), PASS));
    UserInfo bob = join(b.user().create(alias("bob"), PASS));
    KeyPair alicePair = a.user().pair().orElseThrow();
    String cert = Sea.certify(List.of(bob.pub()), new Json.Obj(Map.of("*", Json.of("inbox"))), alicePair, null, null);

    Ack ack = join(b.user(alice.pub()).get("inbox").get(bob.pub()).put("hi Alice", PutOptions.cert(cert)));
    assertThat(ack.peer()).isEqualTo(relay.url()); // the firewalled relay accepted it
    assertThat(join(c.user(alice.pub()).get("inbox").get(bob.pub()).once())).contains("hi Alice");
    assertThat(join(a.user().get("inbox").get(bob.pub()).once())).contains("hi Alice");
    // stored as Gun.js's SEA writes it: the writer's pub and the certificate beside the signature
    Field raw = rawField(c, "~" + alice.pub() + "/inbox", bob.pub());
    String stored = ((Value.Text) raw.value()).value();
    assertThat(stored).startsWith("{\"*\":" + Json.of(bob.pub()).toJs() + ",\"+\":{\"m\":");
    assertThat(SeaWrites.unwrap(stored)).contains(Json.of("hi Alice"));
    // set() with the certificate too
    Ack item = join(b.user(alice.pub()).get("inbox").set(Map.of("from", bob.pub()), PutOptions.cert(cert)));
    assertThat(item.peer()).isEqualTo(relay.url());

    // without the certificate: refused (locally, with Gun.js's text)
    assertThat(forbidden(b.user(alice.pub()).get("inbox").get("other").put("no cert")).getMessage()).isEqualTo("Unverified data.");
    // outside the certificate's path
    assertThat(forbidden(b.user(alice.pub()).get("profile").put("x", PutOptions.cert(cert))).getMessage())
        .isEqualTo("Certificate verification fail.");
    // someone the certificate does not name
    Gun d = connected(relay, true);
    join(d.user().create(alias("dave"), PASS));
    assertThat(forbidden(d.user(alice.pub()).get("inbox").get("dave").put("x", PutOptions.cert(cert))).getMessage())
        .isEqualTo("Certificant not allowed by the certificate.");
    // and the relay refuses it too when the writer skips its own checks
    Gun e = connected(relay, false);
    join(e.user().auth(bob.alias(), PASS));
    assertThatThrownBy(() -> join(e.user(alice.pub()).get("inbox").get("e").put("no cert")))
        .hasCauseInstanceOf(GunException.PeerError.class)
        .hasMessageContaining("Unverified data.");
    assertThat(join(c.user(alice.pub()).get("inbox").get("e").once())).isEqualTo(Optional.empty());
  }
}
