package io.jgun.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientLoopTest {
  @Test
  void loopOnlyCodeRefusesToRunOffTheLoop() throws Exception {
    ClientLoop loop = new ClientLoop();
    try {
      assertThatThrownBy(loop::checkInLoop)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(ClientLoop.THREAD_NAME)
          .hasMessageContaining(Thread.currentThread().getName());
      CompletableFuture<String> ran = new CompletableFuture<>();
      loop.submit(() -> {
        loop.checkInLoop();
        ran.complete(Thread.currentThread().getName());
      }, ran);
      assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo(ClientLoop.THREAD_NAME);
    } finally {
      loop.shutdownNow();
    }
  }

  @Test
  void aClosedLoopFailsTheTasksItIsGiven() throws Exception {
    ClientLoop loop = new ClientLoop();
    try {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      loop.submit(loop::markClosed, closed);
      CompletableFuture<Void> after = new CompletableFuture<>();
      loop.submit(() -> after.complete(null), after);
      assertThatThrownBy(() -> after.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(GunException.Closed.class);
    } finally {
      loop.shutdownNow();
    }
  }
}
