package io.jgun.testing;

import io.jgun.graph.StateClock;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A mesh loop and its clock run by hand on the test's thread: nothing runs until the test calls
 * {@link #runDue} or {@link #advance}, which run the tasks due in time order (equal times in the
 * order they were queued), periodic ones again after their delay. Its {@link #nanoTime} is a
 * ticker and {@link #millis} a wall clock, both moved only by {@link #advance}. Not thread-safe:
 * tasks may be queued from other threads only while the test is not running the loop.
 *
 * <p>Serves the mesh's tests (a loop and its clocks), the client's, and the benchmarks (which
 * {@link #drain} it after each operation).
 */
public final class ManualLoop extends AbstractExecutorService implements ScheduledExecutorService {
  /** The wall clock's reading at nanoTime 0: any fixed epoch time. */
  private static final long EPOCH_MILLIS = 1_700_000_000_000L;

  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  /** What the one-shot tasks threw (a fuzz test requires none). */
  public final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long nanos;
  private long seq;
  private boolean shutdown;

  /** The ticker: nanoseconds since the loop was made. */
  public long nanoTime() {
    return nanos;
  }

  /** The wall clock, epoch milliseconds, moving with the ticker. */
  public long millis() {
    return EPOCH_MILLIS + TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** The wall clock as a state clock's time source. */
  public StateClock.Millis wallClock() {
    return this::millis;
  }

  /** Runs every task due now, including those the tasks queue for now; returns how many ran. */
  public synchronized int runDue() {
    int n = 0;
    Task<?> t;
    while ((t = queue.peek()) != null && t.at <= nanos) {
      queue.poll();
      t.runOnce();
      n++;
    }
    return n;
  }

  /** Moves the clock forward by {@code millis}, running each task when its time comes. */
  public synchronized void advance(long millis) {
    long to = nanos + TimeUnit.MILLISECONDS.toNanos(millis);
    runDue();
    Task<?> t;
    while ((t = queue.peek()) != null && t.at <= to) {
      nanos = Math.max(nanos, t.at);
      runDue();
    }
    nanos = to;
    runDue();
  }

  /**
   * Runs every task, moving the clock to each one's time, until only periodic tasks (or none) are
   * left; returns how many ran.
   */
  public synchronized int drain() {
    int n = runDue();
    Task<?> t;
    while ((t = nextOneShot()) != null) {
      nanos = Math.max(nanos, t.at);
      n += runDue();
    }
    return n;
  }

  private @Nullable Task<?> nextOneShot() {
    Task<?> next = null;
    for (Task<?> t : queue) {
      if (!t.isPeriodic() && !t.isCancelled() && (next == null || t.compareTo(next) < 0)) {
        next = t;
      }
    }
    return next;
  }

  /** Tasks queued and not run or cancelled (periodic ones count once). */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.isCancelled()).count();
  }

  private synchronized <V> Task<V> add(Task<V> t) {
    if (shutdown) {
      throw new RejectedExecutionException("loop shut down");
    }
    queue.add(t);
    return t;
  }

  @Override
  public synchronized void execute(Runnable command) {
    add(new Task<>(command, null, nanos, 0));
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, nanos + Math.max(0, unit.toNanos(delay)), 0));
  }

  @Override
  public synchronized <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, nanos + Math.max(0, unit.toNanos(delay))));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, nanos + unit.toNanos(initialDelay), unit.toNanos(delay)));
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  /** A queued task: due at {@code at} (ticker nanos), again every {@code period} if positive. */
  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private long at;
    private final long period;
    private final long order = seq++;

    Task(Callable<V> callable, long at) {
      super(callable);
      this.at = at;
      this.period = 0;
    }

    Task(Runnable runnable, @Nullable V result, long at, long period) {
      super(runnable, result);
      this.at = at;
      this.period = period;
    }

    void runOnce() {
      if (period > 0) {
        if (runAndReset() && !shutdown) {
          at = nanos + period;
          queue.add(this);
        }
      } else {
        run();
        if (!isCancelled()) {
          try {
            get();
          } catch (ExecutionException e) {
            failures.add(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      boolean done = super.cancel(mayInterrupt);
      synchronized (ManualLoop.this) {
        queue.remove(this);
      }
      return done;
    }

    @Override
    public boolean isPeriodic() {
      return period > 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> t = (Task<?>) o;
      int c = Long.compare(at, t.at);
      return c != 0 ? c : Long.compare(order, t.order);
    }
  }
}
