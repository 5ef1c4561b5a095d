package io.jgun.relay;

import io.jgun.postgres.PgUrl;
import io.jgun.store.Durability;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A relay's settings, as given on the command line. {@code data} null: in memory only. {@code
 * sea}: how the SEA firewall checks incoming writes. {@code cacheBytes}: the memory for cached data
 * (RocksDB's block cache and the field cache). {@code ioThreads}: the threads serving connections,
 * 0 for the default ({@link #ioThreadCount}). {@code staticDir}: a folder served over HTTP beside
 * {@code /gun} ({@code --static}), or null. {@code postgres}: the database served instead of a
 * local store ({@code --postgres}), or null. {@code budget}: the memory budget ({@code
 * --max-memory}) the relay's queues and buffers are sized from, or null for the fixed defaults.
 */
record RelayConfig(
    String host,
    int port,
    @Nullable Path data,
    Durability durability,
    List<String> peers,
    @Nullable Path tlsCert,
    @Nullable Path tlsKey,
    int maxFrameBytes,
    int maxConnections,
    @Nullable String pid,
    SeaMode sea,
    long cacheBytes,
    int ioThreads,
    @Nullable Path staticDir,
    @Nullable Postgres postgres,
    @Nullable MemoryBudget budget) {

  /**
   * The PostgreSQL database a relay serves instead of a local store ({@code --postgres}), and the
   * schema in it that holds the graph: every relay of one graph names the same two.
   */
  record Postgres(PgUrl url, String schema) {
    Postgres {
      java.util.Objects.requireNonNull(url, "url");
      java.util.Objects.requireNonNull(schema, "schema");
    }
  }

  /** The default of {@code --cache-mb}. */
  static final int DEFAULT_CACHE_MB = 64;
  /** The largest frame when no memory budget sizes it (Gun.js allows 90 million characters). */
  static final int DEFAULT_MAX_FRAME_BYTES = 10 << 20;

  /** How incoming writes are checked (docs/protocol.md §10.6). */
  enum SeaMode {
    /** SEA's firewall, with gotcha G15 closed (the default). */
    VERIFY,
    /** SEA's firewall accepting exactly what Gun.js accepts, G15 included ({@code --sea-strict-gunjs}). */
    STRICT_GUNJS,
    /** No checks at all ({@code --sea-off}): anybody may overwrite user data. */
    OFF
  }

  /** Settings with the SEA firewall on (G15 closed) and the default cache. */
  RelayConfig(
      String host,
      int port,
      @Nullable Path data,
      Durability durability,
      List<String> peers,
      @Nullable Path tlsCert,
      @Nullable Path tlsKey,
      int maxFrameBytes,
      int maxConnections,
      @Nullable String pid) {
    this(host, port, data, durability, peers, tlsCert, tlsKey, maxFrameBytes, maxConnections, pid, SeaMode.VERIFY, (long) DEFAULT_CACHE_MB << 20, 0);
  }

  /** Settings serving no static folder, with a local store (or none), not PostgreSQL. */
  RelayConfig(
      String host,
      int port,
      @Nullable Path data,
      Durability durability,
      List<String> peers,
      @Nullable Path tlsCert,
      @Nullable Path tlsKey,
      int maxFrameBytes,
      int maxConnections,
      @Nullable String pid,
      SeaMode sea,
      long cacheBytes,
      int ioThreads) {
    this(host, port, data, durability, peers, tlsCert, tlsKey, maxFrameBytes, maxConnections, pid, sea, cacheBytes, ioThreads, null, null, null);
  }

  /** These settings serving {@code dir} beside {@code /gun}. */
  RelayConfig withStatic(@Nullable Path dir) {
    return new RelayConfig(host, port, data, durability, peers, tlsCert, tlsKey, maxFrameBytes, maxConnections, pid, sea, cacheBytes, ioThreads, dir, postgres, budget);
  }

  /** These settings with the relay's queues and buffers sized from {@code budget}. */
  RelayConfig withBudget(@Nullable MemoryBudget budget) {
    return new RelayConfig(host, port, data, durability, peers, tlsCert, tlsKey, maxFrameBytes, maxConnections, pid, sea, cacheBytes, ioThreads, staticDir, postgres, budget);
  }

  /** These settings serving {@code postgres} instead of a local store. */
  RelayConfig withPostgres(Postgres postgres) {
    return new RelayConfig(host, port, null, durability, peers, tlsCert, tlsKey, maxFrameBytes, maxConnections, pid, sea, cacheBytes, ioThreads, staticDir, postgres, budget);
  }

  RelayConfig {
    peers = List.copyOf(peers);
    java.util.Objects.requireNonNull(sea, "sea");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, was " + port);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (cacheBytes < (4L << 20)) {
      throw new IllegalArgumentException("--cache-mb must be at least 4, was " + (cacheBytes >> 20));
    }
    if (ioThreads < 0 || ioThreads > 1024) {
      throw new IllegalArgumentException("--io-threads must be 0..1024, was " + ioThreads);
    }
    if (postgres != null && data != null) {
      throw new IllegalArgumentException("--postgres excludes --data and --memory");
    }
  }

  /**
   * The I/O threads to run ({@code ioThreads}, or when 0: one on a machine of up to 2 cores, else
   * half the cores). The mesh loop is one of them.
   */
  int ioThreadCount() {
    if (ioThreads > 0) {
      return ioThreads;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return cores <= 2 ? 1 : cores / 2;
  }

  /** The part of the cache given to RocksDB's block cache (off-heap): three quarters. */
  long blockCacheBytes() {
    return cacheBytes - fieldCacheBytes();
  }

  /** The part of the cache given to the engine's field cache (on the heap): a quarter. */
  long fieldCacheBytes() {
    return cacheBytes / 4;
  }

  boolean tls() {
    return tlsCert != null;
  }
}
