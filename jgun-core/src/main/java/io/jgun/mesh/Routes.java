package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.wire.Message;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ><} route of a message (docs/protocol.md §4.7): the peers it has been to, so that a
 * peer named there is not sent it again. Routes name the first {@link DamProtocol#ROUTE_MAX_PEERS}
 * of our peers, and a receiver reads at most {@link DamProtocol#ROUTE_MAX_CHARS} of one, as
 * Gun.js does. Loop only.
 */
final class Routes {
  /** The open peers in the order they came (the mesh's own set, read here). */
  private final Collection<Peer> peers;

  Routes(Collection<Peer> peers) {
    this.peers = peers;
  }

  /** Adds {@code ><} when this message has none and we have at least two peers. */
  Message withRoute(Message m) {
    if (m.route() != null || peers.size() < 2) {
      return m;
    }
    StringBuilder r = new StringBuilder();
    int n = 0;
    for (Peer p : peers) {
      if (n == DamProtocol.ROUTE_MAX_PEERS) {
        break;
      }
      if (n > 0) {
        r.append(',');
      }
      r.append(p.name());
      n++;
    }
    return m.toBuilder().route(r.toString()).build();
  }

  /** Whether {@code route} names {@code p} (by its name or its pid) among the entries a receiver reads. */
  static boolean excluded(Peer p, @Nullable String route) {
    if (route == null) {
      return false;
    }
    String name = p.name();
    int from = 0;
    int len = Math.min(route.length(), DamProtocol.ROUTE_MAX_CHARS);
    int count = 0;
    while (from <= len && count < DamProtocol.ROUTE_MAX_PEERS) {
      int comma = route.indexOf(',', from);
      int end = comma < 0 || comma > len ? len : comma;
      if (route.regionMatches(from, name, 0, name.length()) && end - from == name.length()) {
        return true;
      }
      if (p.pid != null && route.regionMatches(from, p.pid, 0, p.pid.length()) && end - from == p.pid.length()) {
        return true;
      }
      if (comma < 0) {
        break;
      }
      from = comma + 1;
      count++;
    }
    return false;
  }
}
