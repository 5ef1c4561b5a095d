package io.jgun.rules;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import org.jspecify.annotations.Nullable;

/**
 * Who stands behind a write: the rules' view of SEA identities. The mesh's SEA firewall verifies
 * signatures before the rules run, so a signer named here is one whose signature held.
 */
public interface Identities {

  /** The pub that signed {@code field} of {@code soul}, or null for an unsigned write. */
  @Nullable String signer(String soul, Field field);

  /** The pub that owns {@code soul} (a user soul {@code ~pub...}), or null. */
  @Nullable String owner(String soul);

  /**
   * Whether a stored value counts as "yes" in a list kept in the graph: present, and neither null
   * nor false once any signature envelope is taken off. Default: the value as stored.
   */
  default boolean listed(@Nullable Field stored) {
    return stored != null && !(stored.value() instanceof Value.Null) && !stored.value().equals(Value.bool(false));
  }

  /** No identities: every write is unsigned and no soul has an owner. */
  Identities NONE =
      new Identities() {
        @Override
        public @Nullable String signer(String soul, Field field) {
          return null;
        }

        @Override
        public @Nullable String owner(String soul) {
          return null;
        }
      };
}
