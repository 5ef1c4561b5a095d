package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The pre-2019 SEA forms (docs/protocol.md §10.2, §10.4) against data the real sea.js
 * 0.2020.1241 accepts ({@code legacy-sea.json}, made by {@code jgun-interop/node/legacy-fixtures.js}):
 * a ciphertext from {@code SEA.encrypt(.., {encode:'utf8'})}, and signatures over the old hash that
 * {@code SEA.verify} still takes.
 */
class LegacySeaTest {
  private static final Json.Obj FIXTURES = load();

  private static Json.Obj load() {
    try (InputStream in = Objects.requireNonNull(LegacySeaTest.class.getResourceAsStream("/legacy-sea.json"))) {
      return (Json.Obj) SeaJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | SeaJson.NotJson e) {
      throw new IllegalStateException(e);
    }
  }

  private static String str(String key) {
    return ((Json.Str) Objects.requireNonNull(FIXTURES.get(key))).value();
  }

  private static String pub() {
    return ((Json.Str) Objects.requireNonNull(((Json.Obj) FIXTURES.get("pair")).get("pub"))).value();
  }

  @Test
  void decryptsTheUtf8FormSeaEncryptMakes() {
    Json enc = Objects.requireNonNull(FIXTURES.get("utf8Enc"));
    Json expected = Objects.requireNonNull(FIXTURES.get("utf8Dec"));
    assertThat(((Json.Obj) expected).get("hello")).isEqualTo(Json.of("wörld"));
    assertThat(Sea.decryptUtf8(enc, "legacy key")).contains(expected);
    assertThat(Sea.decryptUtf8(enc, "another key")).isEmpty();
    // the current form does not read it (sea.js falls back to utf8 by itself; Sea.decrypt does not)
    assertThat(Sea.decrypt(enc, "legacy key")).isEmpty();
    // and the utf8 reading refuses current ciphertexts
    assertThat(Sea.decryptUtf8(Sea.encryptRaw(Json.of("x"), "legacy key"), "legacy key")).isEmpty();
  }

  @Test
  void verifyLegacyAcceptsWhatSeaVerifyAcceptsAndPlainVerifyDoesNot() {
    Json.Obj verified = (Json.Obj) Objects.requireNonNull(FIXTURES.get("verified"));
    for (String k : List.of("objA", "arrA", "strA", "strB", "objB")) {
      Json byRealSea = Objects.requireNonNull(verified.get(k));
      assertThat(Sea.verifyLegacy(Json.of(str(k)), pub())).as(k).contains(byRealSea);
      assertThat(Sea.verify(str(k), pub())).as("the current check alone refuses %s", k).isEmpty();
      assertThat(Sea.verifyLegacy(Json.of(str(k)), Sea.pair().pub())).as("%s by another key", k).isEmpty();
    }
    // current signatures still verify through verifyLegacy
    KeyPair p = Sea.pair();
    assertThat(Sea.verifyLegacy(Json.of(Sea.sign(Json.of("now"), p)), p.pub())).contains(Json.of("now"));
  }

  @Test
  void theLegacyHashBindsNoObjectContentAsInRealSea() {
    // sea.js verified objA's signature over a different object ({"evil":true}); so does verifyLegacy
    Json.Obj verified = (Json.Obj) Objects.requireNonNull(FIXTURES.get("verified"));
    assertThat(verified.get("objAOtherObject")).isEqualTo(new Json.Obj(Map.of("evil", Json.TRUE)));
    Json.Obj env = (Json.Obj) Sea.parse(str("objA"));
    Json forged = new Json.Obj(Map.of("m", new Json.Obj(Map.of("evil", Json.TRUE)), "s", Objects.requireNonNull(env.get("s"))));
    assertThat(Sea.verifyLegacy(forged, pub())).contains(new Json.Obj(Map.of("evil", Json.TRUE)));
    assertThat(Sea.verify(forged, pub())).isEmpty();
  }

  @Test
  void jsStringMatchesJavaScript() {
    assertThat(Sea.jsString(Json.of(1.5))).isEqualTo("1.5");
    assertThat(Sea.jsString(new Json.Arr(List.of(Json.of(1), Json.of("x"), Json.NULL, new Json.Arr(List.of(Json.of(2), Json.of(3))))))).isEqualTo("1,x,,2,3");
    assertThat(Sea.jsString(new Json.Obj(Map.of("a", Json.of(1))))).isEqualTo("[object Object]");
    assertThat(Sea.jsString(Json.NULL)).isEqualTo("null");
    assertThat(Sea.jsString(Json.TRUE)).isEqualTo("true");
  }
}
