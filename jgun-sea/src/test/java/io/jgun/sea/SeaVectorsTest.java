package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.json.Json;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every deterministic vector of real sea.js, checked against jgun's {@link Sea}. */
class SeaVectorsTest {
  private static final AtomicInteger CHECKED = new AtomicInteger();
  private static final KeyPair ALICE = Vectors.pair("alice");
  private static final KeyPair BOB = Vectors.pair("bob");
  private static final KeyPair CAROL = Vectors.pair("carol");

  @AfterAll
  static void count() {
    org.slf4j.LoggerFactory.getLogger(SeaVectorsTest.class).info("{} vector checks passed", CHECKED.get());
  }

  private static void check() {
    CHECKED.incrementAndGet();
  }

  @Test
  void fixedPairsMatchTheirPrivateHalves() {
    for (KeyPair p : List.of(ALICE, BOB, CAROL)) {
      String signed = Sea.sign(Json.of("x"), p);
      assertThat(Sea.verify(signed, p.pub())).contains(Json.of("x"));
      assertThat(EcKeys.text(EcKeys.publicKey(p.pub()))).isEqualTo(p.pub());
      check();
    }
  }

  @Test
  void gunSignaturesVerify() {
    for (Json v : Vectors.list("sign")) {
      String output = Vectors.str(v, "output");
      Optional<Json> expected = Optional.of(Vectors.get(v, "verifyResult"));
      assertThat(Sea.verify(output, ALICE.pub())).as(output).isEqualTo(expected);
      assertThat(Sea.verify(Vectors.get(v, "rawOutput"), ALICE.pub())).as(output).isEqualTo(Vectors.result(Vectors.get(v, "verifyRawResult")));
      assertThat(Sea.verify(output, BOB.pub())).isEmpty();
      // what is signed: the same text, the same digest
      String text = Vectors.str(v, "signedText");
      assertThat(SeaJson.text(SeaJson.seaParse(Vectors.get(v, "input")))).isEqualTo(text);
      assertThat(HexFormat.of().formatHex(Sea.sha256(SeaJson.utf8(text)))).isEqualTo(Vectors.str(v, "signedTextSha256Hex"));
      // and ours carries the same m
      String ours = Sea.sign(Vectors.get(v, "input"), ALICE);
      assertThat(ours).startsWith(output.substring(0, output.length() - 90)).hasSize(output.length());
      assertThat(Sea.verify(ours, ALICE.pub())).isEqualTo(expected);
      check();
    }
  }

  @Test
  void alreadySigned() {
    Json v = Vectors.get("signAlreadySigned");
    String first = Vectors.str(v, "first");
    assertThat(Sea.sign(Json.of(first), ALICE)).isEqualTo(Vectors.str(v, "signAgainSamePair"));
    assertThat(Sea.sign(SeaJson.seaParse(Json.of(first)), ALICE)).isEqualTo(Vectors.str(v, "signObjectFormSamePair"));
    String other = Vectors.str(v, "signAgainOtherPair");
    assertThat(Sea.verify(other, BOB.pub())).contains(SeaJson.seaParse(Json.of(first)));
    String ours = Sea.sign(Json.of(first), BOB);
    assertThat(ours).startsWith(other.substring(0, other.length() - 90));
    check();
  }

  @Test
  void negativeAndForeignVerifications() {
    for (Json v : Vectors.list("verifyNegative")) {
      assertThat(Sea.verify(Vectors.get(v, "data"), Vectors.str(v, "pub"))).as(Vectors.str(v, "case")).isEqualTo(Vectors.result(Vectors.get(v, "result")));
      check();
    }
    Json f = Vectors.get("verifyForeignSignature");
    assertThat(Sea.verify(Vectors.get(f, "data"), Vectors.str(f, "pub"))).contains(Vectors.get(f, "result"));
    check();
    Json n = Vectors.get("verifyNoCheck");
    assertThat(Sea.open(Vectors.get(n, "data"))).contains(Vectors.get(n, "result"));
    check();
  }

