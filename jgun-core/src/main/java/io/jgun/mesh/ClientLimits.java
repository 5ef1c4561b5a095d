package io.jgun.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one client may send (docs/operations-limits.md): messages and bytes per second, per
 * connection and per remote IP, and connections per IP. A client over a rate is slowed first (the
 * transport stops reading its frames until the rate allows them), told after {@code tellAfter} of
 * staying over it (a {@code dam:'!'} error), and disconnected after {@code disconnectAfter}; each
 * step is logged once per connection and counted. Loopback clients are exempt from the per-IP
 * limits (local tools, and a reverse proxy on the same host whose clients all share its address).
 * A rate of 0 means no limit.
 *
 * @param messagesPerSecond messages one connection may send per second, on average
 * @param bytesPerSecond frame bytes one connection may send per second
 * @param ipMessagesPerSecond messages all connections from one IP may send per second
 * @param ipBytesPerSecond frame bytes all connections from one IP may send per second
 * @param connectionsPerIp connections open at once from one IP; more are closed at once
 * @param burst how many seconds of a rate a quiet client may send at once
 * @param tellAfter how long a client stays over a rate before it is told
 * @param disconnectAfter how long a client stays over a rate before it is disconnected
 */
public record ClientLimits(
    double messagesPerSecond,
    double bytesPerSecond,
    double ipMessagesPerSecond,
    double ipBytesPerSecond,
    int connectionsPerIp,
    Duration burst,
    Duration tellAfter,
    Duration disconnectAfter) {

  /**
   * The defaults: generous for an interactive client (a browser syncing hard sends a few hundred
   * messages a second), small enough that one client cannot take a small relay's loop (measured:
   * docs/operations-limits.md). Bulk loaders and load tools raise them.
   */
  public static final ClientLimits DEFAULTS =
      new ClientLimits(1_000, 4 << 20, 5_000, 16 << 20, 256, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60));

  /** No limits at all. */
  public static final ClientLimits NONE = new ClientLimits(0, 0, 0, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60));

  public ClientLimits {
    Objects.requireNonNull(burst, "burst");
    Objects.requireNonNull(tellAfter, "tellAfter");
    Objects.requireNonNull(disconnectAfter, "disconnectAfter");
    if (messagesPerSecond < 0 || bytesPerSecond < 0 || ipMessagesPerSecond < 0 || ipBytesPerSecond < 0 || connectionsPerIp < 0) {
      throw new IllegalArgumentException("limits must be ≥ 0 (0: none): " + messagesPerSecond + ", " + bytesPerSecond + ", " + ipMessagesPerSecond + ", " + ipBytesPerSecond + ", " + connectionsPerIp);
    }
    if (burst.isNegative() || burst.isZero() || tellAfter.isNegative() || disconnectAfter.compareTo(tellAfter) < 0) {
      throw new IllegalArgumentException("need burst > 0 and 0 ≤ tellAfter ≤ disconnectAfter: " + burst + ", " + tellAfter + ", " + disconnectAfter);
    }
  }

  /** These limits with other per-connection rates. */
  public ClientLimits perConnection(double messages, double bytes) {
    return new ClientLimits(messages, bytes, ipMessagesPerSecond, ipBytesPerSecond, connectionsPerIp, burst, tellAfter, disconnectAfter);
  }

  /** These limits with other per-IP rates and connection cap. */
  public ClientLimits perIp(double messages, double bytes, int connections) {
    return new ClientLimits(messagesPerSecond, bytesPerSecond, messages, bytes, connections, burst, tellAfter, disconnectAfter);
  }

  /** These limits with other escalation times. */
  public ClientLimits steps(Duration tell, Duration disconnect) {
    return new ClientLimits(messagesPerSecond, bytesPerSecond, ipMessagesPerSecond, ipBytesPerSecond, connectionsPerIp, burst, tell, disconnect);
  }
}
