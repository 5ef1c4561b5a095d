package io.jgun.sea;

import io.jgun.json.Json;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signed field values as Gun.js's SEA writes them into user graphs (docs/protocol.md §10.4, G13):
 * the JSON string {@code {":":value,"~":sig}} where the signature covers {@code
 * {"#":soul,".":key,":":value,">":state}}, so it binds soul, key, value and state. A write with a
 * certificate adds {@code "*"} (the writer's pub) and {@code "+"} (the certificate). These are the
 * values the firewall ({@link SeaFirewall}) accepts.
 */
public final class SeaWrites {
  private SeaWrites() {}

  /** The field value that writes {@code value} to {@code soul.key} at {@code state}, signed by {@code owner}. */
  public static String signedValue(String soul, String key, Json value, double state, KeyPair owner) {
    Map<String, Json> v = new LinkedHashMap<>();
    v.put(":", value);
    v.put("~", Json.of(sig(soul, key, value, state, owner)));
    return SeaJson.sorted(new Json.Obj(v));
  }

  /**
   * The field value that writes {@code value} into someone else's graph with {@code certificate}
   * (a {@code SEA{...}} string from {@link Sea#certify}), signed by {@code writer}
   * (docs/protocol.md §10.5).
   */
  public static String certifiedValue(String soul, String key, Json value, double state, KeyPair writer, String certificate) {
    Json cert = SeaJson.seaParse(Json.of(certificate));
    if (!(cert instanceof Json.Obj) || ((Json.Obj) cert).get("m") == null || ((Json.Obj) cert).get("s") == null) {
      throw new SeaException(SeaException.Kind.INVALID_INPUT, "not a certificate: " + certificate);
    }
    Map<String, Json> v = new LinkedHashMap<>();
    v.put(":", value);
    v.put("~", Json.of(sig(soul, key, value, state, writer)));
    v.put("+", cert);
    v.put("*", Json.of(writer.pub()));
    return SeaJson.sorted(new Json.Obj(v));
  }

  /** The value inside a signed field value (without checking the signature), or empty if it is none. */
  public static Optional<Json> unwrap(String stored) {
    Json parsed = SeaJson.tryParse(stored);
    if (parsed instanceof Json.Obj && ((Json.Obj) parsed).get(":") != null && ((Json.Obj) parsed).get("~") != null) {
      return Optional.of(((Json.Obj) parsed).get(":"));
    }
    return Optional.empty();
  }

  private static String sig(String soul, String key, Json value, double state, KeyPair signer) {
    String text = SeaFirewall.putText(soul, key, SeaJson.sorted(value), state);
    return Base64.getEncoder().encodeToString(Sea.signText(text, signer.priv()));
  }

  /**
   * The owner pub of a user soul (docs/protocol.md §10.6, G12), or null: the text after the first
   * {@code ~} up to any second one, split on every character outside {@code [A-Za-z0-9_-]}; the
   * first two pieces joined with a dot.
   */
  public static @Nullable String ownerPub(String soul) {
    int tilde = soul.indexOf('~');
    if (tilde < 0) {
      return null;
    }
    int end = soul.indexOf('~', tilde + 1);
    String rest = soul.substring(tilde + 1, end < 0 ? soul.length() : end);
    if (rest.isEmpty()) {
      return null;
    }
    int cut = firstNonWord(rest, 0);
    if (cut < 0) {
      return null; // one piece only
    }
    int cut2 = firstNonWord(rest, cut + 1);
    String first = rest.substring(0, cut);
    String second = rest.substring(cut + 1, cut2 < 0 ? rest.length() : cut2);
    if (first.startsWith("@")) {
      return null;
    }
    return first + "." + second;
  }

  private static int firstNonWord(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!word) {
        return i;
      }
    }
    return -1;
  }
}
