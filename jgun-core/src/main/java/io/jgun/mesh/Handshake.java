package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.dam.Dedup;
import io.jgun.graph.Lex;
import io.jgun.json.Json;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dam:'?'} handshake (docs/protocol.md §4.2) and what it reveals: a connection that
 * leads back to this relay (it dialed itself) and two connections with the same relay (both
 * dialed each other). The side that accepted a connection speaks first; the dialing side answers,
 * and re-asks the relay it dialed for every soul its own peers subscribed to. Loop only.
 */
final class Handshake {
  private static final Logger log = LoggerFactory.getLogger(Handshake.class);

  private final String pid;
  private final Ids ids;
  /** The open peers (the mesh's own set, read here). */
  private final Collection<Peer> peers;
  private final OutboundPeers outbound;
  private final Sender sender;
  private final Subscriptions subs;
  private final Dedup<Peer> dedup;

  Handshake(String pid, Ids ids, Collection<Peer> peers, OutboundPeers outbound, Sender sender, Subscriptions subs, Dedup<Peer> dedup) {
    this.pid = pid;
    this.ids = ids;
    this.peers = peers;
    this.outbound = outbound;
    this.sender = sender;
    this.subs = subs;
    this.dedup = dedup;
  }

  /** A connection opened and joined the peers: say hi if it dialed us, else wait for its hi. */
  void opened(Peer peer) {
    if (peer.outbound()) {
      // The dialing side speaks second (docs/protocol.md §4.2); a relay re-asks what its
      // subscribers want.
      outbound.opened(peer);
      resubscribe(peer);
    } else {
      sender.now(peer, Message.builder().id(ids.messageId()).dam(DamProtocol.DAM_HANDSHAKE).pid(pid).build());
    }
  }

  /**
   * A peer's {@code dam:'?'}: learn its pid, close the connection if it is redundant, and answer
   * a hi that is not itself an answer.
   */
  void received(Peer peer, Message m) {
    String theirs = m.pid();
    if (peer.pid == null && theirs != null) {
      peer.pid = theirs;
      if (theirs.equals(pid)) {
        log.info("connection {} leads back to this peer: closing it", peer);
        outbound.dormant(peer, pid); // never re-dial ourselves
        peer.redundant = true;
        peer.wire.close();
        return;
      }
      Peer twin = null;
      for (Peer p : peers) {
        if (p != peer && theirs.equals(p.pid)) {
          twin = p;
          break;
        }
      }
      if (twin != null && twin.outbound() != peer.outbound()) {
        // Two relays dialed each other: keep the connection dialed by the lower pid, on both sides.
        Peer dialedByUs = peer.outbound() ? peer : twin;
        Peer dialedByThem = peer.outbound() ? twin : peer;
        Peer drop = pid.compareTo(theirs) < 0 ? dialedByThem : dialedByUs;
        log.info("two connections with peer {}: keeping one, closing {}", LogText.clip(theirs), drop);
        drop.redundant = true;
        outbound.dormant(drop, theirs);
        drop.wire.close();
        if (drop == peer) {
          return;
        }
      }
    }
    if (m.ack() == null) {
      sender.now(peer, Message.builder().id(ids.messageId()).ack(m.id()).dam(DamProtocol.DAM_HANDSHAKE).pid(pid).build());
    }
  }

  /** Asks a relay we dialed for every soul our peers subscribed to, so its writes reach them. */
  private void resubscribe(Peer peer) {
    List<Message> asks = new ArrayList<>();
    for (String soul : subs.souls()) {
      Map<String, Json> get = new LinkedHashMap<>();
      get.put("#", Json.of(soul));
      asks.add(Message.builder().id(ids.messageId()).get(new Get(new Json.Obj(get), Lex.exact(soul), null, null, false)).build());
    }
    for (Message ask : asks) {
      dedup.track(Objects.requireNonNull(ask.id(), "built with an id above"));
      sender.send(peer, ask);
    }
  }
}
