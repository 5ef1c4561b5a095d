package io.jgun.sea;

import io.jgun.json.JsNumber;
import io.jgun.json.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * SEA's primitives, byte-compatible with Gun.js 0.2020.1241 (docs/protocol.md §10.1–10.5), on the
 * JDK's crypto alone.
 *
 * <p>Text rules, as SEA: a value is signed, hashed or encrypted as its string if it is a string,
 * otherwise as its JSON text with object keys sorted by UTF-16 code units (the node relay's YSON,
 * docs/protocol.md §10.2); strings passed to {@link #sign} and {@link #verify} first go through
 * SEA's parse step (a string that is JSON is its parsed value: {@code sign(Json.of("123"))} signs
 * the number 123).
 *
 * <p>Where Gun.js returns {@code undefined}: {@link #verify} and {@link #decrypt} return an empty
 * {@link Optional} (a valid signature of {@code null} gives {@code Optional.of(Json.NULL)}); the
 * other operations throw {@link SeaException} with a {@link SeaException.Kind}. Thread-safe.
 *
 * <p>These static methods share one default state: a {@link SecureRandom} (pass your own to the
 * overloads that take one, such as {@link #pair(SecureRandom)} and {@link #encryptRaw(Json,
 * String, SecureRandom)}) and one bounded cache of imported keys and valid signatures. {@link
 * SeaFirewall} does not use that cache: each firewall owns its own.
 *
 * <p>(Over 500 lines because it is SEA's whole public API, one static method per operation of
 * sea.js with its Javadoc; the work is done by the package's other classes.)
 */
public final class Sea {
  private Sea() {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /** The static API's verifier: its caches hold 10,000 keys and 20,000 valid signatures. */
  private static final SignatureVerifier VERIFIER = new SignatureVerifier(10_000, 20_000);
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final String PREFIX = "SEA";

  /**
   * SEA's parse step (docs/protocol.md §10.2): {@code SEA{...}} and other JSON text become their
   * value; text that is not JSON stays a string. This is how {@link #verify} and {@link #decrypt}
   * hand back values.
   */
  public static Json parse(String text) {
    return SeaJson.seaParse(Json.of(text));
  }

  // ---------------------------------------------------------------------------------------------
  // §10.1 pairs

  /** A new random pair: an ECDSA and an independent ECDH P-256 key (docs/protocol.md §10.1). */
  public static KeyPair pair() {
    return pair(RANDOM);
  }

  /** {@link #pair()} drawing from {@code random}. */
  public static KeyPair pair(SecureRandom random) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), random);
      java.security.KeyPair sign = gen.generateKeyPair();
      java.security.KeyPair dh = gen.generateKeyPair();
      return new KeyPair(
          EcKeys.text((ECPublicKey) sign.getPublic()),
          EcKeys.text((ECPrivateKey) sign.getPrivate()),
          EcKeys.text((ECPublicKey) dh.getPublic()),
          EcKeys.text((ECPrivateKey) dh.getPrivate()));
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.CRYPTO, "P-256 key generation failed", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // §10.2 sign / verify

  /**
   * {@code SEA.sign(data, pair)}: the string {@code SEA{"m":<m>,"s":"<88 chars>"}}
   * (docs/protocol.md §10.2). Already-signed input (a {@code SEA{...}} string or an {@code {m,s}}
   * object) that verifies with {@code pair.pub} is returned as it is (§10.2).
   *
   * @throws SeaException INVALID_KEY if {@code pair.priv} is not a P-256 scalar
   */
  public static String sign(Json data, KeyPair pair) {
    return PREFIX + SeaJson.sorted(signRaw(data, pair));
  }

  /** {@code SEA.sign(data, pair, null, {raw: true})}: the {@code {m, s}} object. */
  public static Json.Obj signRaw(Json data, KeyPair pair) {
    Json m = SeaJson.seaParse(data);
    if (m instanceof Json.Obj) {
      Json.Obj o = (Json.Obj) m;
      if (o.get("m") != null && o.get("s") != null && verify(o, pair.pub()).isPresent()) {
        return envelope(o.get("m"), o.get("s"));
      }
    }
    byte[] sig = signText(SeaJson.text(m), pair.priv());
    return envelope(m, Json.of(B64.encodeToString(sig)));
  }

  private static Json.Obj envelope(Json m, Json s) {
    Map<String, Json> r = new LinkedHashMap<>();
    r.put("m", m);
    r.put("s", s);
    return new Json.Obj(r);
  }

  /** The raw 64-byte P1363 signature of SHA-256(UTF8(text)) (docs/protocol.md §10.2, G1: hashed twice). */
  static byte[] signText(String text, String priv) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(EcKeys.privateKey(priv), RANDOM);
      s.update(sha256(SeaJson.utf8(text)));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.CRYPTO, "ECDSA signing failed", e);
    }
  }

  /** True if {@code sigB64} is a valid SEA signature of {@code text} by {@code pub}; never throws. */
  static boolean verifyText(String text, String sigB64, String pub) {
    return VERIFIER.verify(text, sigB64, pub);
  }

  /** A check of one signature: true if {@code sigB64} is {@code pub}'s valid signature of {@code text}. */
  @FunctionalInterface
  interface SignatureCheck {
    boolean valid(String text, String sigB64, String pub);
  }

  /** A signed value: the message {@code m} and its signature {@code s}. */
  private record Signed(Json m, String sig) {}

  /** {@code data} (a {@code SEA{...}} string, JSON text or object) as {@code {m,s}}, or null. */
  private static @Nullable Signed signed(Json data) {
    Json json = SeaJson.seaParse(data);
    if (!(json instanceof Json.Obj)) {
      return null;
    }
    Json m = ((Json.Obj) json).get("m");
    Json s = ((Json.Obj) json).get("s");
    if (m == null || !(s instanceof Json.Str)) {
      return null;
    }
    return new Signed(m, ((Json.Str) s).value());
  }

  /**
   * {@code SEA.verify(data, pub)} (docs/protocol.md §10.2): the signed value, parsed, if {@code
   * data} (a {@code SEA{...}} string, JSON text or {@code {m,s}} object) carries a valid signature
   * by {@code pub}; empty otherwise (Gun's {@code undefined}). The signed object is re-serialised
   * in the order received first and then sorted, so both browser and node signers verify.
   */
  public static Optional<Json> verify(Json data, String pub) {
    return verify(data, pub, VERIFIER::verify);
  }

  /** {@link #verify(Json, String)} checking signatures with {@code check}. */
  static Optional<Json> verify(Json data, String pub, SignatureCheck check) {
    Signed signed = signed(data);
    if (signed == null) {
      return Optional.empty();
    }
    Json m = signed.m();
    String sig = signed.sig();
    boolean ok;
    if (m instanceof Json.Str) {
      ok = check.valid(((Json.Str) m).value(), sig, pub);
    } else {
      ok = check.valid(m.toJs(), sig, pub) || (SeaJson.orderMatters(m) && check.valid(SeaJson.sorted(m), sig, pub));
    }
    return ok ? Optional.of(SeaJson.seaParse(m)) : Optional.empty();
  }

  /**
   * {@link #verify(Json, String)} with SEA's legacy fallback ({@code SEA.opt.fallback = 2},
   * docs/protocol.md §10.2), for data signed before 2019: when the current check fails, the
   * signature is checked once more over the old hash SHA-256(UTF8(String(parse(m)))), first decoded
   * as base64, then taken one character per byte. <strong>The old hash binds almost
   * nothing</strong>: every object's text is {@code [object Object]}, so a legacy signature of one
   * object verifies for any other object (real SEA does the same). Use it only to read old data
   * from a known signer; SEA's firewall ({@link SeaFirewall}) and {@link #verify(Json, String)}
   * never fall back.
   */
  public static Optional<Json> verifyLegacy(Json data, String pub) {
    Optional<Json> current = verify(data, pub);
    if (current.isPresent()) {
      return current;
    }
    Signed signed = signed(data);
    if (signed == null) {
      return Optional.empty();
    }
    Json value = SeaJson.seaParse(signed.m());
    byte[] h = sha256(SeaJson.utf8(jsString(value)));
    String sig = signed.sig();
    byte[] b64;
    try {
      b64 = B64D.decode(sig);
    } catch (IllegalArgumentException e) {
      b64 = new byte[0];
    }
    return VERIFIER.verifyDigest(h, b64, pub) || VERIFIER.verifyDigest(h, lowBytes(sig), pub)
        ? Optional.of(value)
        : Optional.empty();
  }

  /** JavaScript's {@code String(value)} of a JSON value (arrays join with commas, objects are {@code [object Object]}). */
  static String jsString(Json value) {
    if (value instanceof Json.Str) {
      return ((Json.Str) value).value();
    } else if (value instanceof Json.Num) {
      return JsNumber.format(((Json.Num) value).value());
    } else if (value instanceof Json.Bool) {
      return Boolean.toString(((Json.Bool) value).value());
    } else if (value instanceof Json.Arr) {
      StringBuilder b = new StringBuilder();
      List<Json> items = ((Json.Arr) value).items();
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        Json item = items.get(i);
        b.append(item instanceof Json.Null ? "" : jsString(item)); // Array#join writes null as ""
      }
      return b.toString();
    } else if (value instanceof Json.Obj) {
      return "[object Object]";
    }
    return "null";
  }

  /** {@link #verify(Json, String)} of a string ({@code SEA{...}} or JSON text). */
  public static Optional<Json> verify(String data, String pub) {
    return verify(Json.of(data), pub);
  }

  /**
   * {@code SEA.verify(data, false)}: the value inside a signed envelope, without checking the
   * signature (docs/protocol.md §10.2); empty if {@code data} is no envelope.
   */
  public static Optional<Json> open(Json data) {
    Json json = SeaJson.seaParse(data);
    Json m = json instanceof Json.Obj ? ((Json.Obj) json).get("m") : null;
    return m == null ? Optional.empty() : Optional.of(SeaJson.seaParse(m));
  }

  // ---------------------------------------------------------------------------------------------
  // §10.3 encrypt / decrypt

  /** {@code SEA.encrypt(data, pair)}: encrypts with {@code pair.epriv} as the passphrase. */
  public static String encrypt(Json data, KeyPair pair) {
    return encrypt(data, pair.epriv());
  }

  /**
   * {@link #encrypt(Json, KeyPair)} of plain Java data ({@code "hi"}, a number, a {@code Map}…,
   * see {@link Json#fromPlain}).
   */
  public static String encrypt(@Nullable Object data, KeyPair pair) {
    return encrypt(Json.fromPlain(data), pair.epriv());
  }

  /** {@link #encrypt(Json, String)} of plain Java data (see {@link Json#fromPlain}). */
  public static String encrypt(@Nullable Object data, String key) {
    return encrypt(Json.fromPlain(data), key);
  }

  /**
   * {@code SEA.encrypt(data, key)} (docs/protocol.md §10.3): {@code SEA{"ct":..,"iv":..,"s":..}},
   * AES-256-GCM with a 15-byte IV under SHA-256(UTF8(key + latin1(9-byte salt))).
   */
  public static String encrypt(Json data, String key) {
    return PREFIX + SeaJson.sorted(encryptRaw(data, key));
  }

  /** {@code SEA.encrypt(data, key, null, {raw: true})}: the {@code {ct, iv, s}} object. */
  public static Json.Obj encryptRaw(Json data, String key) {
    return encryptRaw(data, key, RANDOM);
  }

  /** {@link #encryptRaw(Json, String)} drawing its salt and IV from {@code random}. */
  public static Json.Obj encryptRaw(Json data, String key, SecureRandom random) {
    byte[] salt = new byte[9];
    byte[] iv = new byte[15];
    random.nextBytes(salt);
    random.nextBytes(iv);
    byte[] ct;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey(key, salt), "AES"), new GCMParameterSpec(128, iv));
      ct = c.doFinal(SeaJson.utf8(SeaJson.text(data)));
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.CRYPTO, "AES-GCM encryption failed", e);
    }
    Map<String, Json> r = new LinkedHashMap<>();
    r.put("ct", Json.of(B64.encodeToString(ct)));
    r.put("iv", Json.of(B64.encodeToString(iv)));
    r.put("s", Json.of(B64.encodeToString(salt)));
    return new Json.Obj(r);
  }

  /** SEA's AES key (docs/protocol.md §10.3, G7): SHA-256(UTF8(key + latin1(salt))). */
  static byte[] aesKey(String key, byte[] salt) {
    return sha256(SeaJson.utf8(key + new String(salt, StandardCharsets.ISO_8859_1)));
  }

  /** {@code SEA.decrypt(data, pair)}: decrypts with {@code pair.epriv}. */
  public static Optional<Json> decrypt(Json data, KeyPair pair) {
    return decrypt(data, pair.epriv());
  }

  /**
   * {@code SEA.decrypt(data, key)} (docs/protocol.md §10.3): the plaintext, parsed as SEA does
   * ({@code "123"} gives the number 123); empty when the key is wrong or anything was tampered
   * with.
   */
  public static Optional<Json> decrypt(Json data, String key) {
    Json json = SeaJson.seaParse(data);
    if (!(json instanceof Json.Obj)) {
      return Optional.empty();
    }
    Json.Obj o = (Json.Obj) json;
    if (!(o.get("ct") instanceof Json.Str) || !(o.get("iv") instanceof Json.Str) || !(o.get("s") instanceof Json.Str)) {
      return Optional.empty();
    }
    try {
      byte[] ct = B64D.decode(((Json.Str) o.get("ct")).value());
      byte[] iv = B64D.decode(((Json.Str) o.get("iv")).value());
      byte[] salt = B64D.decode(((Json.Str) o.get("s")).value());
      if (iv.length == 0 || ct.length < 16) {
        return Optional.empty();
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey(key, salt), "AES"), new GCMParameterSpec(128, iv));
      byte[] plain = c.doFinal(ct);
      return Optional.of(SeaJson.seaParse(Json.of(new String(plain, StandardCharsets.UTF_8))));
    } catch (AEADBadTagException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code SEA.decrypt(data, key, null, {encode: 'utf8'})}: the pre-2019 form, where {@code ct},
   * {@code iv} and {@code s} are not base64 but one character per byte (what SEA's buffer shim
   * makes of {@code toString('utf8')}); SEA still falls back to it when base64 fails, and old
   * accounts' {@code auth} used it (docs/protocol.md §10.4). Each character's low byte is taken, as
   * {@code new Uint8Array(...)} does in SEA, and the salt enters the AES key as the text it is.
   * Empty when the key is wrong or anything was tampered with. Never produce this form.
   */
  public static Optional<Json> decryptUtf8(Json data, String key) {
    Json json = SeaJson.seaParse(data);
    if (!(json instanceof Json.Obj)) {
      return Optional.empty();
    }
    Json.Obj o = (Json.Obj) json;
    if (!(o.get("ct") instanceof Json.Str) || !(o.get("iv") instanceof Json.Str) || !(o.get("s") instanceof Json.Str)) {
      return Optional.empty();
    }
    byte[] ct = lowBytes(((Json.Str) o.get("ct")).value());
    byte[] iv = lowBytes(((Json.Str) o.get("iv")).value());
    String salt = ((Json.Str) o.get("s")).value();
    if (iv.length == 0 || ct.length < 16) {
      return Optional.empty();
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sha256(SeaJson.utf8(key + salt)), "AES"), new GCMParameterSpec(128, iv));
      byte[] plain = c.doFinal(ct);
      return Optional.of(SeaJson.seaParse(Json.of(new String(plain, StandardCharsets.UTF_8))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] lowBytes(String text) {
    byte[] out = new byte[text.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) text.charAt(i);
    }
    return out;
  }

  /** {@link #decrypt(Json, KeyPair)} of a {@code SEA{...}} string. */
  public static Optional<Json> decrypt(String data, KeyPair pair) {
    return decrypt(Json.of(data), pair.epriv());
  }

  /** {@link #decrypt(Json, String)} of a {@code SEA{...}} string. */
  public static Optional<Json> decrypt(String data, String key) {
    return decrypt(Json.of(data), key);
  }

  /**
   * {@link #decrypt(String, KeyPair)} as plain Java data ({@link Json#toPlain}): {@code "hi"} for
   * text, a {@code Long} or {@code Double}, a {@code Map}…; empty when it cannot be decrypted (or
   * the plaintext is null).
   */
  public static Optional<Object> decryptPlain(String data, KeyPair pair) {
    return decrypt(data, pair).map(Json::toPlain);
  }

  /** {@link #decrypt(String, String)} as plain Java data ({@link Json#toPlain}). */
  public static Optional<Object> decryptPlain(String data, String key) {
    return decrypt(data, key).map(Json::toPlain);
  }

  // ---------------------------------------------------------------------------------------------
  // §10.3 work

  /**
   * Options of {@link #work(Json, String, Work)}, as SEA's {@code opt}: {@code name} ("PBKDF2", or
   * a name starting with "sha" for a plain digest: SHA-256, SHA-1, SHA-384, SHA-512),
   * {@code iterations}, {@code lengthBits}, {@code hex} (hex instead of base64) and a {@code salt}
   * that overrides the argument.
   */
  public record Work(String name, int iterations, int lengthBits, boolean hex, @Nullable String salt) {
    /** PBKDF2-HMAC-SHA-256, 100,000 iterations, 512 bits, base64: SEA's default. */
    public static final Work PBKDF2 = new Work("PBKDF2", 100_000, 512, false, null);
    /** SHA-256 in base64, as the firewall checks content-addressed souls. */
    public static final Work SHA256 = new Work("SHA-256", 0, 0, false, null);

    public Work {
      if (!isHash(name) && (iterations <= 0 || lengthBits <= 0 || lengthBits % 8 != 0)) {
        throw new IllegalArgumentException("PBKDF2 needs positive iterations and a length in whole bytes");
      }
    }

    public Work withHex() {
      return new Work(name, iterations, lengthBits, true, salt);
    }

    private static boolean isHash(String name) {
      return name.toLowerCase(Locale.ROOT).startsWith("sha");
    }
  }

  /** {@code SEA.work(data, salt)}: PBKDF2 as Gun's user system uses it (docs/protocol.md §10.3). */
  public static String work(Json data, @Nullable String salt) {
    return work(data, salt, Work.PBKDF2);
  }

  /**
   * {@code SEA.work(data, salt, null, opt)} (docs/protocol.md §10.3): PBKDF2-HMAC-SHA-256 over
   * UTF8(text) with UTF8(salt) (9 random bytes, so not reproducible, when there is no salt), or a
   * plain digest when {@code opt.name} starts with "sha" (salt ignored); base64 or hex. Where SEA
   * takes a pair as the salt, pass its {@code epub}.
   */
  public static String work(Json data, @Nullable String salt, Work opt) {
    byte[] text = SeaJson.utf8(SeaJson.text(data));
    byte[] out;
    if (Work.isHash(opt.name())) {
      String alg = opt.name().toUpperCase(Locale.ROOT);
      try {
        out = MessageDigest.getInstance(alg).digest(text);
      } catch (GeneralSecurityException e) {
        throw new SeaException(SeaException.Kind.INVALID_INPUT, "unknown digest " + opt.name(), e);
      }
    } else if ("PBKDF2".equalsIgnoreCase(opt.name())) {
      String s = opt.salt() != null ? opt.salt() : salt;
      if (s == null) {
        byte[] random = new byte[9];
        RANDOM.nextBytes(random);
        s = new String(random, StandardCharsets.ISO_8859_1);
      }
      out = pbkdf2(text, SeaJson.utf8(s), opt.iterations(), opt.lengthBits() / 8);
    } else {
      throw new SeaException(SeaException.Kind.INVALID_INPUT, "unknown work algorithm " + opt.name());
    }
    return opt.hex() ? HexFormat.of().formatHex(out) : B64.encodeToString(out);
  }

  /**
   * PBKDF2-HMAC-SHA-256 written out (RFC 8018 §5.2), because the JDK's refuses an empty password
   * that SEA accepts; for HMAC an empty key equals a block of zero bytes.
   */
  static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(password.length == 0 ? new byte[64] : password, "HmacSHA256"));
      byte[] out = new byte[length];
      int blocks = (length + 31) / 32;
      for (int b = 1; b <= blocks; b++) {
        mac.update(salt);
        mac.update(new byte[] {(byte) (b >>> 24), (byte) (b >>> 16), (byte) (b >>> 8), (byte) b});
        byte[] u = mac.doFinal();
        byte[] t = u.clone();
        for (int i = 1; i < iterations; i++) {
          u = mac.doFinal(u);
          for (int k = 0; k < t.length; k++) {
            t[k] ^= u[k];
          }
        }
        System.arraycopy(t, 0, out, (b - 1) * 32, Math.min(32, length - (b - 1) * 32));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.CRYPTO, "HmacSHA256 failed", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // §10.3 secret

  /**
   * {@code SEA.secret(otherEpub, myPair)} (docs/protocol.md §10.3): the ECDH P-256 shared X
   * coordinate, 32 bytes in base64url without padding (G10); symmetric between the two parties.
   *
   * @throws SeaException INVALID_KEY if either key is unusable
   */
  public static String secret(String otherEpub, KeyPair mine) {
    try {
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(EcKeys.privateKey(mine.epriv()));
      ka.doPhase(VERIFIER.publicKey(otherEpub), true);
      byte[] x = ka.generateSecret();
      return EcKeys.b64url(new BigInteger(1, x));
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.INVALID_KEY, "ECDH failed: " + e.getMessage(), e);
    }
  }

  /** {@code SEA.secret(otherPair, myPair)}: uses the other pair's {@code epub}. */
  public static String secret(KeyPair other, KeyPair mine) {
    return secret(other.epub(), mine);
  }

  // ---------------------------------------------------------------------------------------------
  // §10.5 certify

  /**
   * {@code SEA.certify(certificants, policy, authority, null, {expiry, block})} (docs/protocol.md
   * §10.5): a certificate {@code SEA{"m":{"c":..,"w":..},"s":..}} signed by {@code authority} that
   * lets the certificants write where {@code policy} allows into the authority's user graph.
   *
   * @param certificants the pubs allowed to write; any entry containing {@code *} means everybody
   * @param policy a write policy (string, array of lex objects, or a lex object with {@code # . =
   *     * > < +}), or an object with {@code read} and/or {@code write} members
   * @param expiry the ms timestamp after which writes are refused, or null
   * @param block the write-block path ({@code wb}), or null
   * @throws SeaException INVALID_INPUT without certificants or without a read or write policy
   */
  public static String certify(
      List<String> certificants, Json policy, KeyPair authority, @Nullable Double expiry, @Nullable Json block) {
    Map<String, Json> m = new LinkedHashMap<>();
    if (certificants.isEmpty()) {
      throw new SeaException(SeaException.Kind.INVALID_INPUT, "No certificant found.");
    }
    boolean everyone = certificants.stream().anyMatch(c -> c.contains("*"));
    if (everyone) {
      m.put("c", Json.of("*"));
    } else if (certificants.size() == 1) {
      m.put("c", Json.of(certificants.get(0)));
    } else {
      List<Json> cs = new ArrayList<>();
      certificants.forEach(c -> cs.add(Json.of(c)));
      m.put("c", new Json.Arr(cs));
    }
    if (expiry != null) {
      m.put("e", Json.of(expiry));
    }
    Json read = null;
    Json write = null;
    if (policy instanceof Json.Obj) {
      Json.Obj p = (Json.Obj) policy;
      read = p.get("read");
      write = p.get("write");
      if (write == null) {
        for (String k : Arrays.asList("+", "#", ".", "=", "*", ">", "<")) {
          if (p.get(k) != null) {
            write = policy;
            break;
          }
        }
      }
    } else if (policy instanceof Json.Str || policy instanceof Json.Arr) {
      write = policy;
    }
    if (read == null && write == null) {
      throw new SeaException(SeaException.Kind.INVALID_INPUT, "No policy found.");
    }
    if (read != null) {
      m.put("r", read);
    }
    if (write != null) {
      m.put("w", write);
    }
    if (block != null) {
      Json wb = block instanceof Json.Obj && ((Json.Obj) block).get("write") != null ? ((Json.Obj) block).get("write") : block;
      m.put("wb", wb);
    }
    return sign(new Json.Obj(m), authority);
  }

  // ---------------------------------------------------------------------------------------------

  static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (GeneralSecurityException e) {
      throw new SeaException(SeaException.Kind.CRYPTO, "SHA-256 missing", e);
    }
  }
}
