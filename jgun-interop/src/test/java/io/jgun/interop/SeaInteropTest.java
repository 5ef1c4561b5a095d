package io.jgun.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import io.jgun.sea.SeaWrites;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * jgun's SEA and real sea.js (node, gun 0.2020.1241) check each other: sea.js verifies jgun's
 * signatures, decrypts jgun's ciphertexts, derives the same secret and work and lets jgun-signed
 * puts through its firewall; jgun verifies, decrypts and derives what sea.js made.
 */
class SeaInteropTest {
  private static final List<io.jgun.json.Json> VALUES =
      List.of(
          io.jgun.json.Json.of("hello"),
          io.jgun.json.Json.of("h\u00e9llo w\u00f6rld \ud83d\ude00"),
          io.jgun.json.Json.of("123"),
          io.jgun.json.Json.of(123),
          io.jgun.json.Json.of(1795520872832.001),
          io.jgun.json.Json.TRUE,
          io.jgun.json.Json.NULL,
          obj("b", io.jgun.json.Json.of("x"), "a", io.jgun.json.Json.of(1)),
          new io.jgun.json.Json.Arr(List.of(io.jgun.json.Json.of(1), io.jgun.json.Json.of("two"))));

  @Test
  void seaJsAndJgunAcceptEachOther() throws Exception {
    KeyPair a = Sea.pair();
    KeyPair b = Sea.pair();
    List<io.jgun.json.Json> signed = new ArrayList<>();
    List<io.jgun.json.Json> encrypted = new ArrayList<>();
    String secret = Sea.secret(b.epub(), a);
    for (io.jgun.json.Json v : VALUES) {
      signed.add(io.jgun.json.Json.of(Sea.sign(v, a)));
      encrypted.add(obj("data", io.jgun.json.Json.of(Sea.encrypt(v, "jgun passphrase")), "key", io.jgun.json.Json.of("jgun passphrase")));
      encrypted.add(obj("data", io.jgun.json.Json.of(Sea.encrypt(v, a)), "pair", io.jgun.json.Json.TRUE));
      encrypted.add(obj("data", io.jgun.json.Json.of(Sea.encrypt(v, secret)), "key", io.jgun.json.Json.of(secret)));
    }
    List<io.jgun.json.Json> work =
        List.of(
            obj("data", s("password"), "salt", s("salt")),
            obj("data", s("p\u00e4ssw\u00f6rd \ud83d\ude00"), "salt", s("s\u00e4lt")),
            obj("data", s(""), "salt", s("salt")),
            obj("data", obj("a", io.jgun.json.Json.of(1)), "salt", s("salt")),
            obj("data", s("hello"), "salt", io.jgun.json.Json.NULL, "opt", obj("name", s("SHA-256"))),
            obj("data", s("hello"), "salt", io.jgun.json.Json.NULL, "opt", obj("name", s("SHA-256"), "encode", s("hex"))));
    // puts: a's own signed writes, a certified write by b, and forgeries
    double state = System.currentTimeMillis() - 5_000;
    String home = "~" + a.pub();
    String inbox = home + "/inbox";
    String cert = Sea.certify(List.of(b.pub()), obj("*", s("inbox")), a, null, null);
    List<Graph> puts =
        List.of(
            Graph.of(
                Node.builder(home)
                    .put("pub", Value.text(a.pub()), state)
                    .put("name", Value.text(SeaWrites.signedValue(home, "name", s("Alice"), state, a)), state)
                    .put("age", Value.text(SeaWrites.signedValue(home, "age", io.jgun.json.Json.of(30), state + 0.001, a)), state + 0.001)
                    .put("gone", Value.text(SeaWrites.signedValue(home, "gone", io.jgun.json.Json.NULL, state, a)), state)
                    .put("profile", Value.text(SeaWrites.signedValue(home, "profile", obj("#", s(home + "/profile")), state, a)), state)
                    .build()),
            Graph.of(Node.builder(inbox).put("m1", Value.text(SeaWrites.certifiedValue(inbox, "m1", s("hi alice"), state, b, cert)), state).build()),
            Graph.of(Node.builder(home).put("name", Value.text(SeaWrites.signedValue(home, "name", s("Mallory"), state, b)), state).build()),
            Graph.of(Node.builder(home + "/other").put("name", Value.text(SeaWrites.signedValue(home, "name", s("Alice"), state, a)), state).build()),
            Graph.of(Node.builder(home + "/private").put("m1", Value.text(SeaWrites.certifiedValue(home + "/private", "m1", s("hi"), state, b, cert)), state).build()));
    List<io.jgun.json.Json> putJson = new ArrayList<>();
    for (Graph g : puts) {
      putJson.add(((io.jgun.json.Json.Obj) Sea.parse(MessageWriter.write(Message.builder().id("x").put(g).build()))).get("put"));
    }
    Map<String, io.jgun.json.Json> req = new LinkedHashMap<>();
    req.put("jgunPair", pair(a));
    req.put("jgunPair2", pair(b));
    req.put("signed", new io.jgun.json.Json.Arr(signed));
    req.put("encrypted", new io.jgun.json.Json.Arr(encrypted));
    req.put("work", new io.jgun.json.Json.Arr(work));
    req.put("values", new io.jgun.json.Json.Arr(VALUES));
    req.put("puts", new io.jgun.json.Json.Arr(putJson));
    JsonNode out = runSeaJs(new io.jgun.json.Json.Obj(req).toJs());

    // --- sea.js checked jgun's outputs ---
    for (int i = 0; i < VALUES.size(); i++) {
      String expected = Sea.parse(SeaText.of(VALUES.get(i))).toJs();
      assertThat(out.get("verify").get(i)).as("sea.js verifies jgun's signature of %s", VALUES.get(i).toJs()).isEqualTo(Json.parse(expected));
      assertThat(out.get("verifyWrongPub").get(i).has("undefined")).isTrue();
      for (int k = 0; k < 3; k++) {
        assertThat(out.get("decrypt").get(3 * i + k)).as("sea.js decrypts jgun's ciphertext %s of %s", k, VALUES.get(i).toJs()).isEqualTo(Json.parse(expected));
        assertThat(out.get("decryptWrongKey").get(3 * i + k).has("undefined")).isTrue();
      }
    }
    assertThat(out.get("secretAB").asText()).isEqualTo(secret).isEqualTo(Sea.secret(a.epub(), b));
    assertThat(out.get("secretBA").asText()).isEqualTo(secret);
    for (int i = 0; i < work.size(); i++) {
      io.jgun.json.Json.Obj w = (io.jgun.json.Json.Obj) work.get(i);
      io.jgun.json.Json salt = w.get("salt");
      io.jgun.json.Json.Obj opt = w.get("opt") instanceof io.jgun.json.Json.Obj ? (io.jgun.json.Json.Obj) w.get("opt") : null;
      Sea.Work mode = opt == null ? Sea.Work.PBKDF2 : s("hex").equals(opt.get("encode")) ? Sea.Work.SHA256.withHex() : Sea.Work.SHA256;
      String ours = Sea.work(w.get("data"), salt instanceof io.jgun.json.Json.Str ? ((io.jgun.json.Json.Str) salt).value() : null, mode);
      assertThat(out.get("work").get(i).asText()).as("work %s", w.toJs()).isEqualTo(ours);
    }
    JsonNode own = out.get("puts").get(0);
    assertThat(own.get("errors")).isEmpty();
    assertThat(own.get("stored")).hasSize(5).allSatisfy(v -> assertThat(v.asBoolean()).isTrue());
    JsonNode certified = out.get("puts").get(1);
    assertThat(certified.get("errors")).isEmpty();
    assertThat(certified.get("stored").elements().next().asBoolean()).as("sea.js stores jgun's certified write").isTrue();
    for (int i = 2; i <= 3; i++) {
      JsonNode forged = out.get("puts").get(i);
      assertThat(forged.get("stored").elements().next().asBoolean()).isFalse();
      assertThat(forged.get("errors").get(0).asText()).isEqualTo("Unverified data.");
    }
    assertThat(out.get("puts").get(4).get("errors").get(0).asText()).isEqualTo("Certificate verification fail.");

    // --- jgun checked sea.js's outputs ---
    JsonNode gun = out.get("gun");
    KeyPair c = new KeyPair(gun.get("pair").get("pub").asText(), gun.get("pair").get("priv").asText(), gun.get("pair").get("epub").asText(), gun.get("pair").get("epriv").asText());
    for (int i = 0; i < VALUES.size(); i++) {
      io.jgun.json.Json expected = Sea.parse(SeaText.of(VALUES.get(i)));
      assertThat(Sea.verify(gun.get("signed").get(i).asText(), c.pub())).as("jgun verifies sea.js's signature of %s", VALUES.get(i).toJs()).contains(expected);
      assertThat(Sea.verify(gun.get("signed").get(i).asText(), a.pub())).isEmpty();
      assertThat(Sea.decrypt(gun.get("encrypted").get(i).asText(), "shared passphrase")).contains(expected);
      assertThat(Sea.decrypt(gun.get("encryptedWithPair").get(i).asText(), c)).contains(expected);
      assertThat(Sea.decrypt(gun.get("encrypted").get(i).asText(), "wrong")).isEmpty();
    }
    assertThat(Sea.secret(c.epub(), a)).isEqualTo(gun.get("secretCA").asText());
    Optional<io.jgun.json.Json> certBody = Sea.verify(gun.get("cert").asText(), c.pub());
    assertThat(certBody).isPresent();
    assertThat(((io.jgun.json.Json.Obj) certBody.get()).get("c")).isEqualTo(s(a.pub()));
  }

