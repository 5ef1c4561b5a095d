package io.jgun.netty;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Netty I/O threads: a {@link WebSocketServer}'s own, or threads it shares with other work. A relay
 * runs its mesh loop on one of them ({@link #loop()}): the frames of the connections served by that
 * thread then reach the mesh, and the mesh's replies reach them, without a thread hand-off.
 *
 * <p>The owner closes it after the servers that use it ({@link WebSocketServer#close} leaves shared
 * threads running) and after the work it runs on {@link #loop()}.
 */
public final class IoThreads implements AutoCloseable {
  final Transport transport;
  final EventLoopGroup group;
  private final ScheduledExecutorService loop;

  private IoThreads(Transport transport, EventLoopGroup group) {
    this.transport = transport;
    this.group = group;
    this.loop = group.next();
  }

  /**
   * {@code threads} I/O threads (0: Netty's default, twice the cores) named {@code name}-N, with the
   * native epoll transport when it loads ({@code preferNative}), else the JDK's NIO. Daemon threads.
   */
  public static IoThreads create(String name, int threads, boolean preferNative) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must not be negative: " + threads);
    }
    return create(name, threads, preferNative, true);
  }

  /** As {@link #create(String, int, boolean)}, with daemon threads or not. */
  static IoThreads create(String name, int threads, boolean preferNative, boolean daemon) {
    Transport t = Transport.choose(preferNative);
    return new IoThreads(t, t.newGroup(name, threads, daemon));
  }

  /**
   * One of the threads, as an executor (always the same one): tasks run on it between its I/O
   * events. Shut it down by closing this, not through the executor.
   */
  public ScheduledExecutorService loop() {
    return loop;
  }

  /** Stops the threads (after the tasks already queued ran); waits up to 10 s. Idempotent. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
