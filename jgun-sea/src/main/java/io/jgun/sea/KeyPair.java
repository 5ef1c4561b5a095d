package io.jgun.sea;

import java.util.Objects;

/**
 * A SEA key pair (docs/protocol.md §10.1): two independent P-256 keys in Gun's text forms. {@code
 * pub} and {@code epub} are {@code b64url(x) + "." + b64url(y)} (87 characters), {@code priv} and
 * {@code epriv} are {@code b64url(d)} (43 characters); base64url without padding, 32-byte
 * coordinates.
 *
 * @param pub the ECDSA public key: the user's identity (user souls are {@code "~" + pub})
 * @param priv the ECDSA private scalar
 * @param epub the ECDH public key, for {@link Sea#secret}
 * @param epriv the ECDH private scalar, also the key {@link Sea#encrypt(io.jgun.json.Json, KeyPair)} uses
 */
public record KeyPair(String pub, String priv, String epub, String epriv) {
  public KeyPair {
    Objects.requireNonNull(pub, "pub");
    Objects.requireNonNull(priv, "priv");
    Objects.requireNonNull(epub, "epub");
    Objects.requireNonNull(epriv, "epriv");
  }

  /** Never prints the private parts. */
  @Override
  public String toString() {
    return "KeyPair[pub=" + pub + ", epub=" + epub + "]";
  }
}
