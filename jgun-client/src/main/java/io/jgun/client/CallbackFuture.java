package io.jgun.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The futures {@link Chain}, {@link User} and {@link Gun} return. They complete on the callback
 * executor, one task at a time, so a listener or a {@code thenAccept} stage that waited for one of
 * them ({@code join()}, {@code get()}) would hold up the very task that completes it: that fails at
 * once with an {@link IllegalStateException} instead of hanging until a timeout. Stages derived
 * from them ({@code thenApply}…) are of this kind too.
 */
final class CallbackFuture<T> extends CompletableFuture<T> {
  private final SerialExecutor callbacks;

  CallbackFuture(SerialExecutor callbacks) {
    this.callbacks = callbacks;
  }

  @Override
  public T join() {
    refuseToBlockCallbacks("join()");
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseToBlockCallbacks("get()");
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    refuseToBlockCallbacks("get(timeout)");
    return super.get(timeout, unit);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CallbackFuture<>(callbacks);
  }

  private void refuseToBlockCallbacks(String call) {
    if (!isDone() && callbacks.inTask()) {
      throw new IllegalStateException(
          call
              + " on a jgun future inside a jgun callback (a listener or a future's stage) would wait forever: the future"
              + " completes on this callback thread, which is busy running this callback. Chain the work instead"
              + " (thenCompose, thenAccept, whenComplete) or hand it to another executor.");
    }
  }
}
