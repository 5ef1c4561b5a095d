package io.jgun.mesh;

/**
 * Runs mesh code later on the mesh loop: at the end of this turn (delay 0) or after a delay. The
 * mesh's implementation skips tasks once the mesh stopped, and never lets one re-enter mesh code
 * already running on the loop.
 */
interface LoopScheduler {
  /** Runs {@code task} on the loop, after the tasks queued now ({@code millis} 0) or after {@code millis}. */
  void schedule(Runnable task, long millis);

  /** Whether the caller is on the loop's thread: loop-only code asserts it. */
  default boolean inLoop() {
    return true;
  }
}
