package io.jgun.store;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The reader threads of a store whose reads block (on disk, on a database): a fixed number of
 * threads with a bounded queue, on which the store runs its {@code …Now} reads to answer the
 * asynchronous ones ({@link Store#node} and the like). A read that finds the queue full fails at
 * once with {@link StoreOverloadedException}, so a burst of GETs costs memory up to the bound and
 * no more; one submitted after {@link #close} fails with {@link StoreClosedException}.
 */
public final class ReaderPool implements AutoCloseable {
  private final String store;
  private final int maxPending;
  private final ThreadPoolExecutor threads;

  /**
   * @param store the store's name, for error messages
   * @param threadName the threads' name (numbered)
   * @param threads how many reads run at once
   * @param maxPending how many reads may wait
   */
  public ReaderPool(String store, String threadName, int threads, int maxPending) {
    this.store = store;
    this.maxPending = maxPending;
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(maxPending), r -> {
          Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Runs {@code read} on a reader thread; its exception, if it throws, fails the future. */
  public <T> CompletableFuture<T> submit(Supplier<T> read) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          f.complete(read.get());
        } catch (RuntimeException e) {
          f.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(threads.isShutdown()
          ? new StoreClosedException(store + " is closed")
          : new StoreOverloadedException(store + ": read queue full (" + maxPending + " reads pending)"));
    }
    return f;
  }

  /**
   * Takes no more reads and waits up to {@code wait} for those queued or running; returns whether
   * they all finished.
   *
   * @throws InterruptedException if interrupted while waiting (the pool is shut down all the same)
   */
  public boolean close(Duration wait) throws InterruptedException {
    threads.shutdown();
    return threads.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes no more reads; those queued or running finish on their own. */
  @Override
  public void close() {
    threads.shutdown();
  }
}
