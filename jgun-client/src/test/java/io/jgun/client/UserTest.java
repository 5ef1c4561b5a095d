package io.jgun.client;

import static io.jgun.client.OfflineChainTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import io.jgun.sea.SeaWrites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The user system ({@link User}) offline and through an in-process jgun relay running SEA's firewall. */
class UserTest {
  private static final String PASS = "correct horse battery staple";
  private static final AtomicLong SEQ = new AtomicLong();
  @AutoClose private final Resources open = new Resources();

  private <T extends AutoCloseable> T keep(T c) {
    return open.keep(c);
  }

  private Gun connected(TestRelay relay) {
    Gun g = keep(Gun.builder().peers(relay.url()).reconnectDelay(Duration.ofMillis(100)).readTimeout(Duration.ofSeconds(5)).build());
    await().until(() -> g.connectedPeers() == 1);
    return g;
  }

  private static String alias(String name) {
    return name + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime();
  }

  /** The stored (raw, possibly signed) value of a field in {@code gun}'s local graph. */
  private static @Nullable Value raw(Gun gun, String soul, String key) throws Exception {
    CompletableFuture<@Nullable Field> f = new CompletableFuture<>();
    gun.engine().submit(() -> f.complete(gun.engine().rawField(soul, key)), f);
    Field field = f.get(10, TimeUnit.SECONDS);
    return field == null ? null : field.value();
  }

  private static GunException.AuthError.Reason reasonOf(CompletableFuture<?> f) {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(GunException.AuthError.class);
      return ((GunException.AuthError) e.getCause()).reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected an AuthError, the operation succeeded");
  }

  @Test
  void createLogsInAndAnotherClientAuthsWithThePassword() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun b = connected(relay);
    String alias = alias("alice");
    UserInfo created = join(a.user().create(alias, PASS));
    assertThat(created.pub()).hasSize(87);
    assertThat(created.alias()).isEqualTo(alias);
    assertThat(a.user().is()).contains(created);
    assertThat(a.user().pair().orElseThrow().pub()).isEqualTo(created.pub());

    UserInfo authed = join(b.user().auth(alias, PASS));
    assertThat(authed).isEqualTo(created);
    assertThat(b.user().pair()).isEqualTo(a.user().pair());

    b.user().leave();
    assertThat(b.user().is()).isEmpty();
    assertThat(b.user().pair()).isEmpty();
    assertThatThrownBy(() -> b.user().get("x")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theAccountIsStoredInGunJsLayout() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun reader = connected(relay);
    String alias = alias("layout");
    UserInfo u = join(a.user().create(alias, PASS));
    String soul = "~" + u.pub();
    // read through a second client, so the values are what the firewalled relay accepted and stored
    assertThat(join(reader.get("~@" + alias).once())).contains(Map.of(soul, Map.of("#", soul)));
    Map<?, ?> node = (Map<?, ?>) join(reader.get(soul).once()).orElseThrow();
    assertThat(node.get("pub")).isEqualTo(u.pub());
    assertThat(node.get("alias")).isEqualTo(alias);
    assertThat(node.get("epub")).isEqualTo(u.epub());
    assertThat(raw(reader, soul, "pub")).isEqualTo(Value.text(u.pub()));
    for (String key : List.of("alias", "epub", "auth")) {
      Value stored = raw(reader, soul, key);
      assertThat(stored).isInstanceOf(Value.Text.class);
      assertThat(SeaWrites.unwrap(((Value.Text) stored).value())).as("%s is a signed value", key).isPresent();
    }
    JsonNode auth = new ObjectMapper().readTree((String) node.get("auth"));
    assertThat(auth.get("s").asText()).hasSize(64).matches("[0-9A-XZa-z]{64}");
    assertThat(auth.get("ek").get("ct").asText()).isNotEmpty();
    assertThat(auth.get("ek").get("iv").asText()).isNotEmpty();
    assertThat(auth.get("ek").get("s").asText()).isNotEmpty();
    // the ek opens with SEA.work(pass, salt) and holds this user's private keys
    String proof = Sea.work(Json.of(PASS), auth.get("s").asText());
    Json half = Sea.decrypt(Sea.parse(auth.get("ek").toString()), proof).orElseThrow();
    assertThat(((Json.Obj) half).get("priv")).isEqualTo(Json.of(a.user().pair().orElseThrow().priv()));
    assertThat(((Json.Obj) half).get("epriv")).isEqualTo(Json.of(a.user().pair().orElseThrow().epriv()));
  }

