package io.jgun.client;

import io.jgun.dam.DamProtocol;
import io.jgun.dam.Dedup;
import io.jgun.graph.Graph;
import io.jgun.mesh.Wire;
import io.jgun.wire.Frame;
import io.jgun.wire.Get;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the peers send this client: frames parsed (and their signatures verified) on the I/O thread
 * that read them, then, on the loop, each message deduplicated, the handshake answered, puts
 * screened by SEA's checks and merged, replies routed to the write, read-back or GET they answer,
 * and GETs a relay passed on answered from the local graph.
 */
final class IncomingFrames {
  private static final Logger log = LoggerFactory.getLogger(IncomingFrames.class);
  /**
   * Ids remembered at most (within Gun.js's 9 s window): a client sees only its own relays'
   * traffic, a relay everyone's, hence fewer than {@link Dedup#DEFAULT_MAX_ENTRIES}.
   */
  private static final int MAX_SEEN = 10_000;

  private final ClientLoop loop;
  private final Connections connections;
  private final FirewallScreen firewall;
  private final LocalGraph local;
  private final Outbox outbox;
  private final Asks asks;
  private final Ids ids;
  private final String pid;
  private final MessageReader reader = new MessageReader();
  /** The message ids seen lately (Gun.js's dup): a message seen again is a duplicate, dropped. */
  private final Dedup<Void> seen = Dedup.builder().maxEntries(MAX_SEEN).build();

  IncomingFrames(ClientLoop loop, Connections connections, FirewallScreen firewall, LocalGraph local, Outbox outbox, Asks asks, Ids ids) {
    this.loop = loop;
    this.connections = connections;
    this.firewall = firewall;
    this.local = local;
    this.outbox = outbox;
    this.asks = asks;
    this.ids = ids;
    this.pid = ids.pid();
  }

  /** A text frame from {@code wire}; on the transport's I/O thread. */
  void received(Wire wire, String text) {
    Frame frame;
    try {
      frame = reader.read(text); // parsed here, on the transport's thread
    } catch (RuntimeException e) {
      log.debug("could not read a frame: {}", e.toString());
      return;
    }
    Frame prepared = firewall.prepare(frame);
    loop.submit(() -> onFrame(wire, prepared));
  }

  private void onFrame(Wire wire, Frame frame) {
    loop.checkInLoop();
    for (Message m : frame.messages()) {
      try {
        onMessage(wire, m);
      } catch (RuntimeException e) {
        log.warn("could not handle a message from {}", connections.url(wire), e);
      }
    }
  }

  private void onMessage(Wire wire, Message m) {
    String id = m.id();
    if (id != null) {
      if (seen.check(id) != null) {
        return;
      }
      seen.track(id);
    }
    if (m.dam() != null) {
      if (m.dam().equals(DamProtocol.DAM_HANDSHAKE) && m.ack() == null && id != null) {
        answerHandshake(wire, id);
      }
      return;
    }
    if (m.invalidPut() != null) {
      log.debug("ignored an invalid put from {}: {}", connections.url(wire), m.invalidPut());
      return;
    }
    Graph incoming = m.put() == null ? null : firewall.screen(m, connections.name(wire));
    if (incoming != null) {
      local.merge(incoming);
    }
    String ack = m.ack();
    if (ack != null) {
      outbox.onReply(ack, wire, m, incoming);
      asks.onReply(ack, wire, m);
      return;
    }
    if (m.get() != null && id != null) {
      answer(wire, id, m.get());
    }
  }

  /**
   * Answers the handshake of the peer we dialed (docs/protocol.md §4.2) with our pid. This is the
   * dialing side's half of the relay's handshake, and all a client needs: it accepts no
   * connections, so it never opens a handshake, and it keeps no twin connections to resolve.
   */
  private void answerHandshake(Wire wire, String id) {
    connections.send(wire, Message.builder().id(ids.messageId()).dam(DamProtocol.DAM_HANDSHAKE).pid(pid).ack(id).build());
  }

  /** Answers a GET a relay passed on to us, when we hold the data (silence otherwise). */
  private void answer(Wire wire, String id, Get get) {
    String soul = get.exactSoul();
    if (soul == null) {
      return;
    }
    Graph g = local.read(soul, get.key(), get.limit());
    if (g != null && !g.isEmpty()) {
      connections.send(wire, Message.builder().id(ids.messageId()).ack(id).put(g).build());
    }
  }
}
