package io.jgun.relay;

import io.jgun.mesh.ClientLimits;

/**
 * What one client of the relay may do (docs/operations-limits.md): its rates and connections
 * ({@link ClientLimits}), the souls and fields one connection may subscribe to, and the GETs one
 * connection may have waiting before its reading is paused.
 */
record RelayLimits(ClientLimits clients, int subscriptionsPerConnection, int getsWaitingPerConnection) {

  /** The defaults of the {@code --limit-*} options. */
  static final RelayLimits DEFAULTS = new RelayLimits(ClientLimits.DEFAULTS, 100_000, 256);

  RelayLimits {
    if (subscriptionsPerConnection < 1 || getsWaitingPerConnection < 2) {
      throw new IllegalArgumentException(
          "--limit-subscriptions must be ≥ 1 and --limit-gets ≥ 2, were " + subscriptionsPerConnection + " and " + getsWaitingPerConnection);
    }
  }
}
