package io.jgun.mesh;

/**
 * Runs mesh code later on the mesh loop: at the end of this turn (delay 0) or after a delay. The
 * mesh's implementation skips tasks once the mesh stopped, and never lets one re-enter mesh code
 * already running on the loop.
 */
@FunctionalInterface
interface LoopScheduler {
  /** Runs {@code task} on the loop, after the tasks queued now ({@code millis} 0) or after {@code millis}. */
  void schedule(Runnable task, long millis);
}
