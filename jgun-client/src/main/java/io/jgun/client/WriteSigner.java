package io.jgun.client;

import io.jgun.graph.Graph;
import io.jgun.sea.KeyPair;
import org.jspecify.annotations.Nullable;

/**
 * Signs the writes of the logged-in user into its own souls (docs/protocol.md §10.6), and with a
 * certificate its writes into other users' souls, before they are checked, stored and sent. The
 * user is set from any thread ({@link User} logs in and out off the loop); signing runs on the loop.
 */
final class WriteSigner {
  private volatile @Nullable KeyPair signer;

  /** Signs the writes into {@code pair}'s souls from now on (null: none). */
  void signAs(@Nullable KeyPair pair) {
    this.signer = pair;
  }

  @Nullable KeyPair signer() {
    return signer;
  }

  /**
   * {@code g} signed for the logged-in user (unchanged when none), with {@code cert} also the
   * fields in other users' souls.
   *
   * @throws GunException.InvalidData when it cannot be signed
   */
  Graph sign(Graph g, @Nullable String cert) {
    KeyPair me = signer;
    if (me == null) {
      return g;
    }
    try {
      return UserSpace.sign(g, me, cert);
    } catch (RuntimeException e) {
      throw new GunException.InvalidData("cannot sign the write: " + e.getMessage(), e);
    }
  }
}
