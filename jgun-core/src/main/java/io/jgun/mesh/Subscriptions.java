package io.jgun.mesh;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which peers asked for which souls and fields: a GET subscribes its sender (Gun.js AXE), and
 * accepted changes are pushed only to subscribers (docs/protocol.md §5.1). Confined to the mesh
 * loop.
 */
final class Subscriptions {
  private static final char SEP = '\u0000';
  private final Map<String, Set<Peer>> byKey = new HashMap<>();

  /** Subscribes {@code peer} to a whole soul (key null) or one field; false if over its cap. */
  boolean subscribe(Peer peer, String soul, @Nullable String key, int cap) {
    String k = key == null ? soul : soul + SEP + key;
    if (peer.subscriptions().contains(k)) {
      return true;
    }
    if (peer.subscriptions().size() >= cap) {
      return false;
    }
    peer.addSubscription(k);
    byKey.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(peer);
    return true;
  }

  /** The peers subscribed to the whole soul. */
  Set<Peer> soul(String soul) {
    Set<Peer> s = byKey.get(soul);
    return s == null ? Set.of() : s;
  }

  /** The peers subscribed to one field of the soul (not counting whole-soul subscribers). */
  Set<Peer> field(String soul, String key) {
    Set<Peer> s = byKey.get(soul + SEP + key);
    return s == null ? Set.of() : s;
  }

  /** Every soul somebody is subscribed to (wholly or to a field). */
  Set<String> souls() {
    Set<String> out = new LinkedHashSet<>();
    for (String k : byKey.keySet()) {
      int i = k.indexOf(SEP);
      out.add(i < 0 ? k : k.substring(0, i));
    }
    return out;
  }

  /** Forgets every subscription of a peer that left. */
  void remove(Peer peer) {
    for (String k : peer.subscriptions()) {
      Set<Peer> s = byKey.get(k);
      if (s != null) {
        s.remove(peer);
        if (s.isEmpty()) {
          byKey.remove(k);
        }
      }
    }
    peer.clearSubscriptions();
  }

  int size() {
    return byKey.size();
  }
}