  @Test
  void gunCiphertextsDecrypt() {
    for (Json v : Vectors.list("encrypt")) {
      String key = Vectors.str(v, "keyString");
      String output = Vectors.str(v, "output");
      assertThat(Sea.decrypt(output, key)).as(output).isEqualTo(Optional.of(Vectors.get(v, "decryptResult")));
      assertThat(Sea.decrypt(output, key + "x")).isEmpty();
      byte[] salt = Base64.getDecoder().decode(Vectors.str(v, "s"));
      assertThat(HexFormat.of().formatHex(Sea.aesKey(key, salt))).isEqualTo(Vectors.str(v, "aesKeyHex"));
      assertThat(SeaJson.text(Vectors.get(v, "input"))).isEqualTo(Vectors.str(v, "plaintextUtf8"));
      // ours decrypts to the same
      String ours = Sea.encrypt(Vectors.get(v, "input"), key);
      assertThat(Sea.decrypt(ours, key)).isEqualTo(Optional.of(Vectors.get(v, "decryptResult")));
      check();
    }
    Json raw = Vectors.get("encryptRaw");
    assertThat(Sea.decrypt(Vectors.get(raw, "output"), Vectors.str(raw, "key"))).contains(Vectors.get(raw, "decryptResult"));
    check();
    for (Json v : Vectors.list("decryptNegative")) {
      assertThat(Sea.decrypt(Vectors.get(v, "data"), Vectors.str(v, "key"))).as(Vectors.str(v, "case")).isEqualTo(Vectors.result(Vectors.get(v, "result")));
      check();
    }
    Json f = Vectors.get("decryptForeign");
    assertThat(Sea.decrypt(Vectors.get(f, "data"), Vectors.str(f, "key"))).contains(Vectors.get(f, "result"));
    check();
  }

  @Test
  void pairAsEncryptionKeyUsesEpriv() {
    Json v = Vectors.list("encrypt").get(0);
    assertThat(Vectors.str(v, "keyString")).isEqualTo(Vectors.str(Vectors.get("pairs", "alice"), "epriv"));
    check();
  }

  @Test
  void work() {
    for (Json v : Vectors.list("work")) {
      Json.Obj o = (Json.Obj) v;
      Json salt = o.get("salt");
      String saltText = salt instanceof Json.Str ? ((Json.Str) salt).value() : salt instanceof Json.Obj ? Vectors.str(salt, "epub") : null;
      Json.Obj opt = o.get("opt") instanceof Json.Obj ? (Json.Obj) o.get("opt") : Json.Obj.empty();
      String name = opt.get("name") instanceof Json.Str ? ((Json.Str) opt.get("name")).value() : "PBKDF2";
      int iterations = opt.get("iterations") instanceof Json.Num ? (int) ((Json.Num) opt.get("iterations")).value() : 100_000;
      int length = opt.get("length") instanceof Json.Num ? (int) ((Json.Num) opt.get("length")).value() : 512;
      boolean hex = Json.of("hex").equals(opt.get("encode"));
      String override = opt.get("salt") instanceof Json.Str ? ((Json.Str) opt.get("salt")).value() : null;
      Sea.Work w = new Sea.Work(name, iterations, length, hex, override);
      assertThat(Sea.work(o.get("data"), saltText, w)).as(v.toJs()).isEqualTo(Vectors.str(v, "result"));
      check();
    }
  }

  @Test
  void secret() {
    Json v = Vectors.get("secret");
    assertThat(Sea.secret(BOB.epub(), ALICE)).isEqualTo(Vectors.str(v, "aliceEpriv_bobEpub"));
    assertThat(Sea.secret(ALICE.epub(), BOB)).isEqualTo(Vectors.str(v, "bobEpriv_aliceEpub"));
    assertThat(Sea.secret(CAROL, ALICE)).isEqualTo(Vectors.str(v, "aliceWithCarol"));
    assertThat(Sea.secret(BOB, ALICE)).isEqualTo(Vectors.str(v, "passingWholePairAsKey"));
    check();
  }