  @Test
  void writesIntoTheOwnGraphAreSignedAndAcceptedByTheFirewall() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun reader = connected(relay);
    UserInfo u = join(a.user().create(alias("writer"), PASS));
    Ack ack = join(a.user().get("profile").put(Map.of("name", "Alice", "age", 30)));
    assertThat(ack.peer()).isEqualTo(relay.url());
    assertThat(join(a.user().get("says").put("hello"))).extracting(Ack::local).isEqualTo(false);
    Ack item = join(a.user().get("posts").set(Map.of("title", "first")));
    assertThat(item.soul()).startsWith("~" + u.pub() + "/");
    join(a.get("~" + u.pub()).get("via").put(true)); // the plain chain signs too

    Chain theirs = reader.user(u.pub());
    assertThat(join(theirs.get("profile").get("name").once())).contains("Alice");
    assertThat(join(theirs.get("profile").get("age").once())).contains(30L);
    assertThat(join(theirs.get("says").once())).contains("hello");
    assertThat(join(theirs.get("via").once())).contains(true);
    assertThat(join(theirs.get("profile").once())).contains(Map.of("name", "Alice", "age", 30L));
    assertThat(join(theirs.get("posts").map().once()).orElseThrow()).isEqualTo(Map.of(item.soul(), Map.of("title", "first")));
    // what the relay stored is the signed form, links included (G13)
    Value link = raw(reader, "~" + u.pub(), "profile");
    assertThat(SeaWrites.unwrap(((Value.Text) link).value())).contains(new Json.Obj(Map.of("#", Json.of("~" + u.pub() + "/profile"))));
    Value age = raw(reader, "~" + u.pub() + "/profile", "age");
    assertThat(SeaWrites.unwrap(((Value.Text) age).value())).contains(Json.of(30));
    // a live listener sees plain values too
    List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    keep(reader.user(u.pub()).get("says").on((d, k) -> seen.add(d)));
    join(a.user().get("says").put("again"));
    await().until(() -> seen.contains("again"));
  }

  @Test
  void writesIntoSomeoneElsesGraphAreRefusedByTheRelay() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    // b skips its own SEA checks (they would refuse these writes at once: ClientFirewallTest), so the relay's are tested
    Gun b = keep(Gun.builder().peers(relay.url()).seaFirewall(false).reconnectDelay(Duration.ofMillis(100)).build());
    await().until(() -> b.connectedPeers() == 1);
    UserInfo alice = join(a.user().create(alias("alice"), PASS));
    join(b.user().create(alias("mallory"), PASS));
    assertThatThrownBy(() -> join(b.user(alice.pub()).get("says").put("Mallory was here")))
        .hasCauseInstanceOf(GunException.PeerError.class)
        .hasMessageContaining("Unverified data.");
    b.user().leave();
    assertThatThrownBy(() -> join(b.user(alice.pub()).get("pub").put("not the owner")))
        .hasCauseInstanceOf(GunException.PeerError.class)
        .hasMessageContaining("Account not same!");
  }

  @Test
  void predictableFailures() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun b = connected(relay);
    String alias = alias("fails");
    assertThat(reasonOf(a.user().create(alias, "short"))).isEqualTo(GunException.AuthError.Reason.PASSWORD_TOO_SHORT);
    assertThat(reasonOf(a.user().create("", PASS))).isEqualTo(GunException.AuthError.Reason.NO_USER);
    join(a.user().create(alias, PASS));
    assertThat(reasonOf(b.user().create(alias, "another password"))).isEqualTo(GunException.AuthError.Reason.ALREADY_CREATED);
    assertThat(reasonOf(b.user().auth(alias, "wrong password"))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    assertThat(reasonOf(b.user().auth(alias("nobody"), PASS))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    assertThat(b.user().is()).isEmpty();
    // Gun.js's message texts
    assertThatThrownBy(() -> join(b.user().auth(alias, "wrong password"))).hasMessageContaining("Wrong user or password.");
    assertThatThrownBy(() -> join(b.user().create(alias, PASS))).hasMessageContaining("User already created!");
    assertThatThrownBy(() -> join(b.user().create(alias, "1234567"))).hasMessageContaining("Password too short!");
  }

  @Test
  void aSecondOperationWhileOneRunsFailsAtOnce() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    String alias = alias("busy");
    CompletableFuture<UserInfo> first = a.user().create(alias, PASS);
    CompletableFuture<UserInfo> second = a.user().auth(alias, PASS);
    CompletableFuture<UserInfo> third = a.user().create(alias("other"), PASS);
    assertThat(reasonOf(second)).isEqualTo(GunException.AuthError.Reason.BUSY);
    assertThat(reasonOf(third)).isEqualTo(GunException.AuthError.Reason.BUSY);
    assertThatThrownBy(() -> join(a.user().auth(alias, PASS))).hasMessageContaining("User is already being created or authenticated!");
    assertThat(join(first).alias()).isEqualTo(alias);
    // free again once the first settled
    assertThat(join(a.user().auth(alias, PASS)).pub()).isEqualTo(join(first).pub());
  }

  @Test
  void operationsFailWithinTheUserTimeoutWhenNoPeerAnswers() throws Exception {
    // a peer that never connects: the create's writes wait for an ack that cannot come
    Gun g = keep(Gun.builder().peers("ws://127.0.0.1:9/gun").userTimeout(Duration.ofMillis(1500)).build());
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> join(g.user().create(alias("lonely"), PASS))).hasCauseInstanceOf(GunException.Timeout.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    assertThat(g.user().is()).isEmpty();
    // and the user is free for the next operation, whose alias lookup cannot ask anyone: not "wrong user"
    Gun quick = keep(Gun.builder().peers("ws://127.0.0.1:9/gun").readTimeout(Duration.ofMillis(300)).build());
    assertThatThrownBy(() -> join(quick.user().auth(alias("nobody"), PASS))).hasCauseInstanceOf(GunException.Unreachable.class);
    assertThatThrownBy(() -> join(g.user().auth(alias("nobody"), PASS))).hasCauseInstanceOf(GunException.Timeout.class);
  }

  @Test
  void aSessionIsSavedAndRecalledElsewhere() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    String alias = alias("session");
    UserInfo u = join(a.user().create(alias, PASS));
    Session s = a.user().session().orElseThrow();
    assertThat(s.toString()).doesNotContain(s.pair().priv()).doesNotContain(s.pair().epriv());
    Path file = Files.createTempFile("jgun-session", ".json");
    try {
      Files.writeString(file, s.toText());
      a.user().leave();
      Gun b = connected(relay);
      UserInfo recalled = join(b.user().recall(Session.parse(Files.readString(file))));
      assertThat(recalled).isEqualTo(u);
      assertThat(join(b.user().get("from").put("recalled session")).peer()).isEqualTo(relay.url());
      assertThat(join(a.user(u.pub()).get("from").once())).contains("recalled session");
    } finally {
      Files.deleteIfExists(file);
    }
    // auth(pair) reads nothing; the alias is then the pub
    Gun c = connected(relay);
    assertThat(join(c.user().auth(s.pair())).alias()).isEqualTo(u.pub());
    // keys that do not belong together are refused
    KeyPair other = Sea.pair();
    Session broken = new Session("x", new KeyPair(s.pair().pub(), other.priv(), s.pair().epub(), s.pair().epriv()));
    Gun d = connected(relay);
    assertThat(reasonOf(d.user().recall(broken))).isEqualTo(GunException.AuthError.Reason.INVALID_PAIR);
    assertThat(d.user().is()).isEmpty();
    assertThatThrownBy(() -> Session.parse("{\"pub\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteNullsTheAccountSoThePasswordNoLongerOpensIt() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun b = connected(relay);
    String alias = alias("gone");
    UserInfo u = join(a.user().create(alias, PASS));
    join(a.user().delete(alias, PASS));
    assertThat(a.user().is()).isEmpty();
    Map<?, ?> node = (Map<?, ?>) join(b.user(u.pub()).once()).orElseThrow();
    assertThat(node.get("pub")).isEqualTo(u.pub());
    assertThat(node.get("auth")).isNull();
    assertThat(node.get("alias")).isNull();
    assertThat(reasonOf(b.user().auth(alias, PASS))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
  }

  @Test
  void changePasswordReEncryptsTheSameKeysUnderTheNewPassword() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun b = connected(relay);
    String alias = alias("changer");
    String newPass = "a new and longer passphrase";
    UserInfo u = join(a.user().create(alias, PASS));
    KeyPair keys = a.user().pair().orElseThrow();
    join(a.user().get("says").put("still here"));
    String oldAuth = (String) join(b.user(u.pub()).get("auth").once()).orElseThrow();
    a.user().leave();

    assertThat(reasonOf(a.user().changePassword(alias, "not the password", newPass))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    assertThat(reasonOf(a.user().changePassword(alias, PASS, "short"))).isEqualTo(GunException.AuthError.Reason.PASSWORD_TOO_SHORT);
    assertThat(join(a.user().changePassword(alias, PASS, newPass))).isEqualTo(u);
    assertThat(a.user().pair()).contains(keys);
    // the relay's firewall took the signed auth; a fresh reader sees a new salt and the old password no longer opens it
    Gun c = connected(relay);
    String newAuth = (String) join(c.user(u.pub()).get("auth").once()).orElseThrow();
    assertThat(newAuth).isNotEqualTo(oldAuth);
    assertThat(((Json.Obj) Sea.parse(newAuth)).get("s")).isNotEqualTo(((Json.Obj) Sea.parse(oldAuth)).get("s"));
    assertThat(reasonOf(c.user().auth(alias, PASS))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    assertThat(join(c.user().auth(alias, newPass))).isEqualTo(u);
    assertThat(c.user().pair()).contains(keys);
    assertThat(join(c.user().get("says").once())).contains("still here");
  }

  @Test
  void authPubOpensTheAccountWithoutTheAliasLookup() throws Exception {
    TestRelay relay = keep(TestRelay.startWithFirewall());
    Gun a = connected(relay);
    Gun b = connected(relay);
    String alias = alias("bypub");
    UserInfo u = join(a.user().create(alias, PASS));
    assertThat(reasonOf(b.user().authPub(u.pub(), "not the password"))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
    assertThat(join(b.user().authPub(u.pub(), PASS))).isEqualTo(u);
    assertThat(b.user().pair()).isEqualTo(a.user().pair());
    b.user().leave();
    assertThat(reasonOf(b.user().authPub(Sea.pair().pub(), PASS))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
  }

  @Test
  void offlineCreateAuthAndSignedWritesWorkLocally() throws Exception {
    Gun g = keep(Gun.builder().build());
    String alias = alias("offline");
    UserInfo u = join(g.user().create(alias, PASS));
    g.user().leave();
    assertThat(join(g.user().auth(alias, PASS))).isEqualTo(u);
    join(g.user().get("profile").get("name").put("Offline Alice"));
    assertThat(join(g.user().get("profile").get("name").once())).contains("Offline Alice");
    Value stored = raw(g, "~" + u.pub() + "/profile", "name");
    assertThat(SeaWrites.unwrap(((Value.Text) stored).value())).contains(Json.of("Offline Alice"));
  }

  @Test
  void logsIntoTheGoldenGunJsAccount() throws Exception {
    JsonNode user = golden().get("user");
    Gun g = keep(Gun.builder().build());
    // the raw graph Gun.js wrote (section user.graph of jgun-sea's golden sea-vectors.json),
    // injected as it is
    for (Map.Entry<String, JsonNode> e : user.get("graph").properties()) {
      Map<String, Field> fields = new LinkedHashMap<>();
      JsonNode states = e.getValue().get("_").get(">");
      e.getValue().properties().forEach(f -> {
        if (!f.getKey().equals("_")) {
          Value v = f.getValue().isObject() ? Value.link(f.getValue().get("#").asText()) : Value.text(f.getValue().asText());
          fields.put(f.getKey(), new Field(v, states.get(f.getKey()).asDouble()));
        }
      });
      CompletableFuture<Ack> w = new CompletableFuture<>();
      g.engine().submit(() -> g.engine().writeGraph(Graph.of(new Node(e.getKey(), fields)), e.getKey(), w), w);
      join(w);
    }
    UserInfo u = join(g.user().auth(user.get("alias").asText(), user.get("password").asText()));
    JsonNode pair = user.get("pair");
    assertThat(u.pub()).isEqualTo(pair.get("pub").asText());
    assertThat(u.epub()).isEqualTo(pair.get("epub").asText());
    assertThat(g.user().pair()).contains(new KeyPair(pair.get("pub").asText(), pair.get("priv").asText(), pair.get("epub").asText(), pair.get("epriv").asText()));
    assertThat(join(g.user(u.pub()).get("alias").once())).contains("golden-alice");
    g.user().leave();
    assertThat(reasonOf(g.user().auth("golden-alice", "wrong horse battery staple"))).isEqualTo(GunException.AuthError.Reason.WRONG_USER_OR_PASSWORD);
  }

  /**
   * The golden vectors written by real sea.js, kept once in jgun-sea's test resources (Surefire runs
   * in the module folder, so the sibling module is one level up).
   */
  private static JsonNode golden() throws Exception {
    Path file = Path.of("..", "jgun-sea", "src", "test", "resources", "io", "jgun", "sea", "golden", "sea-vectors.json");
    assertThat(file).as("jgun-sea's golden SEA vectors").isRegularFile();
    return new ObjectMapper().readTree(file.toFile());
  }
}
