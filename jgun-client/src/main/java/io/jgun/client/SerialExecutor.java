package io.jgun.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs tasks one at a time, in submission order, on a delegate executor (which may have many threads). */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
  private final Executor delegate;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;
  /** The thread running this executor's tasks right now, if any. */
  private volatile @Nullable Thread runner;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // the executor was shut down (the Gun is closed): nobody is left to call back
      synchronized (tasks) {
        tasks.clear();
        running = false;
      }
      log.debug("callback dropped: the callback executor is shut down");
    }
  }

  /** Whether the calling thread is running one of this executor's tasks (so no later task can run until it returns). */
  boolean inTask() {
    return runner == Thread.currentThread();
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      // set per task, while this drain alone may run tasks (a later drain, maybe on another
      // thread of the delegate, starts only once this one cleared running)
      runner = Thread.currentThread();
      try {
        next.run();
      } catch (RuntimeException e) {
        log.warn("a jgun callback threw", e);
      } finally {
        runner = null;
      }
    }
  }
}
