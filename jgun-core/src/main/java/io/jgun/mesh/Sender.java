package io.jgun.mesh;

import io.jgun.dam.DamProtocol;
import io.jgun.dam.Dedup;
import io.jgun.wire.Message;
import io.jgun.wire.MessageWriter;

/**
 * Sends messages to peers, batched per peer as Gun.js's {@code mesh.say} does (docs/protocol.md
 * §4.1): the first message after idle goes alone, the rest of this loop turn is collected into a
 * JSON array, flushed when the loop gets to it or when it would grow past {@code pack} characters.
 * Loop only.
 */
final class Sender {
  private final int pack;
  private final Dedup<Peer> dedup;
  private final MeshStats stats;
  private final LoopScheduler loop;

  Sender(int pack, Dedup<Peer> dedup, MeshStats stats, LoopScheduler loop) {
    this.pack = pack;
    this.dedup = dedup;
    this.stats = stats;
    this.loop = loop;
  }

  /** Sends at once, outside any batch (handshakes, errors). */
  void now(Peer p, Message m) {
    assert loop.inLoop() : "Sender.now off the mesh loop";
    if (m.id() != null && m.dam() == null) {
      dedup.track(m.id());
    }
    if (p.wire.send(MessageWriter.write(m))) {
      stats.framesOut.increment();
    }
  }

  /** Sends through the peer's batch; a message is not sent twice in a row to one peer. */
  void send(Peer p, Message m) {
    assert loop.inLoop() : "Sender.send off the mesh loop";
    if (!p.open || (m.id() != null && m.id().equals(p.last))) {
      return;
    }
    String text = MessageWriter.write(m);
    p.last = m.id();
    if (p.batch == null) {
      if (p.wire.send(text)) {
        stats.framesOut.increment();
      }
      p.batch = new StringBuilder(256).append('[');
      p.batchCount = 0;
      loop.schedule(() -> flush(p), 0);
      return;
    }
    if (p.batchCount > 0 && p.batch.length() + text.length() + 2 > pack) {
      flushBatch(p);
    }
    if (p.batchCount > 0) {
      p.batch.append(',');
    }
    p.batch.append(text);
    p.batchCount++;
  }

  /** Sends a whole frame to {@code p} after the messages already batched for it, keeping their order. */
  void frame(Peer p, String frame) {
    assert loop.inLoop() : "Sender.frame off the mesh loop";
    if (!p.open) {
      return;
    }
    flushBatch(p);
    if (p.wire.send(frame)) {
      stats.framesOut.increment();
    }
  }

  /** Sends the heartbeat to the peers that dialed us and have nothing batched (which would do as well). */
  void heartbeat(Iterable<Peer> peers) {
    for (Peer p : peers) {
      if (!p.outbound() && p.batch == null) {
        p.wire.send(DamProtocol.HEARTBEAT);
      }
    }
  }

  private void flush(Peer p) {
    flushBatch(p);
    p.batch = null;
  }

  private void flushBatch(Peer p) {
    StringBuilder b = p.batch;
    if (b == null || p.batchCount == 0) {
      return;
    }
    b.append(']');
    if (p.open && p.wire.send(b.toString())) {
      stats.framesOut.increment();
    }
    b.setLength(1);
    p.batchCount = 0;
  }
}
