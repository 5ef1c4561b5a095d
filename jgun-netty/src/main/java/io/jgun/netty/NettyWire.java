package io.jgun.netty;

import io.jgun.dam.DamProtocol;
import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded WebSocket connection as a {@link Wire}: the outbound queue and the close state.
 *
 * <p>Sending: {@link #send} encodes on the caller's thread (at most twice for many wires when a
 * fan-out sends them the same string: {@link ServerFrames#text(io.netty.buffer.ByteBufAllocator,
 * String)}), counts the bytes against the outbound cap, and puts the frame on a queue (made on
 * demand, under a short lock); one drain task per burst, run on the channel's event loop, takes the
 * whole queue, writes it and flushes once. A close is queued the same way, so frames sent before
 * {@code close()} go out before the close frame. The byte counter covers both our queue and
 * Netty's outbound buffer (it drops when a write completes), so it measures exactly the memory a
 * slow reader holds; past the cap the connection is dropped, never grown.
 *
 * <p>Everything not marked as thread-safe runs on the event loop, where the {@link WireHandler}
 * calls it.
 */
final class NettyWire implements Wire {

  private static final Logger log = LoggerFactory.getLogger(NettyWire.class);

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
  /** "host:port" of the other end, made when first asked for (logs, {@link #remote}). */
  private @Nullable String remote;

  /**
   * Server wires write frames they encode themselves ({@link ServerFrames}); client wires must mask
   * theirs and hand frame objects to Netty's encoder.
   */
  private final boolean rawFrames;
  /**
   * Frames and close requests waiting for the drain task: made on demand and handed whole to it, so
   * an idle connection holds no queue (guarded by {@code this}).
   */
  private @Nullable ArrayDeque<Object> queue;
  // Atomic fields through VarHandles rather than Atomic* objects: an idle connection's memory is
  // mostly small per-connection objects (docs/benchmarks.md, "idle connections").
  private volatile boolean drainScheduled;
  private volatile long pendingBytes;
  private volatile int state = OPEN;
  private volatile @Nullable Throwable cause;

  private static final VarHandle DRAIN_SCHEDULED;
  private static final VarHandle PENDING_BYTES;
  private static final VarHandle STATE;
  private static final VarHandle CAUSE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      DRAIN_SCHEDULED = l.findVarHandle(NettyWire.class, "drainScheduled", boolean.class);
      PENDING_BYTES = l.findVarHandle(NettyWire.class, "pendingBytes", long.class);
      STATE = l.findVarHandle(NettyWire.class, "state", int.class);
      CAUSE = l.findVarHandle(NettyWire.class, "cause", Throwable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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
    this.rawFrames = !outbound;
  }

  Channel channel() {
    return channel;
  }

