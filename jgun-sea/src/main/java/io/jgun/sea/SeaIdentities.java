package io.jgun.sea;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.rules.Identities;
import org.jspecify.annotations.Nullable;

/**
 * SEA's identities for the relay's rules: a field of a user soul {@code ~pub...} is signed by its
 * owner, or by the certificant named in {@code "*"} when it carries a certificate {@code "+"}
 * (docs/protocol.md §10.5). Fields anywhere else are unsigned: SEA verifies nothing there. Only
 * true once {@link SeaFirewall} has accepted the write, so the rules run after it.
 */
// Identities is exported only to the modules that install it (the relay), as PutGuard is for SeaFirewall.
@SuppressWarnings("exports")
public final class SeaIdentities implements Identities {
  private final boolean strictGunJs;

  /**
   * {@code strictGunJs}: the firewall runs in Gun.js's mode, where {@code "*"} without a
   * certificate names the signer (gotcha G15); otherwise such a write is the owner's.
   */
  public SeaIdentities(boolean strictGunJs) {
    this.strictGunJs = strictGunJs;
  }

  @Override
  public @Nullable String signer(String soul, Field field) {
    String owner = SeaWrites.ownerPub(soul);
    if (owner == null) {
      return null;
    }
    if (field.value() instanceof Value.Text t) {
      Json parsed = SeaJson.tryParse(t.value());
      if (parsed instanceof Json.Obj o && o.get("*") instanceof Json.Str star && (strictGunJs || o.get("+") != null)) {
        return star.value();
      }
    }
    return owner;
  }

  /** A signed value in a user soul counts by what it holds: a signed null or false is no "yes". */
  @Override
  public boolean listed(@Nullable Field stored) {
    if (stored != null && stored.value() instanceof Value.Text t) {
      Json inner = SeaWrites.unwrap(t.value()).orElse(null);
      if (inner != null) {
        return !inner.equals(Json.NULL) && !inner.equals(Json.FALSE);
      }
    }
    return Identities.super.listed(stored);
  }

  @Override
  public @Nullable String owner(String soul) {
    return SeaWrites.ownerPub(soul);
  }
}
