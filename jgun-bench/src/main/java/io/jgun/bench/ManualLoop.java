package io.jgun.bench;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A mesh loop run by hand on the benchmark's thread: {@link #drain} runs every queued task, and
 * every scheduled one as if its delay had passed, until nothing is left. Periodic tasks are
 * refused (the benchmarks never start the heartbeat). Not thread-safe: single-threaded by design.
 */
final class ManualLoop extends AbstractExecutorService implements ScheduledExecutorService {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean shutdown;

  /** Runs tasks until none is left; returns how many ran. */
  int drain() {
    int n = 0;
    Runnable r;
    while ((r = tasks.poll()) != null) {
      r.run();
      n++;
    }
    return n;
  }

  @Override
  public void execute(Runnable command) {
    tasks.add(command);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task<Void> t = new Task<>(command, null);
    tasks.add(t);
    return t;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Task<V> t = new Task<>(callable);
    tasks.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic tasks are not run by ManualLoop");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic tasks are not run by ManualLoop");
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = List.copyOf(tasks);
    tasks.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && tasks.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  /** A scheduled task that is due at once. */
  private static final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    Task(Callable<V> callable) {
      super(callable);
    }

    Task(Runnable runnable, V result) {
      super(runnable, result);
    }

    @Override
    public boolean isPeriodic() {
      return false;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(0, o.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