  /** The wire of an upgraded (or upgrading) channel, for closing everything at shutdown. */
  static @Nullable NettyWire of(Channel channel) {
    WireHandler handler = channel.pipeline().get(WireHandler.class);
    return handler == null ? null : handler.wire();
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
    if (state != OPEN) {
      return false;
    }
    Object item;
    int bytes;
    if (rawFrames) {
      ByteBuf buf = ServerFrames.text(channel.alloc(), frame);
      item = buf;
      bytes = buf.readableBytes();
    } else {
      String text = Utf8Text.wellFormed(frame);
      bytes = ByteBufUtil.utf8Bytes(text);
      ByteBuf buf = channel.alloc().buffer(bytes);
      ByteBufUtil.reserveAndWriteUtf8(buf, text, bytes);
      item = new TextWebSocketFrame(buf);
    }
    long pending = addPending(bytes);
    if (pending > limits.outboundCapBytes()) {
      addPending(-bytes);
      ReferenceCountUtil.release(item);
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
    enqueue(item);
    scheduleDrain();
    return true;
  }

  @Override
  public void close() {
    closeWith(1000, "", true);
  }

  @Override
  public void pauseReading(boolean pause) {
    channel.config().setAutoRead(!pause); // Netty hands it to the event loop; unread frames stay in TCP's buffers
  }

  @Override
  public boolean isOpen() {
    return state == OPEN && channel.isActive();
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
    String r = remote;
    if (r == null) {
      r = describe(channel.remoteAddress()); // racy but idempotent
      remote = r;
    }
    return r;
  }

  @Override
  public String toString() {
    return outbound ? "ws to " + url + " (" + remote() + ")" : "ws from " + remote();
  }

  /** Closes with 1001 "going away" without waiting for the peer: the server or dialer shuts down. */
  void goAway() {
    closeWith(1001, "going away", false);
  }

  /** Bytes accepted by {@link #send} and not yet written to the socket (thread-safe). */
  @Override
  public long queuedBytes() {
    return pendingBytes;
  }

  /** Drops the connection at once, without a close frame (thread-safe). */
  void abort(Throwable why) {
    CAUSE.compareAndSet(this, null, why);
    beginClosing();
    channel.close();
  }

  private void closeWith(int status, String reason, boolean awaitPeer) {
    if (beginClosing()) {
      enqueue(new CloseRequest(status, reason, awaitPeer));
      scheduleDrain();
    }
  }

  private void enqueue(Object item) {
    synchronized (this) {
      ArrayDeque<Object> q = queue;
      if (q == null) {
        q = new ArrayDeque<>(4);
        queue = q;
      }
      q.add(item);
    }
  }

  /** Everything queued so far, or null; later items start a new queue. */
  private synchronized @Nullable ArrayDeque<Object> takeQueued() {
    ArrayDeque<Object> q = queue;
    queue = null;
    return q;
  }

  /** The bytes a queued frame counts against the outbound cap. */
  private static int sizeOf(Object item) {
    if (item instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    if (item instanceof TextWebSocketFrame frame) {
      return frame.content().readableBytes();
    }
    return 0;
  }

  private boolean beginClosing() {
    return STATE.compareAndSet(this, OPEN, CLOSING);
  }

  private void scheduleDrain() {
    if (DRAIN_SCHEDULED.compareAndSet(this, false, true)) {
      try {
        channel.eventLoop().execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The event loop is gone (shutdown): nothing will write these, free them here.
        drainScheduled = false;
        discardQueued();
      }
    }
  }

  // ---- event loop ----

  private long addPending(long bytes) {
    return (long) PENDING_BYTES.getAndAdd(this, bytes) + bytes;
  }

  private void drain() {
    drainScheduled = false;
    ArrayDeque<Object> q = takeQueued();
    if (q == null) {
      return;
    }
    boolean flush = false;
    for (Object item; (item = q.poll()) != null; ) {
      if (item instanceof CloseRequest close) {
        flush |= sendClose(close.status(), close.reason(), close.awaitPeer());
      } else {
        int bytes = sizeOf(item);
        if (closeSent || !channel.isActive()) {
          ReferenceCountUtil.release(item);
          addPending(-bytes);
        } else {
          channel.write(item).addListener(f -> addPending(-bytes));
          flush = true;
        }
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
    ChannelFuture written = channel.write(closeFrame(status, reason));
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

  /** A close frame ({@code status} -1: without a body) in the form this wire writes. */
  private Object closeFrame(int status, String reason) {
    if (rawFrames) {
      return ServerFrames.close(channel.alloc(), status, reason);
    }
    return status == -1 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, reason);
  }

  /** Answers a ping (event loop). */
  void pong(ByteBuf payload) {
    if (rawFrames) {
      channel.writeAndFlush(ServerFrames.pong(channel.alloc(), payload));
    } else {
      channel.writeAndFlush(new PongWebSocketFrame(payload.retain()));
    }
  }

  private void discardQueued() {
    ArrayDeque<Object> q = takeQueued();
    if (q == null) {
      return;
    }
    for (Object item; (item = q.poll()) != null; ) {
      addPending(-sizeOf(item));
      ReferenceCountUtil.release(item);
    }
  }

  /** The upgrade completed: the wire is usable. */
  void activate() {
    active = true;
    try {
      listener.opened(this);
    } catch (RuntimeException e) {
      log.error("{}: listener failed in opened()", this, e);
    }
  }

  /** A whole text message arrived. Dropped once we are closing. */
  void deliver(String text) {
    if (state != OPEN) {
      return;
    }
    try {
      listener.received(this, text);
    } catch (RuntimeException e) {
      log.error("{}: listener failed in received()", this, e);
    }
  }

  /** {@code bytes} read from the network, not yet decoded: the listener may pause our reading. */
  void read(int bytes) {
    if (state != OPEN) {
      return;
    }
    try {
      listener.read(this, bytes);
    } catch (RuntimeException e) {
      log.error("{}: listener failed in read()", this, e);
    }
  }

  /** An inbound message went over the limit: tell the listener, then close with 1009. */
  void oversized(long bytes) {
    if (state == OPEN) {
      try {
        listener.oversized(this, bytes);
      } catch (RuntimeException e) {
        log.error("{}: listener failed in oversized()", this, e);
      }
    }
    // The peer is still sending the rest of that message: closing the socket now, with its bytes
    // unread, would reset the connection, and a reset makes the peer's system drop what we sent
    // and it has not read yet, our "Message too big!" and close frame among them. So wait for its
    // close (or the close timeout) while the decoder discards what is left.
    fail(WireClosedException.MESSAGE_TOO_BIG, DamProtocol.TOO_BIG, true);
  }

  /**
   * A protocol failure: queue a close frame with {@code status} (after whatever the listener just
   * sent), then drop the connection once it is written.
   */
  void fail(int status, String reason) {
    fail(status, reason, false);
  }

  /** {@link #fail(int, String)}, waiting for the peer's close frame first when {@code awaitPeer}. */
  private void fail(int status, String reason, boolean awaitPeer) {
    CAUSE.compareAndSet(this, null, new WireClosedException(status, reason));
    if (beginClosing()) {
      enqueue(new CloseRequest(status, reason, awaitPeer));
      scheduleDrain();
    } else if (closeSent) {
      channel.close();
    }
  }

  /** The peer sent a close frame ({@code status} -1 when it carried none). */
  void peerClosed(int status, String reason) {
    closeReceived = true;
    if (status != -1 && status != 1000 && status != 1001) {
      CAUSE.compareAndSet(
          this, null, new WireClosedException(status, "closed by peer: " + reason));
    }
    beginClosing();
    if (closeSent) {
      channel.close();
      return;
    }
    // RFC 6455 §5.5.1: answer with a close frame (echoing the status), then end the connection.
    closeSent = true;
    channel.writeAndFlush(closeFrame(status, "")).addListener(ChannelFutureListener.CLOSE);
  }

  /** The channel is gone: tell the listener, exactly once, and free what is still queued. */
  void inactive() {
    if ((int) STATE.getAndSet(this, CLOSED) == CLOSED) {
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
    Throwable why = cause;
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
