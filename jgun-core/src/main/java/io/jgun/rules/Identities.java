package io.jgun.rules;

import io.jgun.graph.Field;
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
