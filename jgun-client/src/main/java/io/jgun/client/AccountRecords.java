package io.jgun.client;

import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import io.jgun.sea.SeaException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The account records of Gun's user system (docs/protocol.md §10.4), exactly as Gun.js's SEA
 * writes and reads them: a new account's {@code ~pub} fields, the {@code auth} text (the private
 * keys encrypted with a PBKDF2 proof of the password), and opening it again, legacy forms included.
 * Pure functions, slow by design (PBKDF2): {@link User} runs them off the loop.
 */
final class AccountRecords {
  private static final String SALT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AccountRecords() {}

  /** A new account: the pair and the {@code ~pub} fields (off the loop: PBKDF2 is slow by design). */
  record Account(KeyPair pair, Map<String, Value> fields) {}

  static Account account(String alias, String pass) {
    KeyPair pair = Sea.pair();
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("pub", Value.text(pair.pub()));
    fields.put("alias", Value.text(alias));
    fields.put("epub", Value.text(pair.epub()));
    fields.put("auth", Value.text(authText(pair, pass)));
    return new Account(pair, fields);
  }

  /**
   * The {@code auth} field of an account: {@code {"ek":{ct,iv,s},"s":salt}} with a new salt, {@code
   * ek} being {@code {priv, epriv}} encrypted with {@code Sea.work(pass, salt)} (slow: PBKDF2).
   */
  static String authText(KeyPair pair, String pass) {
    String salt = salt();
    String proof = Sea.work(Json.of(pass), salt);
    Map<String, Json> half = new LinkedHashMap<>(); // sorted keys, as node's SEA writes them
    half.put("epriv", Json.of(pair.epriv()));
    half.put("priv", Json.of(pair.priv()));
    Json.Obj ek = Sea.encryptRaw(new Json.Obj(half), proof);
    Map<String, Json> auth = new LinkedHashMap<>();
    auth.put("ek", ek);
    auth.put("s", Json.of(salt));
    return new Json.Obj(auth).toJs();
  }

  /** 64 characters from Gun's {@code String.random} alphabet (which has no {@code Y}). */
  static String salt() {
    StringBuilder b = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      b.append(SALT_ALPHABET.charAt(RANDOM.nextInt(SALT_ALPHABET.length())));
    }
    return b.toString();
  }

  /** An opened account: its pair, and whether its {@code auth} was in the pre-2019 {@code utf8} form. */
  record Opened(KeyPair pair, boolean legacy) {}

  /**
   * Opens {@code auth} as Gun.js does (docs/protocol.md §10.4): the proof {@code Sea.work(pass,
   * salt)} and {@code ek} in base64; failing that, the legacy {@code encode:'utf8'} forms SEA still
   * accepts: {@code ek}'s fields one character per byte with the base64 proof (SEA.decrypt's own
   * fallback), then with the proof one character per byte too (auth's retry). One PBKDF2 for all
   * three.
   */
  static Optional<Opened> openAuth(String soul, Map<?, ?> node, String pass) {
    if (!(node.get("pub") instanceof String pub) || !soul.equals("~" + pub) || !(node.get("epub") instanceof String epub)
        || !(node.get("auth") instanceof String authText)) {
      return Optional.empty();
    }
    try {
      Json auth = Sea.parse(authText);
      if (!(auth instanceof Json.Obj a) || !(a.get("s") instanceof Json.Str salt) || a.get("ek") == null) {
        return Optional.empty();
      }
      Json ek = Objects.requireNonNull(a.get("ek"));
      String proof = Sea.work(Json.of(pass), salt.value());
      Optional<KeyPair> pair = pairOf(pub, epub, Sea.decrypt(ek, proof));
      if (pair.isPresent()) {
        return Optional.of(new Opened(pair.get(), false));
      }
      pair = pairOf(pub, epub, Sea.decryptUtf8(ek, proof));
      if (pair.isEmpty()) {
        String proofUtf8 = new String(Base64.getDecoder().decode(proof), StandardCharsets.ISO_8859_1);
        pair = pairOf(pub, epub, Sea.decryptUtf8(ek, proofUtf8));
      }
      return pair.map(p -> new Opened(p, true));
    } catch (SeaException e) {
      return Optional.empty();
    }
  }

  private static Optional<KeyPair> pairOf(String pub, String epub, Optional<Json> half) {
    if (half.isEmpty() || !(half.get() instanceof Json.Obj h) || !(h.get("priv") instanceof Json.Str priv)
        || !(h.get("epriv") instanceof Json.Str epriv)) {
      return Optional.empty();
    }
    KeyPair pair = new KeyPair(pub, priv.value(), epub, epriv.value());
    return matches(pair) ? Optional.of(pair) : Optional.empty();
  }

  /** True when {@code pair.priv} signs what {@code pair.pub} verifies. */
  static boolean matches(KeyPair pair) {
    try {
      String sig = Sea.sign(Json.of("jgun user check"), pair);
      return Sea.verify(sig, pair.pub()).isPresent();
    } catch (SeaException e) {
      return false;
    }
  }
}
