package io.jgun.sea;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.JsNumber;
import io.jgun.json.Json;
import io.jgun.json.JsonText;
import io.jgun.mesh.PutGuard;
import io.jgun.wire.Message;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * SEA's firewall (docs/protocol.md §10.6) as a {@link PutGuard}: the checks a Gun.js peer
 * with SEA loaded runs on every incoming field, with Gun.js's reason texts. A put is accepted only
 * if every field is; the first refused field's reason refuses it.
 *
 * <ul>
 *   <li>souls with {@code <?N}: fields older than N seconds are refused (Gun drops them silently:
 *       {@value #FORGOTTEN});
 *   <li>{@code ~@} and {@code ~@alias}: the value must be a link matching the key ("Alias not
 *       same!", "Alias must exist!", "Data must exist!");
 *   <li>user souls {@code ~pub...}: the unsigned {@code pub} field must equal the owner ("Account
 *       not same!"); every other value must be {@code {":":v,"~":sig}} signed over {@code
 *       {"#":soul,".":key,":":v,">":state}} by the owner, or by a certificant {@code "*"} holding a
 *       valid certificate {@code "+"} ("Unverified data.", "Certificate expired.", "Certificate
 *       verification fail.", "Certificant ... blocked.", the path rule);
 *   <li>content-addressed souls (with {@code #}): the key's part after its last {@code #} must be
 *       the SHA-256 of the value, base64 or hex ("Data hash not same as hash!");
 *   <li>anything else is accepted.
 * </ul>
 *
 * <p>A put is refused whole when one field is: Gun.js itself still stores the valid fields of a
 * put that also holds refused ones (checked with gun 0.2020.1241), but answers it with the same
 * {@code err} and does not relay it; no Gun.js client sends such mixed puts for its own writes,
 * which its SEA signs before sending.
 *
 * <p>Two more differences from Gun.js, both on the safe side. Where Gun.js drops a field silently (and
 * so never acks the put), jgun refuses the put with a reason of its own ({@value #CERT_NOT_OWNER},
 * {@value #CERTIFICANT_NOT_ALLOWED}, {@value #FORGOTTEN}). And a value naming a signer in {@code
 * "*"} without a certificate is checked against the owner's key (gotcha G15: Gun.js accepts it
 * signed by whoever {@code "*"} names); {@link Builder#strictGunJs(boolean)} restores Gun.js's
 * acceptance.
 *
 * <p>Signatures are verified off the loop: {@link #prepare(Graph)} runs on the thread that read the
 * frame, verifies every signature of the put and returns the valid ones, which travel with the
 * message to {@link #check(Graph, PutGuard.FieldReader, Message.Prepared)} on the loop; the check
 * trusts only proofs this firewall made. The firewall also owns a bounded LRU of the keys it
 * imported and of the signatures it found valid (a put heard from several peers is verified once).
 * Thread-safe; that cache is its only state.
 */
// a put guard of the mesh: only the modules io.jgun.mesh is exported to can use it ("exports")
@SuppressWarnings("exports")
public final class SeaFirewall implements PutGuard {
  static final String UNVERIFIED = "Unverified data.";
  static final String ACCOUNT_NOT_SAME = "Account not same!";
  static final String ALIAS_NOT_SAME = "Alias not same!";
  static final String ALIAS_MUST_EXIST = "Alias must exist!";
  static final String DATA_MUST_EXIST = "Data must exist!";
  static final String HASH_NOT_SAME = "Data hash not same as hash!";
  static final String CERT_EXPIRED = "Certificate expired.";
  static final String CERT_FAIL = "Certificate verification fail.";
  /** Gun.js drops these silently; jgun says why. */
  static final String CERT_NOT_OWNER = "Certificate not signed by the owner.";
  /** Gun.js drops these silently; jgun says why. */
  static final String CERTIFICANT_NOT_ALLOWED = "Certificant not allowed by the certificate.";
  /** Gun.js drops these silently ("forget" souls with {@code <?N}); jgun says why. */
  static final String FORGOTTEN = "Data older than the soul keeps.";

  private static final java.util.regex.Pattern LEADING_NUMBER =
      java.util.regex.Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final boolean strictGunJs;
  private final LongSupplier clock;
  private final SignatureVerifier verifier;

  private SeaFirewall(Builder b) {
    this.strictGunJs = b.strictGunJs;
    this.clock = b.clock;
    this.verifier = new SignatureVerifier(b.keyCacheSize, b.signatureCacheSize);
  }

  /** A firewall with jgun's defaults (G15 closed, the system clock). */
  public static SeaFirewall create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True if this firewall accepts what Gun.js accepts, G15 included. */
  public boolean strictGunJs() {
    return strictGunJs;
  }

  @Override
  public Verdict check(Graph put, FieldReader graph) {
    return check(put, graph, verifier::verify);
  }

  /**
   * {@link #check(Graph, PutGuard.FieldReader)} taking the signatures {@code prepared} names as
   * valid without verifying them again, when this firewall prepared them.
   */
  @Override
  public Verdict check(Graph put, FieldReader graph, Message.@Nullable Prepared prepared) {
    if (prepared instanceof Proofs proofs && proofs.firewall == this) {
      return check(
          put,
          graph,
          (text, sig, pub) -> proofs.valid.contains(SignatureVerifier.proofOf(text, sig, pub)) || verifier.verify(text, sig, pub));
    }
    return check(put, graph);
  }

  private Verdict check(Graph put, FieldReader graph, Sea.SignatureCheck signatures) {
    for (Node node : put.nodes().values()) {
      for (Map.Entry<String, Field> f : node.fields().entrySet()) {
        String why = check(node.soul(), f.getKey(), f.getValue(), graph, signatures);
        if (why != null) {
          return PutGuard.reject(node.soul(), f.getKey(), why);
        }
      }
    }
    return PutGuard.ACCEPT;
  }

  /**
   * Verifies the signatures of {@code put} ahead of {@link #check} (on a transport thread), and
   * returns the valid ones, for the message to carry to {@code check} on the mesh loop, which
   * then does not verify them again. ECDSA P-256 verification costs about a millisecond on the
   * JDK; this spreads it over the transport threads. Null when the put holds no valid signature.
   */
  @Override
  public Message.@Nullable Prepared prepare(Graph put) {
    Set<String> valid = new HashSet<>();
    // the verdict is check()'s to give, with the real graph: this one is thrown away
    check(
        put,
        (soul, key) -> null,
        (text, sig, pub) -> {
          String proof = verifier.proof(text, sig, pub);
          if (proof != null) {
            valid.add(proof);
          }
          return proof != null;
        });
    return valid.isEmpty() ? null : new Proofs(this, valid);
  }

  /** The signatures a firewall found valid in one put, carried with its message to the loop. */
  private static final class Proofs implements Message.Prepared {
    final SeaFirewall firewall;
    final Set<String> valid;

    Proofs(SeaFirewall firewall, Set<String> valid) {
      this.firewall = firewall;
      this.valid = Set.copyOf(valid);
    }

    @Override
    public String toString() {
      return valid.size() + " valid signature(s)";
    }
  }

  /** How many signatures this firewall verified with ECDSA, cache hits and proofs not counted (for tests). */
  long verifications() {
    return verifier.verifications();
  }

  /** How many valid signatures this firewall remembers (for tests). */
  int rememberedSignatures() {
    return verifier.rememberedSignatures();
  }

  /** Why one field is refused, or null if it is accepted (docs/protocol.md §10.6, in Gun.js's order). */
  @Nullable String check(String soul, String key, Field field, FieldReader graph, Sea.SignatureCheck signatures) {
    Value value = field.value();
    int forget = soul.indexOf("<?");
    if (forget >= 0) {
      double seconds = leadingNumber(soul.substring(forget + 2));
      if (field.state() < clock.getAsLong() - seconds * 1000) {
        return FORGOTTEN;
      }
    }
    if (soul.equals("~@")) {
      if (falsy(value)) {
        return DATA_MUST_EXIST;
      }
      return value instanceof Value.Link && ((Value.Link) value).soul().equals("~@" + key) ? null : ALIAS_NOT_SAME;
    }
    if (soul.startsWith("~@")) {
      if (falsy(value)) {
        return ALIAS_MUST_EXIST;
      }
      return value instanceof Value.Link && ((Value.Link) value).soul().equals(key) ? null : ALIAS_NOT_SAME;
    }
    String pub = SeaWrites.ownerPub(soul);
    if (pub != null) {
      return user(soul, key, field, pub, graph, signatures);
    }
    if (soul.indexOf('#') >= 0) {
      String hash = key.substring(key.lastIndexOf('#') + 1);
      String text = value instanceof Value.Text ? ((Value.Text) value).value() : value.json();
      byte[] digest = Sea.sha256(SeaJson.utf8(text));
      if (hash.equals(java.util.Base64.getEncoder().encodeToString(digest)) || hash.equals(HexFormat.of().formatHex(digest))) {
        return null;
      }
      return HASH_NOT_SAME;
    }
    return null;
  }

  /** A field of the user graph of {@code pub} (docs/protocol.md §10.6). */
  private @Nullable String user(
      String soul, String key, Field field, String pub, FieldReader graph, Sea.SignatureCheck signatures) {
    Value value = field.value();
    if (key.equals("pub") && soul.equals("~" + pub)) {
      return value instanceof Value.Text && ((Value.Text) value).value().equals(pub) ? null : ACCOUNT_NOT_SAME;
    }
    if (!(value instanceof Value.Text)) {
      return UNVERIFIED;
    }
    Json parsed = SeaJson.tryParse(((Value.Text) value).value());
    if (!(parsed instanceof Json.Obj)) {
      return UNVERIFIED;
    }
    Json.Obj raw = (Json.Obj) parsed;
    if (!(raw.get("~") instanceof Json.Str)) {
      return UNVERIFIED;
    }
    Json cert = raw.get("+");
    Json star = raw.get("*");
    boolean certWrite =
        cert instanceof Json.Obj && ((Json.Obj) cert).get("m") != null && ((Json.Obj) cert).get("s") != null && star != null;
    String signer = pub;
    if (star instanceof Json.Str && (certWrite || strictGunJs)) {
      signer = ((Json.Str) star).value(); // G15: without a certificate only in strict mode
    } else if (star != null && (certWrite || strictGunJs)) {
      return UNVERIFIED;
    }
    if (!signedBy(soul, key, field.state(), raw, signer, signatures)) {
      return UNVERIFIED;
    }
    return certWrite ? Certificates.check((Json.Obj) cert, signer, pub, soul, key, field.state(), graph, signatures) : null;
  }

  /** True if {@code raw["~"]} signs {@code {"#":soul,".":key,":":raw[":"],">":state}} (docs/protocol.md §10.4). */
  private static boolean signedBy(
      String soul, String key, double state, Json.Obj raw, String signer, Sea.SignatureCheck signatures) {
    String sig = ((Json.Str) Objects.requireNonNull(raw.get("~"))).value();
    Json v = raw.get(":");
    if (signatures.valid(putText(soul, key, v == null ? null : SeaJson.sorted(v), state), sig, signer)) {
      return true;
    }
    return v != null && SeaJson.orderMatters(v) && signatures.valid(putText(soul, key, v.toJs(), state), sig, signer);
  }

  /** The text a user write signs (G14: built from the incoming soul, key and state). */
  static String putText(String soul, String key, @Nullable String valueJson, double state) {
    StringBuilder out = new StringBuilder(soul.length() + key.length() + 160);
    out.append("{\"#\":");
    JsonText.appendQuoted(out, soul);
    out.append(",\".\":");
    JsonText.appendQuoted(out, key);
    if (valueJson != null) { // JSON.stringify leaves out an undefined member
      out.append(",\":\":").append(valueJson);
    }
    out.append(",\">\":");
    JsNumber.appendTo(out, state);
    return out.append('}').toString();
  }


  /** JavaScript's falsiness of a field value. */
  private static boolean falsy(Value v) {
    if (v instanceof Value.Null) {
      return true;
    }
    if (v instanceof Value.Text) {
      return ((Value.Text) v).value().isEmpty();
    }
    if (v instanceof Value.Number) {
      return ((Value.Number) v).value() == 0;
    }
    if (v instanceof Value.Bool) {
      return !((Value.Bool) v).value();
    }
    return false;
  }

  /** {@code parseFloat}: the longest leading decimal number, NaN if none. */
  private static double leadingNumber(String s) {
    java.util.regex.Matcher m = LEADING_NUMBER.matcher(s);
    return m.find() ? Double.parseDouble(m.group().trim()) : Double.NaN;
  }

  /** Options of a firewall. */
  public static final class Builder {
    private boolean strictGunJs;
    private LongSupplier clock = System::currentTimeMillis;
    private int keyCacheSize = 10_000;
    private int signatureCacheSize = 20_000;

    private Builder() {}

    /**
     * Accept exactly what Gun.js 0.2020.1241 accepts, including a value signed by the key named
     * in {@code "*"} without any certificate (gotcha G15, a hole). Default false.
     */
    public Builder strictGunJs(boolean v) {
      strictGunJs = v;
      return this;
    }

    /** The clock, in epoch millis, for {@code <?N} souls. */
    public Builder clock(LongSupplier v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** How many imported public keys the firewall keeps (least recently used dropped). Default 10,000. */
    public Builder keyCacheSize(int v) {
      keyCacheSize = positive(v, "keyCacheSize");
      return this;
    }

    /**
     * How many valid signatures the firewall remembers (least recently used dropped), so a put
     * heard again is not verified again. Default 20,000.
     */
    public Builder signatureCacheSize(int v) {
      signatureCacheSize = positive(v, "signatureCacheSize");
      return this;
    }

    private static int positive(int v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be positive, was " + v);
      }
      return v;
    }

    public SeaFirewall build() {
      return new SeaFirewall(this);
    }
  }
}
