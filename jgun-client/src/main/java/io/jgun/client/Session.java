package io.jgun.client;

import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.Sea;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A saved login: the alias and the full key pair, to log in again later without the password
 * ({@link User#recall}) — what Gun.js keeps in a browser's {@code sessionStorage.pair}.
 *
 * <p><strong>A session holds the user's private keys.</strong> Whoever has it can sign as the user
 * and read what was encrypted for the user, until the account's keys change (they never do in
 * Gun's user system: a password change re-encrypts the same keys). Store {@link #toText()} only
 * where you would store the password, or better (an OS key store, an encrypted file), and never log
 * it; {@link #toString()} leaves the private parts out.
 *
 * @param alias the alias the user logged in with (the pub when unknown)
 * @param pair the user's keys, private parts included
 */
public record Session(String alias, KeyPair pair) {
  public Session {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(pair, "pair");
  }

  /** The session as JSON text {@code {"alias":..,"epriv":..,"epub":..,"priv":..,"pub":..}} (contains the private keys). */
  public String toText() {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("alias", Json.of(alias));
    m.put("epriv", Json.of(pair.epriv()));
    m.put("epub", Json.of(pair.epub()));
    m.put("priv", Json.of(pair.priv()));
    m.put("pub", Json.of(pair.pub()));
    return new Json.Obj(m).toJs();
  }

  /**
   * Reads what {@link #toText()} wrote; also accepts a bare Gun.js pair ({@code JSON.stringify(pair)},
   * alias then the pub).
   *
   * @throws IllegalArgumentException when the text is not such a session
   */
  public static Session parse(String text) {
    Json j = Sea.parse(Objects.requireNonNull(text, "text"));
    if (!(j instanceof Json.Obj o)) {
      throw new IllegalArgumentException("not a session: expected a JSON object");
    }
    String pub = str(o, "pub");
    String alias = o.get("alias") instanceof Json.Str s ? s.value() : pub;
    return new Session(alias, new KeyPair(pub, str(o, "priv"), str(o, "epub"), str(o, "epriv")));
  }

  private static String str(Json.Obj o, String key) {
    if (o.get(key) instanceof Json.Str s && !s.value().isEmpty()) {
      return s.value();
    }
    throw new IllegalArgumentException("not a session: no " + key);
  }

  /** Never prints the private parts. */
  @Override
  public String toString() {
    return "Session[alias=" + alias + ", pub=" + pair.pub() + "]";
  }
}