  private static JsonNode runSeaJs(String request) throws IOException, InterruptedException {
    NodeModules.ensureInstalled();
    Path dir = InteropEnvironment.nodeDir();
    Path err = Files.createTempFile("jgun-sea-interop", ".err");
    try {
      Process p = new ProcessBuilder("node", "sea.js").directory(dir.toFile()).redirectError(err.toFile()).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(request.getBytes(StandardCharsets.UTF_8));
      }
      byte[] answer = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("node sea.js did not finish in 120 s");
      }
      assertThat(p.exitValue()).as("node sea.js failed:\n%s", Files.readString(err)).isZero();
      return Json.parse(new String(answer, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static io.jgun.json.Json pair(KeyPair p) {
    return obj("pub", s(p.pub()), "priv", s(p.priv()), "epub", s(p.epub()), "epriv", s(p.epriv()));
  }

  private static io.jgun.json.Json s(String v) {
    return io.jgun.json.Json.of(v);
  }

  private static io.jgun.json.Json.Obj obj(Object... kv) {
    Map<String, io.jgun.json.Json> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (io.jgun.json.Json) kv[i + 1]);
    }
    return new io.jgun.json.Json.Obj(m);
  }

  /** The text SEA signs or encrypts for a value: a string as is, anything else as JSON. */
  private static final class SeaText {
    static String of(io.jgun.json.Json v) {
      return v instanceof io.jgun.json.Json.Str ? ((io.jgun.json.Json.Str) v).value() : v.toJs();
    }
  }
}
