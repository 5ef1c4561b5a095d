package io.jgun.netty;

import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded WebSocket connection as a {@link Wire}: the outbound queue and the close state.
 *
 * <p>Sending: {@link #send} encodes on the caller's thread, counts the bytes against the outbound
 * cap, and puts the frame on a lock-free queue; one drain task per burst, run on the channel's
 * event loop, writes everything queued and flushes once. A close is queued the same way, so frames
 * sent before {@code close()} go out before the close frame. The byte counter covers both our
 * queue and Netty's outbound buffer (it drops when a write completes), so it measures exactly the
 * memory a slow reader holds; past the cap the connection is dropped, never grown.
 *
 * <p>Everything not marked as thread-safe runs on the event loop, where the {@link WireHandler}
 * calls it.
 */
final class NettyWire implements Wire {

  private static final Logger log = LoggerFactory.getLogger(NettyWire.class);

  /** The wire of an upgraded channel, for closing everything at shutdown. */
  static final AttributeKey<NettyWire> KEY = AttributeKey.valueOf(NettyWire.class, "wire");

  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int CLOSED = 2;

  /** A close frame to send after the frames queued before it. */
  private record CloseRequest(int status, String reason, boolean awaitPeer) {}

  private final Channel channel;
  private final WireListener listener;
  private final WireLimits limits;
  private final boolean outbound;
  private final @Nullable String url;
  private final String remote;

  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicInteger state = new AtomicInteger(OPEN);
  private final AtomicReference<@Nullable Throwable> cause = new AtomicReference<>();
  private final Runnable drainTask = this::drain;

  // Confined to the event loop.
  private boolean active;
  private boolean closeSent;
  private boolean closeReceived;
  private @Nullable ScheduledFuture<?> forceClose;

  NettyWire(
      Channel channel,
      WireListener listener,
      WireLimits limits,
      boolean outbound,
      @Nullable String url) {
    this.channel = channel;
    this.listener = listener;
    this.limits = limits;
    this.outbound = outbound;
    this.url = url;
    this.remote = describe(channel.remoteAddress());
  }

  static String describe(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  // ---- Wire (thread-safe) ----

  @Override
  public boolean send(String frame) {
    if (state.get() != OPEN) {
      return false;
    }
    String text = Utf8Text.wellFormed(frame);
    int bytes = ByteBufUtil.utf8Bytes(text);
    long pending = pendingBytes.addAndGet(bytes);
    if (pending > limits.outboundCapBytes()) {
      pendingBytes.addAndGet(-bytes);
      if (beginClosing()) {
        log.warn(
            "{}: peer too slow: {} bytes queued plus {} would exceed the outbound cap of {};"
                + " dropping the connection",
            this,
            pending - bytes,
            bytes,
            limits.outboundCapBytes());
      }
      abort(
          new WireClosedException(
              WireClosedException.POLICY_VIOLATION,
              "outbound cap of " + limits.outboundCapBytes() + " bytes exceeded"));
      return false;
    }
    ByteBuf buf = channel.alloc().buffer(bytes);
    ByteBufUtil.reserveAndWriteUtf8(buf, text, bytes);
    queue.add(new TextWebSocketFrame(buf));
    scheduleDrain();
    return true;
  }

  @Override
  public void close() {
    closeWith(1000, "", true);
  }

  @Override
  public boolean isOpen() {
    return state.get() == OPEN && channel.isActive();
  }

  @Override
  public boolean outbound() {
    return outbound;
  }

  @Override
  public @Nullable String url() {
    return url;
  }

  @Override
  public String remote() {
    return remote;
  }

  @Override
  public String toString() {
    return outbound ? "ws to " + url + " (" + remote + ")" : "ws from " + remote;
  }

  /** Closes with 1001 "going away" without waiting for the peer: the server or dialer shuts down. */
  void goAway() {
    closeWith(1001, "going away", false);
  }

  /** Bytes accepted by {@link #send} and not yet written to the socket. */
  long pendingBytes() {
    return pendingBytes.get();
  }

  /** Drops the connection at once, without a close frame (thread-safe). */
  void abort(Throwable why) {
    cause.compareAndSet(null, why);
    beginClosing();
    channel.close();
  }

  private void closeWith(int status, String reason, boolean awaitPeer) {
    if (beginClosing()) {
      queue.add(new CloseRequest(status, reason, awaitPeer));
      scheduleDrain();
    }
  }

  private boolean beginClosing() {
    return state.compareAndSet(OPEN, CLOSING);
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        // The event loop is gone (shutdown): nothing will write these, free them here.
        drainScheduled.set(false);
        discardQueued();
      }
    }
  }

  // ---- event loop ----

  private void drain() {
    drainScheduled.set(false);
    boolean flush = false;
    for (Object item; (item = queue.poll()) != null; ) {
      if (item instanceof TextWebSocketFrame frame) {
        int bytes = frame.content().readableBytes();
        if (closeSent || !channel.isActive()) {
          frame.release();
          pendingBytes.addAndGet(-bytes);
        } else {
          channel.write(frame).addListener(f -> pendingBytes.addAndGet(-bytes));
          flush = true;
        }
      } else if (item instanceof CloseRequest close) {
        flush |= sendClose(close.status(), close.reason(), close.awaitPeer());
      }
    }
    if (flush) {
      channel.flush();
    }
  }

  /** Writes a close frame (unflushed); returns false if one was already sent. */
  private boolean sendClose(int status, String reason, boolean awaitPeer) {
    if (closeSent || !channel.isActive()) {
      return false;
    }
    closeSent = true;
    ChannelFuture written = channel.write(new CloseWebSocketFrame(status, reason));
    if (!awaitPeer || closeReceived) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
    // A peer that never answers, or never reads, must not hold the connection open.
    forceClose =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  channel.close();
                },
                limits.closeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    return true;
  }

  private void discardQueued() {
    for (Object item; (item = queue.poll()) != null; ) {
      if (item instanceof TextWebSocketFrame frame) {
        pendingBytes.addAndGet(-frame.content().readableBytes());
      }
      ReferenceCountUtil.release(item);
    }
  }

  /** The upgrade completed: the wire is usable. */
  void activate() {
    active = true;
    channel.attr(KEY).set(this);
    try {
      listener.opened(this);
    } catch (RuntimeException e) {
      log.error("{}: listener failed in opened()", this, e);
    }
  }

  /** A whole text message arrived. Dropped once we are closing. */
  void deliver(String text) {
    if (state.get() != OPEN) {
      return;
    }
    try {
      listener.received(this, text);
    } catch (RuntimeException e) {
      log.error("{}: listener failed in received()", this, e);
    }
  }

  /** An inbound message went over the limit: tell the listener, then close with 1009. */
  void oversized(long bytes) {
    if (state.get() == OPEN) {
      try {
        listener.oversized(this, bytes);
      } catch (RuntimeException e) {
        log.error("{}: listener failed in oversized()", this, e);
      }
    }
    fail(WireClosedException.MESSAGE_TOO_BIG, "Message too big");
  }

  /**
   * A protocol failure: queue a close frame with {@code status} (after whatever the listener just
   * sent), then drop the connection once it is written.
   */
  void fail(int status, String reason) {
    cause.compareAndSet(null, new WireClosedException(status, reason));
    if (beginClosing()) {
      queue.add(new CloseRequest(status, reason, false));
      scheduleDrain();
    } else if (closeSent) {
      channel.close();
    }
  }

  /** The peer sent a close frame ({@code status} -1 when it carried none). */
  void peerClosed(int status, String reason) {
    closeReceived = true;
    if (status != -1 && status != 1000 && status != 1001) {
      cause.compareAndSet(null, new WireClosedException(status, "closed by peer: " + reason));
    }
    beginClosing();
    if (closeSent) {
      channel.close();
      return;
    }
    // RFC 6455 §5.5.1: answer with a close frame (echoing the status), then end the connection.
    closeSent = true;
    CloseWebSocketFrame reply =
        status == -1 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
    channel.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
  }

  /** The channel is gone: tell the listener, exactly once, and free what is still queued. */
  void inactive() {
    if (state.getAndSet(CLOSED) == CLOSED) {
      return;
    }
    ScheduledFuture<?> timer = forceClose;
    if (timer != null) {
      timer.cancel(false);
    }
    discardQueued();
    if (!active) {
      return;
    }
    Throwable why = cause.get();
    if (why == null && !closeSent && !closeReceived) {
      why =
          new WireClosedException(
              WireClosedException.ABNORMAL, "connection dropped without a close frame");
    }
    log.debug("{}: closed ({})", this, why == null ? "orderly" : why.getMessage());
    try {
      listener.closed(this, why);
    } catch (RuntimeException e) {
      log.error("{}: listener failed in closed()", this, e);
    }
  }
}