  @Test
  void certificates() {
    for (java.util.Map.Entry<String, Json> e : ((Json.Obj) Vectors.get("certify")).fields().entrySet()) {
      Json v = e.getValue();
      Json output = Vectors.get(v, "output");
      assertThat(Sea.verify(output, ALICE.pub())).as(e.getKey()).contains(Vectors.get(v, "verifiesWithAuthority"));
      assertThat(Sea.verify(output, BOB.pub())).isEmpty();
      assertThat(SeaJson.sorted(Vectors.get(v, "m"))).isEqualTo(Vectors.str(v, "signedText"));
      check();
    }
    // ours, same bodies
    Json bob = Vectors.get("certify", "bobInbox");
    String ours = Sea.certify(List.of(BOB.pub()), Vectors.get(bob, "m", "w"), ALICE, null, null);
    assertThat(Sea.verify(ours, ALICE.pub())).contains(Vectors.get(bob, "m"));
    Json exp = Vectors.get("certify", "withExpiryAndBlock");
    String withExpiry = Sea.certify(List.of(BOB.pub()), Vectors.get(exp, "m", "w"), ALICE, 1900000000000d, Json.of("block"));
    assertThat(withExpiry).startsWith(Vectors.str(exp, "output").substring(0, Vectors.str(exp, "output").length() - 90));
    check();
  }

  @Test
  void jsonEnvironments() {
    for (Json v : Vectors.list("jsonEnvironments", "cases")) {
      Json input = Vectors.get(v, "input");
      // the browser's order and the node relay's sorted order both verify here
      assertThat(Sea.verify(Vectors.get(v, "outputNative"), ALICE.pub())).isPresent();
      assertThat(Sea.verify(Vectors.get(v, "outputYson"), ALICE.pub())).isPresent();
      assertThat(SeaJson.sorted(input)).isEqualTo(Vectors.str(v, "signedTextYson"));
      String ours = Sea.sign(input, ALICE);
      assertThat(ours.substring(0, ours.length() - 90)).isEqualTo(Vectors.str(v, "outputYson").substring(0, ours.length() - 90));
      check();
    }
  }

  @Test
  void accountKeysOfAGunJsUserDecrypt() {
    // what auth does (docs/protocol.md §10.4): proof = work(password, auth.s); ek decrypts with the
    // proof
    Json user = Vectors.get("user");
    String proof = Sea.work(Vectors.get(user, "password"), Vectors.str(user, "authFieldParsed", "s"));
    assertThat(proof).isEqualTo(Vectors.str(user, "crossCheck", "proof"));
    Optional<Json> halves = Sea.decrypt(Vectors.get(user, "authFieldParsed", "ek"), proof);
    assertThat(halves).contains(Vectors.get(user, "crossCheck", "decryptedPrivHalf"));
    assertThat(Vectors.str(halves.get(), "priv")).isEqualTo(Vectors.str(user, "pair", "priv"));
    assertThat(Sea.decrypt(Vectors.get(user, "authFieldParsed", "ek"), Sea.work(Json.of("wrong password"), Vectors.str(user, "authFieldParsed", "s")))).isEmpty();
    // the stored auth field is a signed string whose value is that JSON
    String pub = Vectors.str(user, "pair", "pub");
    Json stored = Vectors.get(user, "graph", "~" + pub, "auth");
    assertThat(SeaWrites.unwrap(((Json.Str) stored).value()).map(j -> Sea.parse(((Json.Str) j).value())))
        .contains(Vectors.get(user, "authFieldParsed"));
    check();
  }

  @Test
  void ownerOfSouls() {
    for (Json v : Vectors.list("optPub")) {
      Optional<Json> pub = Vectors.result(Vectors.get(v, "pub"));
      assertThat(Optional.ofNullable(SeaWrites.ownerPub(Vectors.str(v, "soul"))).map(Json::of)).as(v.toJs()).isEqualTo(pub);
      check();
    }
  }
}
