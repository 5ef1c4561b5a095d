package io.jgun.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The one thread that owns a client's state ({@value #THREAD_NAME}), and whether the client is
 * closed. Every component of the engine is confined to it: other threads hand it tasks through
 * {@link #submit}; methods that touch the state call {@link #checkInLoop()} first, so that a task
 * run on the wrong thread fails loudly instead of racing.
 */
final class ClientLoop {
  static final String THREAD_NAME = "jgun-client-loop";

  private final ScheduledExecutorService executor;
  /** The loop's thread (a new one if the executor had to replace it). */
  private volatile @Nullable Thread thread;
  /** Set on the loop by {@link #markClosed()}; read on the loop only. */
  private boolean closed;

  ClientLoop() {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  /** Throws unless the caller runs on the loop thread. */
  void checkInLoop() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("must run on " + THREAD_NAME + ", not on " + Thread.currentThread().getName());
    }
  }

  /** Whether {@link #markClosed()} ran; on the loop. */
  boolean closed() {
    return closed;
  }

  /** From now on, submitted tasks are dropped (or fail their future); on the loop. */
  void markClosed() {
    checkInLoop();
    closed = true;
  }

  /** Runs {@code task} on the loop, or fails {@code onClosed} when the client is closed. */
  void submit(Runnable task, CompletableFuture<?> onClosed) {
    try {
      executor.execute(
          () -> {
            if (closed) {
              onClosed.completeExceptionally(new GunException.Closed());
            } else {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      onClosed.completeExceptionally(new GunException.Closed());
    }
  }

  /** Runs {@code task} on the loop unless the client is closed. */
  void submit(Runnable task) {
    try {
      executor.execute(
          () -> {
            if (!closed) {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Runs {@code task} on the loop even when closed (to release what it holds); false when the loop is gone. */
  boolean execute(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** Runs {@code task} on the loop after {@code delayMillis}; nothing once the loop is shut down. */
  void schedule(Runnable task, long delayMillis) {
    try {
      executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // shut down
    }
  }

  /** Stops the thread; tasks not run yet are dropped. */
  void shutdownNow() {
    executor.shutdownNow();
  }
}
