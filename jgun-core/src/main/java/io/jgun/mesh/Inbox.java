package io.jgun.mesh;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events from other threads (a transport's, the store's) on their way to the mesh loop. They wait
 * in one FIFO queue and run many per loop task: under load a burst of frames and store
 * completions costs one executor hand-off (a lock and a thread wake-up), not one each, and the
 * replies they make leave in fewer, larger batches. One queue keeps the events of each connection
 * in order. Thread-safe: any thread adds; the drain runs on the loop.
 */
final class Inbox implements Executor {
  private static final Logger log = LoggerFactory.getLogger(Inbox.class);
  /** The most events run in one loop task, so that timers and batch flushes get their turn. */
  static final int BATCH = 256;

  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  /** True while a drain is queued on the loop (or running and not yet past its first poll). */
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Queues the drain on the loop, as mesh code (skipped once the mesh stopped). */
  private final Executor loop;

  Inbox(Executor loop) {
    this.loop = loop;
  }

  /** Adds an event; the loop runs it after those added before it. */
  @Override
  public void execute(Runnable event) {
    events.add(event);
    scheduleDrain();
  }

  /** Whether no event waits: a frame on the loop's own thread may then skip the queue. */
  boolean isEmpty() {
    return events.isEmpty();
  }

  /** Runs one event on the loop; a failure is logged and the loop (or the transport) goes on. */
  static void run(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.error("mesh event failed", e); // a bug if it happens
    }
  }

  private void scheduleDrain() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        loop.execute(this::drain);
      } catch (RejectedExecutionException e) {
        scheduled.set(false); // closed: the loop runs nothing more
      }
    }
  }

  private void drain() {
    scheduled.set(false);
    try {
      for (int i = 0; i < BATCH; i++) {
        Runnable event = events.poll();
        if (event == null) {
          return;
        }
        run(event);
      }
    } finally {
      // more waiting (a burst, or an Error thrown above): let timers and batch flushes run, then go on
      if (!events.isEmpty()) {
        scheduleDrain();
      }
    }
  }
}
