package io.jgun.mesh;

import io.jgun.dam.Dedup;
import io.jgun.wire.Get;
import io.jgun.wire.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Forwards a GET to other peers in turns, as Gun.js's AXE does (docs/protocol.md §5.1): {@code
 * getWaveSize} peers (3) per turn, a turn every {@code getWaveInterval} (25 ms); first the relays
 * we dialed and the peers subscribed to the soul, then everyone else. A GET we answered ourselves
 * gets one turn, among those first peers only (Gun.js counts its own answer as an ack whose hash
 * matches, and stops); otherwise the turns go on until a peer answers with data. With thousands of
 * subscribers to a popular soul, a GET costs a few forwards, not thousands. The forwarded GET keeps
 * its id and gains {@code ><} and our {@code ##}. Loop only.
 */
final class GetForwarding {
  private final int waveSize;
  private final long waveIntervalMillis;
  private final int forwardMax;
  private final Dedup<Peer> dedup;
  private final Subscriptions subs;
  /** The open peers in the order they came (the mesh's own set, read here). */
  private final Collection<Peer> peers;
  private final OutboundPeers outbound;
  private final Routes routes;
  private final Sender sender;
  private final MeshStats stats;
  private final LoopScheduler loop;
  private final BooleanSupplier closed;

  GetForwarding(
      int waveSize,
      long waveIntervalMillis,
      int forwardMax,
      Dedup<Peer> dedup,
      Subscriptions subs,
      Collection<Peer> peers,
      OutboundPeers outbound,
      Routes routes,
      Sender sender,
      MeshStats stats,
      LoopScheduler loop,
      BooleanSupplier closed) {
    this.waveSize = waveSize;
    this.waveIntervalMillis = waveIntervalMillis;
    this.forwardMax = forwardMax;
    this.dedup = dedup;
    this.subs = subs;
    this.peers = peers;
    this.outbound = outbound;
    this.routes = routes;
    this.sender = sender;
    this.stats = stats;
    this.loop = loop;
    this.closed = closed;
  }

  /**
   * Forwards the GET {@code m} from {@code asker}; {@code ourHash} is the {@code ##} of our own
   * answer, or null if we had nothing.
   */
  void forward(Peer asker, Message m, @Nullable Integer ourHash) {
    assert loop.inLoop() : "GetForwarding.forward off the mesh loop";
    String id = Objects.requireNonNull(m.id(), "the mesh gives every message it hears an id");
    Get get = Objects.requireNonNull(m.get(), "only GET messages are forwarded here");
    Message.Builder b = m.toBuilder();
    if (m.hash() == null && ourHash != null) {
      b.hash(ourHash);
      Dedup.Entry<Peer> e = dedup.peek(id);
      if (e != null) {
        e.hash(ourHash);
      }
    }
    Set<Peer> first = new LinkedHashSet<>(outbound.connected());
    String soul = get.exactSoul();
    if (soul != null) {
      first.addAll(subs.soul(soul));
      String key = get.exactKey();
      if (key != null) {
        first.addAll(subs.field(soul, key));
      }
    }
    new Turns(asker, id, m.route(), routes.withRoute(b.build()), first, ourHash != null).run();
  }

  /** The turns of one forwarded GET (Gun.js AXE's {@code GET.turn}). */
  private final class Turns implements Runnable {
    private final Peer asker;
    private final String id;
    private final @Nullable String route;
    private final Message out;
    /** The peers to ask first (subscribers and dialed relays); everyone else after them. */
    private final List<Peer> first;
    private final boolean weAnswered;
    private final Set<Peer> sent = new HashSet<>();
    private int budget = forwardMax;
    private int turns;

    Turns(Peer asker, String id, @Nullable String route, Message out, Set<Peer> first, boolean weAnswered) {
      this.asker = asker;
      this.id = id;
      this.route = route;
      this.out = out;
      this.first = new ArrayList<>(first);
      this.weAnswered = weAnswered;
    }

    @Override
    public void run() {
      Dedup.Entry<Peer> e = dedup.peek(id);
      if (closed.getAsBoolean() || e == null || e.answered() || (turns > 0 && weAnswered)) {
        return;
      }
      // A turn asks the subscribers (Gun.js's route) while any is left, and everyone else only
      // after them: a GET we answered, whose one turn this is, never goes past the subscribers.
      int n = ask(first, 0);
      if (n == 0 && !weAnswered) {
        n = ask(peers, 0);
      }
      turns++;
      // A GET nobody here could answer gets a second turn even when the first found nobody to ask,
      // as Gun.js's does (its first turn goes to the route, which may hold only the asker): a peer
      // that connects meanwhile, a browser reconnecting with data the asker lacks, is asked then.
      boolean again = n > 0 || (!weAnswered && turns < 2);
      if (again && budget > 0) {
        loop.schedule(this, waveIntervalMillis);
      }
    }

    /** Sends the GET to peers of {@code candidates} not asked yet until this turn has its share. */
    private int ask(Iterable<Peer> candidates, int n) {
      for (Peer p : candidates) {
        if (n >= waveSize || budget == 0) {
          break;
        }
        if (p != asker && p.open && !sent.contains(p) && !Routes.excluded(p, route)) {
          sent.add(p);
          sender.send(p, out);
          stats.getsForwarded.increment();
          n++;
          budget--;
        }
      }
      return n;
    }
  }
}
