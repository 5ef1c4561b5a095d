package io.jgun.mesh;

import io.jgun.graph.Graph;
import io.jgun.wire.Message;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts GET reads while the store has room: at most {@code maxReadsInFlight} under way. Further
 * GETs wait in their peer's queue and start in turn, one peer after another (round robin), so a
 * burst of reads queues instead of failing, and one busy peer does not starve the others. A peer
 * with {@code maxParkedGetsPerPeer} waiting is not read from until half of them started
 * (backpressure on that connection only). Loop only.
 */
final class ReadQueue {
  private static final Logger log = LoggerFactory.getLogger(ReadQueue.class);
  /** Overload is logged once per this interval, not once per GET. */
  private static final long OVERLOAD_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int maxReadsInFlight;
  private final int maxParkedGetsPerPeer;
  private final GetAnswers answers;
  private final MeshStats stats;
  /** Hands a read's completion, on the store's thread, back to the loop. */
  private final Executor toLoop;
  /** Nanoseconds, for the overload log only. */
  private final LongSupplier ticker;
  /** Peers with GETs waiting for the store, in turn. */
  private final ArrayDeque<Peer> waiters = new ArrayDeque<>();
  /** GET reads started and not completed. */
  private int readsInFlight;
  /** GETs waiting in peers' queues. */
  private int parked;
  /** When the last "GETs are waiting" warning was logged (by the ticker). */
  private long lastOverloadLog;

  ReadQueue(int maxReadsInFlight, int maxParkedGetsPerPeer, GetAnswers answers, MeshStats stats, Executor toLoop, LongSupplier ticker) {
    this.maxReadsInFlight = maxReadsInFlight;
    this.maxParkedGetsPerPeer = maxParkedGetsPerPeer;
    this.answers = answers;
    this.stats = stats;
    this.toLoop = toLoop;
    this.ticker = ticker;
    this.lastOverloadLog = ticker.getAsLong() - OVERLOAD_LOG_INTERVAL_NANOS;
  }

  /** A GET from {@code peer}: started now if the store has room and none of the peer's wait, else queued. */
  void get(Peer peer, Message m) {
    if (readsInFlight >= maxReadsInFlight || peer.parkedGets != null) {
      park(peer, m);
      startParked();
      return;
    }
    start(peer, m);
  }

  /** A peer closed: its waiting GETs are dropped (its turn is skipped). */
  void closed(Peer peer) {
    ArrayDeque<Message> waiting = peer.parkedGets;
    if (waiting != null) {
      parked -= waiting.size();
      peer.parkedGets = null;
    }
  }

  /** GET reads under way (for tests). */
  int readsInFlight() {
    return readsInFlight;
  }

  /** GETs waiting (for tests). */
  int parked() {
    return parked;
  }

  private void start(Peer peer, Message m) {
    CompletableFuture<@Nullable Graph> read = answers.read(peer, m);
    if (read.isDone()) {
      answers.answer(peer, m, read);
    } else {
      readsInFlight++;
      read.whenComplete(
          (g, e) ->
              toLoop.execute(
                  () -> {
                    readsInFlight--;
                    answers.answer(peer, m, read);
                    startParked();
                  }));
    }
  }

  private void park(Peer peer, Message m) {
    ArrayDeque<Message> waiting = peer.parkedGets;
    if (waiting == null) {
      waiting = new ArrayDeque<>();
      peer.parkedGets = waiting;
      waiters.addLast(peer);
    }
    waiting.addLast(m);
    parked++;
    stats.getsQueued.increment();
    if (waiting.size() >= maxParkedGetsPerPeer && !peer.readingPaused) {
      peer.readingPaused = true;
      peer.wire.pauseReading(true);
      stats.readingPaused.increment();
    }
    long now = ticker.getAsLong();
    if (now - lastOverloadLog > OVERLOAD_LOG_INTERVAL_NANOS) {
      lastOverloadLog = now;
      log.warn("GETs are waiting for the store: {} reads under way, {} GETs queued from {} peers", readsInFlight, parked, waiters.size());
    }
  }

  /** Starts waiting GETs while the store has room, one peer after another. */
  private void startParked() {
    while (readsInFlight < maxReadsInFlight && !waiters.isEmpty()) {
      Peer p = waiters.pollFirst();
      ArrayDeque<Message> waiting = p.parkedGets;
      if (waiting == null) {
        continue;
      }
      Message m = waiting.pollFirst();
      parked--;
      if (waiting.isEmpty()) {
        p.parkedGets = null;
      } else {
        waiters.addLast(p);
      }
      if (p.readingPaused && waiting.size() <= maxParkedGetsPerPeer / 2) {
        p.readingPaused = false;
        p.wire.pauseReading(false);
      }
      if (p.open) {
        start(p, m);
      }
    }
  }
}
