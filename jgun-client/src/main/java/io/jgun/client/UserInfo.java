package io.jgun.client;

import java.util.Objects;

/**
 * Who is logged in (Gun.js's {@code user.is}): public data only.
 *
 * @param pub the ECDSA public key; the user's graph is {@code gun.get("~" + pub)}
 * @param epub the ECDH public key others use with {@code Sea.secret} to encrypt for this user
 * @param alias the alias used to log in, or the pub when logged in with a pair and no alias known
 */
public record UserInfo(String pub, String epub, String alias) {
  public UserInfo {
    Objects.requireNonNull(pub, "pub");
    Objects.requireNonNull(epub, "epub");
    Objects.requireNonNull(alias, "alias");
  }

  /** The soul of this user's root node, {@code "~" + pub}. */
  public String soul() {
    return "~" + pub;
  }
}
