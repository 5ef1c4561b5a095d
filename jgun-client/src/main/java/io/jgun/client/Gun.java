package io.jgun.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.graph.Lex;
import io.jgun.dam.ReconnectPolicy;
import io.jgun.graph.StateClock;
import io.jgun.engine.GraphEngine;
import io.jgun.engine.MemoryGraphEngine;
import io.jgun.netty.WebSocketDialer;
import io.jgun.sea.SeaFirewall;
import io.jgun.store.Store;
import io.jgun.engine.StoreGraphEngine;
import io.jgun.wire.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A GUN peer for Java programs: a local graph (in memory, or in a {@link Store}) kept in sync with
 * relays. Start here:
 *
 * <pre>{@code
 * try (Gun gun = Gun.builder().peers("ws://localhost:8765/gun").build()) {
 *   gun.get("user/alice").put(Map.of("name", "Alice")).join();
 *   Optional<Object> name = gun.get("user/alice").get("name").once().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. See the package documentation for the threading model.
 */
public final class Gun implements AutoCloseable {
  private final Engine engine;
  private final ClientLoop loop;
  private final @Nullable ExecutorService ownCallbacks;
  private final @Nullable WebSocketDialer dialer;
  private final Duration userTimeout;
  private @Nullable User user;
  private volatile boolean closed;

  private Gun(Engine engine, ClientLoop loop, @Nullable ExecutorService ownCallbacks, @Nullable WebSocketDialer dialer, Duration userTimeout) {
    this.engine = engine;
    this.userTimeout = userTimeout;
    this.loop = loop;
    this.ownCallbacks = ownCallbacks;
    this.dialer = dialer;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The chain at node {@code soul}. */
  public Chain get(String soul) {
    if (soul.isEmpty()) {
      throw new IllegalArgumentException("a soul is a non-empty string");
    }
    return new Chain(engine, Path.of(soul), null);
  }

  /**
   * The nodes whose souls match {@code souls} (Gun's {@code gun.get({'#': lex})}): {@link
   * Chain#once()} gives a map soul → node, {@link Chain#on} is called per node (with its soul) now
   * and whenever a matching node changes. Only a relay with storage answers such a GET
   * (docs/protocol.md §3.2, §8.13); without {@code %} a stock Gun.js relay returns the first match
   * only.
   */
  public Chain get(Lex souls) {
    return new Chain(engine, Path.souls(Objects.requireNonNull(souls, "souls")), null);
  }

  /**
   * The user system of this instance (docs/protocol.md §10.4): one {@link User} per {@link Gun}, as
   * in Gun.js ({@code gun.user()}); while it is logged in, writes into its souls are signed.
   */
  public synchronized User user() {
    if (user == null) {
      user = new User(this, engine, userTimeout, Duration.ofMillis(200));
    }
    return user;
  }

  /** Someone's user graph, {@code gun.get("~" + pub)} (Gun.js's {@code gun.user(pub)}); reads return plain values. */
  public Chain user(String pub) {
    if (pub.isEmpty() || pub.startsWith("~")) {
      throw new IllegalArgumentException("a pub is a non-empty key without the leading ~");
    }
    return get("~" + pub);
  }

  /** Package-private access for tests and the user system. */
  Engine engine() {
    return engine;
  }

  /**
   * Completes (on the callback executor) as soon as at least one peer is connected; never completes
   * for an instance without peers, and fails with {@link GunException.Closed} on close.
   */
  public CompletableFuture<Void> whenConnected() {
    CompletableFuture<Void> f = engine.future();
    engine.submit(() -> engine.whenConnected(f), f);
    return f;
  }

  /**
   * How many fields arriving from peers SEA's firewall refused and dropped so far (forged or
   * unsigned user data, bad certificates, wrong content hashes…); 0 with the firewall off.
   */
  public long refusedIncomingFields() {
    return engine.refusedIncoming();
  }

  /**
   * How many writes wait for a peer's acknowledgement (made while offline, not acknowledged yet, or
   * replayed from the outbox journal of an earlier run), counted from the moment {@code put} (or
   * {@code set}, {@code unset}) returns; 0 without peers. Once written, at most {@link
   * Builder#maxQueuedWrites}.
   */
  public int pendingWrites() {
    return engine.queued();
  }

  /** How many peers are connected right now. */
  public int connectedPeers() {
    return engine.connected();
  }

  /**
   * Closes the connections and stops the loop. Futures still waiting fail with {@link
   * GunException.Closed}; writes not yet acknowledged by a peer stay in the local store, and, with
   * an outbox journal ({@link Builder#outbox}), are sent by the next instance on the same journal.
   * A store given to the builder is not closed (its owner closes it).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      if (loop.execute(() -> {
        engine.shutdown();
        done.complete(null);
      })) {
        done.get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // the loop is gone or stuck: shut it down anyway
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    loop.shutdownNow();
    if (dialer != null) {
      dialer.close();
    }
    if (ownCallbacks != null) {
      ownCallbacks.shutdown();
    }
  }

  /** Configures a {@link Gun}; each setter validates its argument. */
  public static final class Builder {
    private final List<String> peers = new ArrayList<>();
    private @Nullable Store store;
    private @Nullable Executor callbacks;
    private @Nullable AckPolicy acks;
    private Duration ackTimeout = Duration.ofSeconds(9);
    private Duration readTimeout = Duration.ofSeconds(5);
    private Duration reconnectDelay = Duration.ofMillis(1998);
    private Duration reconnectMaxDelay = Duration.ofSeconds(30);
    private @Nullable RandomGenerator random;
    private StateClock.Millis wallClock = StateClock.Millis.SYSTEM;
    private Duration userTimeout = Duration.ofSeconds(30);
    private int maxQueuedWrites = 100_000;
    private @Nullable StateClock clock;
    private @Nullable ObjectMapper mapper;
    private boolean seaFirewall = true;
    private boolean seaStrictGunJs;
    private @Nullable DurableOutbox outbox;
    private long outboxCompactBytes = Journal.DEFAULT_COMPACT_BYTES;

    private Builder() {}

    /** Relays to connect to ({@code ws://…/gun}, {@code wss://…}); none: work offline only. */
    public Builder peers(String... urls) {
      return peers(List.of(urls));
    }

    public Builder peers(List<String> urls) {
      for (String u : urls) {
        if (u.isBlank()) {
          throw new IllegalArgumentException("empty peer URL");
        }
        peers.add(u);
      }
      return this;
    }

    /** Keep the local graph in memory (the default). */
    public Builder memory() {
      store = null;
      return this;
    }

    /**
     * Keep the local graph in {@code store} (e.g. a RocksStore from jgun-rocksdb), so offline writes
     * survive a restart. With peers, say too where the unacknowledged writes go ({@link
     * #outbox(DurableOutbox)}): {@link #build} refuses a store without that choice, since a durable
     * store with an outbox in memory would lose the sync of offline writes on restart.
     */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Where callbacks, listeners and future completions run. Tasks are handed to it one at a time in
     * order, so listeners never run concurrently. Default: one daemon thread of this instance.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbacks = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** When a put's future completes; default {@link AckPolicy#PEER} with peers, {@link AckPolicy#LOCAL} without. */
    public Builder acks(AckPolicy policy) {
      this.acks = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** How long a put waits for a peer's ack before failing with {@link GunException.Timeout} (Gun.js: 9 s). */
    public Builder ackTimeout(Duration d) {
      this.ackTimeout = positive(d, "ackTimeout");
      return this;
    }

    /** How long a read waits for the connected peers' answers before using what it has. */
    public Builder readTimeout(Duration d) {
      this.readTimeout = positive(d, "readTimeout");
      return this;
    }

    /**
     * The first pause before dialing a lost peer again (Gun.js's fixed pause: 1998 ms); each failed
     * dial doubles it, up to {@link #reconnectMaxDelay}, and each pause is jittered by a factor in
     * [0.5, 1.5) so that clients cut off together do not all come back at once. Retried forever.
     */
    public Builder reconnectDelay(Duration d) {
      this.reconnectDelay = positive(d, "reconnectDelay");
      return this;
    }

    /** The longest pause between two dials of a lost peer (default 30 s); not below {@link #reconnectDelay}. */
    public Builder reconnectMaxDelay(Duration d) {
      this.reconnectMaxDelay = positive(d, "reconnectMaxDelay");
      return this;
    }

    /**
     * The randomness of the reconnect jitter (tests inject a seeded one), used on the instance's loop
     * only; default a new {@link SplittableRandom} per instance.
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The wall clock, in epoch milliseconds, that the state clock reads (unless {@link
     * #clock(StateClock)} gives one) and the timer of writes from the future waits on (tests inject
     * one); default the system's.
     */
    public Builder wallClock(StateClock.Millis millis) {
      this.wallClock = Objects.requireNonNull(millis, "millis");
      return this;
    }

    /**
     * The longest a {@link User} operation (create, auth, recall, delete) takes before it fails
     * with {@link GunException.Timeout}; default 30 s (it includes the reads, the writes' acks, and
     * PBKDF2).
     */
    public Builder userTimeout(Duration d) {
      this.userTimeout = positive(d, "userTimeout");
      return this;
    }

    /**
     * How many unacknowledged writes are kept for resending (in memory and in the outbox journal);
     * beyond that the oldest is dropped: its future fails with {@link GunException.Timeout}, it
     * stays in the local store but is no longer sent (and no longer in the journal).
     */
    public Builder maxQueuedWrites(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxQueuedWrites must be at least 1");
      }
      this.maxQueuedWrites = n;
      return this;
    }

    /**
     * Where the writes no peer has acknowledged yet are kept: a journal file ({@link
     * DurableOutbox#file}, {@link DurableOutbox#in}), so that they are still sent after a restart,
     * a crash included, or memory only ({@link DurableOutbox#inMemory}). With a journal, each write
     * is recorded and forced to disk before it is sent and before its {@link AckPolicy#LOCAL}
     * acknowledgement; on start the journal's unacknowledged writes are put back into the local
     * graph and sent as soon as a peer connects. The file is compacted as writes are acknowledged
     * and holds at most {@link #maxQueuedWrites} writes; a lock file {@code file + ".lock"} keeps a
     * second instance out. Only used with peers. Default: in memory without a {@link #store}; with
     * a store (and peers) there is no default, {@link #build} asks for the choice.
     *
     * @see GunException.OutboxError
     */
    public Builder outbox(DurableOutbox outbox) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      return this;
    }

    /** {@link #outbox(DurableOutbox) outbox}{@code (DurableOutbox.file(file))}. */
    public Builder outbox(java.nio.file.Path file) {
      return outbox(DurableOutbox.file(file));
    }

    /** {@link #outbox(DurableOutbox) outbox}{@code (DurableOutbox.inMemory())}: lost on restart. */
    public Builder outboxInMemory() {
      return outbox(DurableOutbox.inMemory());
    }

    /** The size past which the outbox journal is compacted (tests use small ones). */
    Builder outboxCompactBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("outboxCompactBytes must be positive");
      }
      this.outboxCompactBytes = bytes;
      return this;
    }

    /** The state clock (tests inject one). */
    public Builder clock(StateClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The Jackson mapper for typed puts and reads; default ignores unknown properties. */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Whether this peer runs SEA's firewall (docs/protocol.md §10.6) itself, as every Gun.js peer
     * with SEA does: on each local write before it is stored or sent (a refusal fails the put with
     * {@link GunException.Forbidden}), and on each put or reply from a peer before it is merged
     * (refused fields are dropped, logged and counted in {@link Gun#refusedIncomingFields()}).
     * Default true. Turn it off only to talk to peers you trust completely, or to test relays.
     */
    public Builder seaFirewall(boolean on) {
      this.seaFirewall = on;
      return this;
    }

    /**
     * Accept exactly what Gun.js 0.2020.1241 accepts, including a value signed by the key named in
     * {@code "*"} without any certificate (gotcha G15, a hole jgun closes by default); see {@code
     * SeaFirewall.Builder#strictGunJs}. Default false.
     */
    public Builder seaStrictGunJs(boolean strict) {
      this.seaStrictGunJs = strict;
      return this;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }

    /**
     * Starts the instance: opens the outbox journal if any (replaying it), dials the peers in the
     * background and returns at once.
     *
     * @throws GunException.OutboxError when the outbox journal cannot be used (in use, damaged,
     *     unreadable); nothing is started then
     * @throws IllegalStateException with a {@link #store} and peers but no {@link
     *     #outbox(DurableOutbox)} choice
     */
    public Gun build() {
      if (outbox == null && store != null && !peers.isEmpty()) {
        throw new IllegalStateException(
            "a Gun with a store and peers needs an outbox choice for its unacknowledged writes: "
                + ".outbox(DurableOutbox.in(dir)) to keep them across restarts beside a durable store "
                + "(e.g. a RocksStore's directory()), or .outboxInMemory() to lose them on restart");
      }
      java.nio.file.Path journalFile = outbox == null ? null : outbox.journalFile();
      Journal journal = journalFile == null || peers.isEmpty() ? null : Journal.open(journalFile, maxQueuedWrites, outboxCompactBytes);
      ObjectMapper m = mapper != null ? mapper : new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
      AckPolicy policy = acks != null ? acks : peers.isEmpty() ? AckPolicy.LOCAL : AckPolicy.PEER;
      if (reconnectMaxDelay.compareTo(reconnectDelay) < 0) {
        throw new IllegalArgumentException("reconnectMaxDelay " + reconnectMaxDelay + " is below reconnectDelay " + reconnectDelay);
      }
      StateClock clock = this.clock != null ? this.clock : new StateClock(wallClock);
      ReconnectPolicy reconnect = ReconnectPolicy.exponential(reconnectDelay, reconnectMaxDelay, random != null ? random : new SplittableRandom());
      Engine.Settings s =
          new Engine.Settings(List.copyOf(peers), policy, ackTimeout, readTimeout, reconnect, maxQueuedWrites, clock, wallClock, Ids.secure(), m,
              seaFirewall ? SeaFirewall.builder().strictGunJs(seaStrictGunJs).build() : null, journal);
      ClientLoop loop = new ClientLoop();
      ExecutorService own = null;
      Executor cb = callbacks;
      if (cb == null) {
        own = Executors.newSingleThreadExecutor(r -> daemon(r, "jgun-client-callbacks"));
        cb = own;
      }
      GraphEngine graph = store != null ? new StoreGraphEngine(store, clock, 100_000) : new MemoryGraphEngine(clock, 100_000);
      WebSocketDialer dialer = peers.isEmpty() ? null : WebSocketDialer.builder().build();
      Engine engine = new Engine(s, loop, new SerialExecutor(cb), graph, dialer == null ? null : dialer::dial);
      engine.start();
      return new Gun(engine, loop, own, dialer, userTimeout);
    }

    private static Thread daemon(Runnable r, String name) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    }
  }
}
