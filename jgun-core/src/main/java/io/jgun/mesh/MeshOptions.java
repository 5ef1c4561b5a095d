package io.jgun.mesh;

import io.jgun.graph.StateClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The mesh's settings: immutable, with Gun.js's defaults where Gun.js has one and a bound
 * everywhere Gun.js has none. Build with {@link #builder()}.
 */
public final class MeshOptions {
  final @Nullable String pid;
  final List<String> peers;
  final int maxFrameChars;
  final int maxDepth;
  final int maxMessagesPerFrame;
  final int pack;
  final Duration heartbeat;
  final Duration dedupAge;
  final int dedupMax;
  final long pushConflateBytes;
  final int getWaveSize;
  final Duration getWaveInterval;
  final int getForwardMax;
  final int maxSubscriptionsPerPeer;
  final int maxPendingFramesPerPeer;
  final int maxReadsInFlight;
  final int maxParkedGetsPerPeer;
  final int maxDeferred;
  final Duration reconnectMin;
  final Duration reconnectMax;
  final int replyChunkFields;
  final @Nullable PutGuard putGuard;
  final @Nullable ReadGuard readGuard;
  final ClientLimits clientLimits;
  final StateClock.Millis clock;
  final RandomGenerator random;
  final LongSupplier ticker;

  private MeshOptions(Builder b) {
    pid = b.pid;
    peers = List.copyOf(b.peers);
    maxFrameChars = b.maxFrameChars;
    maxDepth = b.maxDepth;
    maxMessagesPerFrame = b.maxMessagesPerFrame;
    pack = b.pack;
    heartbeat = b.heartbeat;
    dedupAge = b.dedupAge;
    dedupMax = b.dedupMax;
    pushConflateBytes = b.pushConflateBytes;
    getWaveSize = b.getWaveSize;
    getWaveInterval = b.getWaveInterval;
    getForwardMax = b.getForwardMax;
    maxSubscriptionsPerPeer = b.maxSubscriptionsPerPeer;
    maxPendingFramesPerPeer = b.maxPendingFramesPerPeer;
    maxReadsInFlight = b.maxReadsInFlight;
    maxParkedGetsPerPeer = b.maxParkedGetsPerPeer;
    maxDeferred = b.maxDeferred;
    reconnectMin = b.reconnectMin;
    reconnectMax = b.reconnectMax;
    replyChunkFields = b.replyChunkFields;
    putGuard = b.putGuard;
    readGuard = b.readGuard;
    clientLimits = b.clientLimits;
    clock = b.clock;
    random = b.random;
    ticker = b.ticker;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The peers to dial at start. */
  public List<String> peers() {
    return peers;
  }

  /** The largest frame accepted, in characters. */
  public int maxFrameChars() {
    return maxFrameChars;
  }

  /**
   * The most future-state fields held until their time; more are refused. The mesh does not hold
   * them itself: whoever builds its graph engine passes this on.
   */
  public int maxDeferred() {
    return maxDeferred;
  }

  /** The check incoming writes pass before they are merged, or null for none. */
  public @Nullable PutGuard putGuard() {
    return putGuard;
  }

  /** The check incoming GETs pass before they are answered, or null for none. */
  public @Nullable ReadGuard readGuard() {
    return readGuard;
  }

  /** Collects options; {@link #build()} validates them all in one place. */
  public static final class Builder {
    private @Nullable String pid;
    private final List<String> peers = new ArrayList<>();
    private int maxFrameChars = 10 * 1024 * 1024;
    private int maxDepth = 64;
    private int maxMessagesPerFrame = 10_000;
    private int pack = 9_000;
    private Duration heartbeat = Duration.ofSeconds(20);
    private Duration dedupAge = Duration.ofMillis(9_000);
    private int dedupMax = 200_000;
    private long pushConflateBytes = 1024 * 1024;
    private int getWaveSize = 3;
    private Duration getWaveInterval = Duration.ofMillis(25);
    private int getForwardMax = 256;
    private int maxSubscriptionsPerPeer = 100_000;
    private int maxPendingFramesPerPeer = 10_000;
    private int maxReadsInFlight = 512;
    private int maxParkedGetsPerPeer = 256;
    private int maxDeferred = 100_000;
    private Duration reconnectMin = Duration.ofMillis(500);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private int replyChunkFields = 1_000;
    private @Nullable PutGuard putGuard;
    private @Nullable ReadGuard readGuard;
    private ClientLimits clientLimits = ClientLimits.NONE;
    private StateClock.Millis clock = StateClock.Millis.SYSTEM;
    // Each call asks for the calling thread's generator: ThreadLocalRandom.current() captured once
    // and used on another thread would draw from that thread's seed, never initialised there.
    private RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /** This peer's id in {@code dam:'?'} (default: 9 random characters, as Gun.js). */
    public Builder pid(@Nullable String v) {
      pid = v;
      return this;
    }

    /** A peer to dial at start and keep dialing (reconnect forever with backoff). */
    public Builder peer(String url) {
      peers.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    public Builder peers(List<String> urls) {
      urls.forEach(this::peer);
      return this;
    }

    /** Frames longer than this are answered with {@code dam:'!'} "Message too big!" and dropped. */
    public Builder maxFrameChars(int v) {
      maxFrameChars = v;
      return this;
    }

    public Builder maxDepth(int v) {
      maxDepth = v;
      return this;
    }

    public Builder maxMessagesPerFrame(int v) {
      maxMessagesPerFrame = v;
      return this;
    }

    /** Batch arrays are flushed before they grow past this many characters (Gun.js: 9,000). */
    public Builder pack(int v) {
      pack = v;
      return this;
    }

    /** How often {@code []} is sent to accepted connections (Gun.js: 20 s); zero disables. */
    public Builder heartbeat(Duration v) {
      heartbeat = v;
      return this;
    }

    /** How long a message id is remembered after it was last seen (Gun.js: 9 s). */
    public Builder dedupAge(Duration v) {
      dedupAge = v;
      return this;
    }

    /** The most message ids remembered at once; the oldest are forgotten first. */
    public Builder dedupMax(int v) {
      dedupMax = v;
      return this;
    }

    /**
     * A subscriber whose outbound queue holds more than this many bytes when pushes are due is sent
     * only the latest state of the fields that changed, once its queue drains below half of it
     * (backpressure). Below it, every accepted write is pushed. Default 1 MiB.
     */
    public Builder pushConflateBytes(long v) {
      pushConflateBytes = v;
      return this;
    }

    /** A forwarded GET goes to this many more peers per turn (Gun.js AXE: 3). */
    public Builder getWaveSize(int v) {
      getWaveSize = v;
      return this;
    }

    public Builder getWaveInterval(Duration v) {
      getWaveInterval = v;
      return this;
    }

    /** The most peers one GET is forwarded to. */
    public Builder getForwardMax(int v) {
      getForwardMax = v;
      return this;
    }

    /** The most souls and fields one peer may subscribe to (by GETs). */
    public Builder maxSubscriptionsPerPeer(int v) {
      maxSubscriptionsPerPeer = v;
      return this;
    }

    /**
     * The most GET reads under way in the graph engine at once (default 512; keep it below a
     * store's read queue, RocksStore's 1,024). Further GETs wait, in turn per peer.
     */
    public Builder maxReadsInFlight(int v) {
      maxReadsInFlight = v;
      return this;
    }

    /** A peer with this many GETs waiting is not read from until half of them started (default 256). */
    public Builder maxParkedGetsPerPeer(int v) {
      maxParkedGetsPerPeer = v;
      return this;
    }

    /** A peer with more received frames than this waiting to be processed is disconnected. */
    public Builder maxPendingFramesPerPeer(int v) {
      maxPendingFramesPerPeer = v;
      return this;
    }

    /** The most future-state fields held until their time; more are refused. */
    public Builder maxDeferred(int v) {
      maxDeferred = v;
      return this;
    }

    /** Reconnect backoff: first delay, doubling up to the maximum, with jitter. */
    public Builder reconnect(Duration min, Duration max) {
      reconnectMin = min;
      reconnectMax = max;
      return this;
    }

    /** Whole-node replies are split into messages of at most this many fields. */
    public Builder replyChunkFields(int v) {
      replyChunkFields = v;
      return this;
    }

    /** A check every incoming write must pass before it is merged (default: none). */
    public Builder putGuard(@Nullable PutGuard v) {
      putGuard = v;
      return this;
    }

    /**
     * What one client may send (default: {@link ClientLimits#NONE}; the relay sets {@link
     * ClientLimits#DEFAULTS}).
     */
    public Builder clientLimits(ClientLimits v) {
      clientLimits = Objects.requireNonNull(v, "clientLimits");
      return this;
    }

    /** A check every incoming GET must pass before it is answered (default: none). */
    public Builder readGuard(@Nullable ReadGuard v) {
      readGuard = v;
      return this;
    }

    /**
     * The wall clock deferred writes come due by: the graph engine's state clock's time source
     * (default the system's).
     */
    public Builder clock(StateClock.Millis v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /**
     * The randomness of the reconnect jitter (default {@link ThreadLocalRandom} of the mesh loop's
     * thread); a test passes a seeded one.
     */
    public Builder random(RandomGenerator v) {
      random = Objects.requireNonNull(v, "random");
      return this;
    }

    /**
     * A monotonic time source in nanoseconds (default {@link System#nanoTime}), for the dedup
     * window and the pacing of overload logs; a test passes a manual one.
     */
    public Builder ticker(LongSupplier nanos) {
      ticker = Objects.requireNonNull(nanos, "ticker");
      return this;
    }

    public MeshOptions build() {
      positive("maxFrameChars", maxFrameChars);
      positive("maxDepth", maxDepth);
      positive("maxMessagesPerFrame", maxMessagesPerFrame);
      positive("pack", pack);
      positive("dedupMax", dedupMax);
      positive("getWaveSize", getWaveSize);
      positive("getForwardMax", getForwardMax);
      positive("maxSubscriptionsPerPeer", maxSubscriptionsPerPeer);
      positive("maxPendingFramesPerPeer", maxPendingFramesPerPeer);
      positive("maxReadsInFlight", maxReadsInFlight);
      positive("maxParkedGetsPerPeer", maxParkedGetsPerPeer);
      positive("maxDeferred", maxDeferred);
      positive("replyChunkFields", replyChunkFields);
      nonNegative("heartbeat", heartbeat);
      nonNegative("dedupAge", dedupAge);
      if (pushConflateBytes <= 0) {
        throw new IllegalArgumentException("pushConflateBytes must be positive: " + pushConflateBytes);
      }
      nonNegative("getWaveInterval", getWaveInterval);
      nonNegative("reconnectMin", reconnectMin);
      if (reconnectMax.compareTo(reconnectMin) < 0) {
        throw new IllegalArgumentException("reconnect max " + reconnectMax + " is below min " + reconnectMin);
      }
      for (String url : peers) {
        if (!url.matches("(?i)(wss?|https?)://.+")) {
          throw new IllegalArgumentException("peer URL must start with ws://, wss://, http:// or https://: " + url);
        }
      }
      return new MeshOptions(this);
    }

    private static void positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + v);
      }
    }

    private static void nonNegative(String name, Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
    }
  }
}
