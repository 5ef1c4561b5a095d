package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our own outputs read back by our own code, and damaged inputs refused without exceptions. */
class SeaRoundTripTest {
  private static final List<Json> VALUES =
      List.of(
          Json.of("hello"),
          Json.of(""),
          Json.of("h\u00e9llo \ud83d\ude00 \ud800 lone"),
          Json.of(123),
          Json.of(1795520872832.001),
          Json.TRUE,
          Json.NULL,
          new Json.Obj(Map.of("b", Json.of(2), "a", Json.of("x"))),
          new Json.Arr(List.of(Json.of(1), Json.of("two"))));

  @Test
  void pairsAreWellFormed() {
    KeyPair p = Sea.pair();
    assertThat(p.pub()).hasSize(87).contains(".");
    assertThat(p.epub()).hasSize(87);
    assertThat(p.priv()).hasSize(43);
    assertThat(p.epriv()).hasSize(43);
    assertThat(p.toString()).doesNotContain(p.priv()).doesNotContain(p.epriv());
  }

  @Test
  void signVerifyRoundTrip() {
    KeyPair p = Sea.pair();
    KeyPair q = Sea.pair();
    for (Json v : VALUES) {
      String signed = Sea.sign(v, p);
      assertThat(signed).startsWith("SEA{\"m\":");
      Json expected = SeaJson.seaParse(v);
      assertThat(Sea.verify(signed, p.pub())).as(signed).contains(expected);
      assertThat(Sea.verify(Sea.signRaw(v, p), p.pub())).contains(expected);
      assertThat(Sea.verify(signed, q.pub())).isEmpty();
      // tampering: every single character changed in the signature or message fails, never throws
      for (int i = 4; i < signed.length() - 2; i += 7) {
        char c = signed.charAt(i);
        String bad = signed.substring(0, i) + (c == 'A' ? 'B' : 'A') + signed.substring(i + 1);
        // the last base64 character before "==" carries 4 unused bits: changing them is no change
        if (!bad.equals(signed) && i != signed.length() - 5) {
          assertThat(Sea.verify(bad, p.pub())).as(bad).isNotEqualTo(java.util.Optional.of(expected));
        }
      }
    }
  }

  @Test
  void encryptDecryptRoundTrip() {
    KeyPair p = Sea.pair();
    for (Json v : VALUES) {
      String ct = Sea.encrypt(v, p);
      // lone surrogates come back as U+FFFD, as through WebCrypto's TextEncoder
      String sent = new String(SeaJson.utf8(SeaJson.text(v)), java.nio.charset.StandardCharsets.UTF_8);
      Json expected = SeaJson.seaParse(Json.of(sent));
      assertThat(Sea.decrypt(ct, p.epriv())).contains(expected);
      assertThat(Sea.decrypt(Json.of(ct), p)).contains(expected);
      assertThat(Sea.decrypt(ct, "wrong")).isEmpty();
      for (int i = 8; i < ct.length() - 2; i += 5) {
        char c = ct.charAt(i);
        String bad = ct.substring(0, i) + (c == 'A' ? 'B' : 'A') + ct.substring(i + 1);
        // the last base64 character before '=' padding carries unused low bits: A<->B is no change
        if (!bad.equals(ct) && ct.charAt(i + 1) != '=') {
          assertThat(Sea.decrypt(bad, p.epriv())).as(bad).isEmpty();
        }
      }
    }
  }

  @Test
  void secretIsSymmetricAndEncrypts() {
    KeyPair a = Sea.pair();
    KeyPair b = Sea.pair();
    String s = Sea.secret(b.epub(), a);
    assertThat(s).hasSize(43).isEqualTo(Sea.secret(a.epub(), b));
    assertThat(Sea.decrypt(Sea.encrypt(Json.of("hi"), s), Sea.secret(a, b))).contains(Json.of("hi"));
  }

  @Test
  void badKeysAreTypedErrors() {
    KeyPair p = Sea.pair();
    KeyPair broken = new KeyPair("nope", "!!", "x.y", "");
    assertThatThrownBy(() -> Sea.sign(Json.of("x"), broken)).isInstanceOf(SeaException.class)
        .extracting(e -> ((SeaException) e).kind()).isEqualTo(SeaException.Kind.INVALID_KEY);
    assertThatThrownBy(() -> Sea.secret("x.y", p)).isInstanceOf(SeaException.class);
    // a point off the curve
    String off = p.pub().substring(0, 44) + (p.pub().charAt(44) == 'A' ? 'B' : 'A') + p.pub().substring(45);
    assertThat(Sea.verify(Sea.sign(Json.of("x"), p), off)).isEmpty();
    assertThatThrownBy(() -> Sea.secret(off, p)).isInstanceOf(SeaException.class);
    assertThat(Sea.verify("SEA{\"m\":1,\"s\":1}", "garbage")).isEmpty();
    assertThat(Sea.decrypt("SEA{\"ct\":\"%%\",\"iv\":\"\",\"s\":\"\"}", "k")).isEmpty();
    assertThatThrownBy(() -> Sea.certify(List.of(), Json.of("x"), p, null, null)).isInstanceOf(SeaException.class);
  }

  @Test
  void workModes() {
    assertThat(Sea.work(Json.of("hello"), null, Sea.Work.SHA256)).isEqualTo("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    assertThat(Sea.work(Json.of("a"), null)).isNotEqualTo(Sea.work(Json.of("a"), null)); // random salt
    assertThat(Sea.work(Json.of("a"), "s")).hasSize(88).isEqualTo(Sea.work(Json.of("a"), "s"));
  }

  @Test
  void plainJavaDataEncryptsAndDecryptsWithoutJsonWrappers() {
    KeyPair p = Sea.pair();
    String enc = Sea.encrypt("hi", p);
    assertThat(Sea.decrypt(enc, p)).contains(Json.of("hi"));
    assertThat(Sea.decryptPlain(enc, p)).contains("hi");
    assertThat(Sea.decrypt(enc, p).orElseThrow().toString()).isEqualTo("\"hi\"");
    assertThat(Sea.decryptPlain(Sea.encrypt(Map.of("n", 42, "ok", true), p), p)).contains(Map.of("n", 42L, "ok", true));
    assertThat(Sea.decryptPlain(Sea.encrypt(1.5, "secret"), "secret")).contains(1.5);
    assertThat(Sea.decryptPlain(enc, Sea.pair())).isEmpty();
  }
}
