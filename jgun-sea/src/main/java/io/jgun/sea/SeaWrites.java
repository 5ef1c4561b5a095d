package io.jgun.sea;

import io.jgun.json.Json;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signed field values as Gun.js's SEA writes them into user graphs (spec §7.1, G13): the JSON
 * string {@code {":":value,"~":sig}} where the signature covers {@code
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
   * (a {@code SEA{...}} string from {@link Sea#certify}), signed by {@code writer} (spec §6).
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
}
