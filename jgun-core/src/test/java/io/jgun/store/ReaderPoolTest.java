package io.jgun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReaderPoolTest {

  @Test
  void aReadRunsOnAReaderThreadAndItsFailureFailsTheFuture() throws Exception {
    ReaderPool pool = new ReaderPool("test store", "test-read", 1, 4);
    try {
      assertThat(pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS)).isEqualTo("test-read-1");
      CompletableFuture<Object> failing = pool.submit(() -> {
        throw new StoreException("disk on fire");
      });
      assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
    } finally {
      pool.close();
    }
  }

  @Test
  void pastItsQueueAReadFailsAtOnceAsOverloaded() throws Exception {
    ReaderPool pool = new ReaderPool("test store", "test-read", 1, 2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    try {
      List<CompletableFuture<Boolean>> held = new ArrayList<>();
      held.add(pool.submit(() -> {
        running.countDown();
        return await(release);
      }));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      held.add(pool.submit(() -> await(release))); // queued
      held.add(pool.submit(() -> await(release))); // queued: the queue is full now
      CompletableFuture<Boolean> over = pool.submit(() -> true);
      assertThat(over).isCompletedExceptionally();
      assertThatThrownBy(over::join).hasCauseInstanceOf(StoreOverloadedException.class)
          .hasMessageContaining("test store: read queue full (2 reads pending)");
      release.countDown();
      for (CompletableFuture<Boolean> f : held) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      release.countDown();
      pool.close();
    }
  }

  @Test
  void closingLetsQueuedReadsFinishAndRefusesNewOnes() throws Exception {
    ReaderPool pool = new ReaderPool("test store", "test-read", 1, 4);
    CompletableFuture<Integer> queued = pool.submit(() -> 42);
    assertThat(pool.close(Duration.ofSeconds(10))).isTrue();
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(42);
    assertThatThrownBy(pool.submit(() -> 1)::join).hasCauseInstanceOf(StoreClosedException.class)
        .hasMessageContaining("test store is closed");
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
