package io.jgun.rocksdb;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.store.Durability;
import io.jgun.store.LexBounds;
import io.jgun.store.Limit;
import io.jgun.store.Page;
import io.jgun.store.ReaderPool;
import io.jgun.store.PageBuilder;
import io.jgun.store.Store;
import io.jgun.store.StoreClosedException;
import io.jgun.store.StoreException;
import io.jgun.store.StoreOverloadedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link Store} on RocksDB.
 *
 * <h2>Layout</h2>
 *
 * One record per field: key {@code enc(soul) 0x00 enc(key)} ({@link KeyCodec}: bytes that sort as
 * JavaScript strings do), value {@code (state, value)} ({@link FieldCodec}, format version 1), in
 * the default column family; the column family {@code jgun-meta} holds {@code format = 1}. A node is
 * a contiguous key range, so node reads, key ranges and soul ranges are iterator scans.
 *
 * <h2>Writes: one writer, group commit</h2>
 *
 * Puts go into a queue bounded by {@link Builder#maxPendingFields}: past it a put fails at once with
 * {@link StoreOverloadedException}. One writer thread owns the read-modify-write: it takes every
 * put queued (waiting up to {@link Builder#linger} for more, up to {@link Builder#maxBatchFields}
 * fields), reads the stored fields they touch, decides each incoming field with HAM against the
 * stored one or against the one an earlier put of the same batch wrote, and writes the accepted
 * fields of the whole batch in one atomic {@code WriteBatch}, with the {@link Durability}: {@code
 * SYNC} fsyncs the write-ahead log before any future of the batch completes. Many concurrent
 * writers so share one fsync. A failed batch write fails every put of the batch and applies none.
 *
 * <h2>Reads</h2>
 *
 * The {@code …Now} reads run on the caller's thread against the database (a block-cache hit is a
 * few microseconds; a miss is a disk read); the asynchronous ones on a small pool of reader threads
 * with a bounded queue. Scans use RocksDB's implicit iterator snapshot, so a node is read whole from
 * one point in time.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #builder(Path)} … {@link Builder#open()} opens or creates the directory; a locked, corrupt
 * or foreign directory fails with a {@link StoreException} naming the path and the problem ({@code
 * paranoid_checks} is on). {@link #close()} writes the queued puts, flushes the memtable and
 * releases everything.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>callers (the mesh loop, any thread): {@link #put} hands the put to the {@link Writer}, which
 *       owns the write queue; the {@code …Now} reads run on the caller's thread;
 *   <li>{@code jgun-rocks-writer <dir>}: the writer, the only thread that writes;
 *   <li>{@code jgun-rocks-read <dir>-N}: the asynchronous reads, from a bounded queue;
 *   <li>RocksDB's own background threads (flush, compaction).
 * </ul>
 *
 * The store's life is one {@link State}, OPEN then CLOSED. Every read of the database holds {@link
 * #reading} shared, and {@link #close} takes it exclusively to move the state: so no read is in
 * progress when the database closes, and none starts after. Futures complete on the writer or a
 * reader thread.
 *
 * <p>(Over 500 lines because it holds the {@link Store} contract's eight reads over RocksDB's
 * iterators with their bounds, the life cycle, the options RocksDB needs tuned and the builder;
 * writing is {@link Writer}'s.)
 */
public final class RocksStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(RocksStore.class);

  static final String META_FAMILY = "jgun-meta";
  static final byte[] FORMAT_KEY = "format".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 1;
  /** Write-ahead log files kept for reuse once obsolete (RocksDB's recycle_log_file_num). */
  static final int WAL_RECYCLE_FILES = 2;

  /** Called by the writer before each batch write, with the batch's 1-based number (test hook). */
  @FunctionalInterface
  interface Hook {
    void beforeWrite(long batch) throws Exception;
  }

  private final Path dir;
  private final Builder options;
  private final RocksDB db;
  private final ColumnFamilyHandle data;
  private final ColumnFamilyHandle meta;
  private final List<AutoCloseable> resources; // closed in order after the database
  private final WriteOptions writeOptions;
  private final Writer writer;
  private final ReaderPool readers;

  /** A store's life: open, then closed for good. */
  private enum State {
    OPEN,
    CLOSED
  }

  /** Moved only by {@link #close}, under {@link #reading} held exclusively; read anywhere. */
  private volatile State state = State.OPEN;

  /** Held shared by each database read, exclusively by close: the database never closes under a read. */
  private final ReentrantReadWriteLock reading = new ReentrantReadWriteLock();

  private RocksStore(
      Path dir,
      Builder options,
      RocksDB db,
      ColumnFamilyHandle data,
      ColumnFamilyHandle meta,
      List<AutoCloseable> resources) {
    this.dir = dir;
    this.options = options;
    this.db = db;
    this.data = data;
    this.meta = meta;
    this.resources = resources;
    this.writeOptions = new WriteOptions();
    switch (options.durability) {
      case SYNC:
        writeOptions.setSync(true);
        break;
      case WAL:
        writeOptions.setSync(false);
        break;
      case NONE:
        writeOptions.setDisableWAL(true);
        break;
    }
    this.readers = new ReaderPool("store at " + dir, "jgun-rocks-read " + dir.getFileName(),
        options.readThreads, options.maxPendingReads);
    this.writer = new Writer(
        dir, db, data, writeOptions, options.hook, options.linger.toNanos(), options.maxBatchFields, options.maxPendingFields);
  }

  private static final Pattern ROCKSDB_FILE =
      Pattern.compile("MANIFEST-\\d+|OPTIONS-\\d+|\\d+\\.(sst|log|blob)|IDENTITY|LOCK|LOG(\\.old\\.\\d+)?");

  /**
   * Refuses a data directory that RocksDB would open wrongly: a directory that is not empty but has
   * no RocksDB {@code CURRENT} file. If it holds RocksDB files, {@code CURRENT} was lost and RocksDB
   * would start a new, empty database over the data (rewriting {@code CURRENT} on each attempt);
   * otherwise it is another program's directory, which a store must not be written into. A missing
   * or empty directory is fine (a new store is created); anything else is left to {@link
   * RocksStore}, which names the problem (not a directory, locked, corrupt, not a jgun store).
   *
   * @throws StoreException naming the path and the problem
   */
  private static void checkDataDir(Path dir) {
    Path path = dir.toAbsolutePath();
    if (!Files.isDirectory(path) || Files.exists(path.resolve("CURRENT"))) {
      return;
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> entries = Files.list(path)) {
      entries.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : ""))
          .filter(n -> !n.equals("lost+found/"))
          .sorted()
          .forEach(names::add);
    } catch (IOException e) {
      throw new StoreException("cannot open store at " + path + ": cannot list the directory: " + e, e);
    }
    if (names.isEmpty()) {
      return;
    }
    String some = String.join(", ", names.subList(0, Math.min(names.size(), 5))) + (names.size() > 5 ? ", ..." : "");
    if (names.stream().anyMatch(n -> ROCKSDB_FILE.matcher(n).matches())) {
      throw new StoreException("cannot open store at " + path + ": the database is damaged: it holds RocksDB files ("
          + some + ") but no CURRENT file; not opening it, as RocksDB would start an empty store over the data"
          + " (restore CURRENT: one line naming the newest MANIFEST file)");
    }
    throw new StoreException("cannot open store at " + path + ": the directory is not empty and holds no jgun store ("
        + names.size() + (names.size() == 1 ? " entry: " : " entries: ") + some
        + "); not writing a store among another program's files (give an empty or new directory)");
  }

  /** Options for a store in {@code dir} (created if missing). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** The directory of this store. */
  public Path directory() {
    return dir;
  }

  /** The durability of this store's writes. */
  public Durability durability() {
    return options.durability;
  }

  /** How many batches the writer has written (each one {@code WriteBatch}, one fsync under SYNC). */
  public long batchesWritten() {
    return writer.batches();
  }

  /** How many puts the writer has completed. */
  public long putsWritten() {
    return writer.puts();
  }

  /** How many fields are queued, not yet written. */
  public long pendingFields() {
    return writer.pendingFields();
  }

  // ---- writes

  @Override
  public CompletableFuture<Graph> put(Graph fields) {
    Objects.requireNonNull(fields, "fields");
    int n = fields.fieldCount();
    if (n == 0) {
      return state == State.CLOSED ? closedFuture() : CompletableFuture.completedFuture(Graph.empty());
    }
    return writer.submit(fields, n);
  }

  private <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(new StoreClosedException("store at " + dir + " is closed"));
  }

  // ---- reads

  @Override
  public Node nodeNow(String soul) {
    Objects.requireNonNull(soul, "soul");
    return read(() -> {
      byte[] prefix = KeyCodec.soulPrefix(soul);
      PageBuilder page = new PageBuilder(Limit.fields(Integer.MAX_VALUE));
      page.startNode(soul);
      try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(data, ro)) {
        for (it.seek(prefix); it.isValid(); it.next()) {
          byte[] k = it.key();
          if (!KeyCodec.startsWith(k, prefix)) {
            break;
          }
          page.offerField(key(k, prefix.length), field(k, it.value()));
        }
        check(it);
      }
      Node n = page.build().graph().node(soul);
      return n == null ? Node.empty(soul) : n;
    });
  }

  @Override
  public @Nullable Field fieldNow(String soul, String key) {
    Objects.requireNonNull(soul, "soul");
    Objects.requireNonNull(key, "key");
    return read(() -> {
      byte[] k = KeyCodec.fieldKey(soul, key);
      byte[] v;
      try {
        v = db.get(data, k);
      } catch (RocksDBException e) {
        throw StoreErrors.failure(dir, "read", e);
      }
      return v == null ? null : field(k, v);
    });
  }

  @Override
  public Page keysNow(String soul, Lex key, Limit limit) {
    Objects.requireNonNull(soul, "soul");
    Objects.requireNonNull(limit, "limit");
    LexBounds b = LexBounds.of(key);
    return read(() -> {
      if (b == null) {
        return Page.EMPTY;
      }
      byte[] prefix = KeyCodec.soulPrefix(soul);
      byte[] lower = b.lower() == null ? prefix : KeyCodec.concat(prefix, b.lower());
      byte[] upper = upperExclusive(prefix, b); // null: to the end of the node
      byte[] end = KeyCodec.plus(KeyCodec.encode(soul), (byte) 0x01);
      if (upper == null) {
        upper = end;
      }
      PageBuilder page = new PageBuilder(limit);
      page.startNode(soul);
      try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(data, ro)) {
        if (key.reverse()) {
          it.seekForPrev(upper);
          if (it.isValid() && Arrays.equals(it.key(), upper)) {
            it.prev();
          }
        } else {
          it.seek(lower);
        }
        for (; it.isValid(); step(it, key.reverse())) {
          byte[] k = it.key();
          if (Arrays.compareUnsigned(k, lower) < 0 || Arrays.compareUnsigned(k, upper) >= 0) {
            break;
          }
          String name = key(k, prefix.length);
          if (key.matches(name) && !page.offerKey(name, field(k, it.value()))) {
            break;
          }
        }
        check(it);
      }
      return page.build();
    });
  }

  @Override
  public Page soulsNow(Lex soul, Limit limit) {
    Objects.requireNonNull(limit, "limit");
    LexBounds b = LexBounds.of(soul);
    return read(() -> {
      if (b == null) {
        return Page.EMPTY;
      }
      byte[] lower = b.lower() == null ? new byte[0] : KeyCodec.encode(b.lower());
      byte[] upper = upperExclusive(new byte[0], b); // null: unbounded
      PageBuilder page = new PageBuilder(limit);
      try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(data, ro)) {
        if (soul.reverse()) {
          if (upper == null) {
            it.seekToLast();
          } else {
            it.seekForPrev(upper);
          }
        } else {
          it.seek(lower);
        }
        scan:
        while (it.isValid()) {
          byte[] k = it.key();
          int end = KeyCodec.soulEnd(k);
          if (end < 0) {
            throw StoreErrors.corrupt(dir, k, "no separator in key");
          }
          String s = decode(k, 0, end);
          byte[] encoded = Arrays.copyOf(k, end);
          if (soul.reverse() ? b.below(s) : b.above(s)) {
            break;
          }
          if (!soul.matches(s) || b.below(s) || b.above(s)) {
            skipSoul(it, encoded, soul.reverse());
            continue;
          }
          if (!page.startNode(s)) {
            break;
          }
          byte[] prefix = KeyCodec.plus(encoded, KeyCodec.SEPARATOR);
          if (soul.reverse()) {
            it.seek(prefix); // read the node forwards, as every read returns fields in key order
          }
          for (; it.isValid(); it.next()) {
            byte[] fk = it.key();
            if (!KeyCodec.startsWith(fk, prefix)) {
              break;
            }
            if (!page.offerField(key(fk, prefix.length), field(fk, it.value()))) {
              break scan;
            }
          }
          check(it);
          if (soul.reverse()) {
            it.seekForPrev(encoded);
          }
        }
        check(it);
      }
      return page.build();
    });
  }

  /** Moves past every field of the soul {@code encoded}. */
  private static void skipSoul(RocksIterator it, byte[] encoded, boolean reverse) {
    if (reverse) {
      it.seekForPrev(encoded); // no key equals enc(soul) alone: lands on an earlier soul
    } else {
      it.seek(KeyCodec.plus(encoded, (byte) 0x01));
    }
  }

  /**
   * The exclusive upper bound, after {@code prefix}, of the strings of {@code b}: {@code enc(u) 01}
   * for an inclusive {@code u} (above {@code u} and its keys, below {@code u + anything}), {@code
   * enc(u)} for an exclusive one; null when unbounded.
   */
  private static byte @Nullable [] upperExclusive(byte[] prefix, LexBounds b) {
    String u = b.upper();
    if (u == null) {
      return null;
    }
    return b.upperInclusive() ? KeyCodec.concat(prefix, u, (byte) 0x01) : KeyCodec.concat(prefix, u);
  }

  private static void step(RocksIterator it, boolean reverse) {
    if (reverse) {
      it.prev();
    } else {
      it.next();
    }
  }

  private void check(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw StoreErrors.failure(dir, "read", e);
    }
  }

  private String key(byte[] k, int from) {
    return decode(k, from, k.length);
  }

  private String decode(byte[] k, int from, int to) {
    try {
      return KeyCodec.decode(k, from, to);
    } catch (IllegalArgumentException e) {
      throw StoreErrors.corrupt(dir, k, e.getMessage());
    }
  }

  private Field field(byte[] k, byte[] v) {
    return StoreErrors.field(dir, k, v);
  }

  private <T> T read(Supplier<T> r) {
    reading.readLock().lock();
    try {
      if (state == State.CLOSED) {
        throw new StoreClosedException("store at " + dir + " is closed");
      }
      return r.get();
    } finally {
      reading.readLock().unlock();
    }
  }

  @Override
  public CompletableFuture<Node> node(String soul) {
    return async(() -> nodeNow(soul));
  }

  @Override
  public CompletableFuture<@Nullable Field> field(String soul, String key) {
    return async(() -> fieldNow(soul, key));
  }

  @Override
  public CompletableFuture<Page> keys(String soul, Lex key, Limit limit) {
    return async(() -> keysNow(soul, key, limit));
  }

  @Override
  public CompletableFuture<Page> souls(Lex soul, Limit limit) {
    return async(() -> soulsNow(soul, limit));
  }

  private <T> CompletableFuture<T> async(Supplier<T> read) {
    if (state == State.CLOSED) {
      return closedFuture();
    }
    return readers.submit(read);
  }

  // ---- lifecycle

  @Override
  public void close() {
    reading.writeLock().lock(); // waits for reads in progress; no read starts after
    try {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    } finally {
      reading.writeLock().unlock();
    }
    writer.close(); // writes every put it took; refuses the rest
    boolean interrupted = Thread.interrupted(); // kept for the end: the steps below still wait
    try {
      if (!readers.close(Duration.ofSeconds(30))) {
        log.warn("store at {}: reads still running after 30 s; closing anyway", dir);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo, data); // under Durability.NONE the memtable is all there is
    } catch (RocksDBException e) {
      log.error("store at {}: flush on close failed: {}", dir, StoreErrors.describe(e));
    }
    data.close();
    meta.close();
    try {
      db.closeE();
    } catch (RocksDBException e) {
      log.error("store at {}: close failed: {}", dir, StoreErrors.describe(e));
    }
    writeOptions.close();
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("store at {}: releasing {} failed", dir, r, e);
      }
    }
    log.info("store at {} closed", dir);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Options of a {@link RocksStore}; {@link #open()} validates them and opens the store. */
  public static final class Builder {
    private final Path dir;
    private Durability durability = Durability.SYNC;
    private Duration linger = Duration.ZERO;
    private int maxBatchFields = 8_192;
    private int maxPendingFields = 262_144;
    private long blockCacheBytes = 32L << 20;
    private long writeBufferBytes = 16L << 20;
    private int readThreads = 2;
    private int maxPendingReads = 1_024;
    private Hook hook = b -> {};

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** When a put's future completes: {@link Durability#SYNC} (default) after fsync. */
    public Builder durability(Durability d) {
      this.durability = Objects.requireNonNull(d, "durability");
      return this;
    }

    /**
     * How long the writer waits for more puts after taking the first of a batch (default 0: it
     * writes what is queued at once; puts arriving during a write form the next batch, which is
     * already group commit under load).
     */
    public Builder linger(Duration linger) {
      if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("linger must be between 0 and 1 s: " + linger);
      }
      this.linger = linger;
      return this;
    }

    /** The most fields one batch write holds (default 8192). */
    public Builder maxBatchFields(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxBatchFields must be >= 1: " + n);
      }
      this.maxBatchFields = n;
      return this;
    }

    /** The most fields queued and not yet written; past it puts fail fast (default 262144). */
    public Builder maxPendingFields(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxPendingFields must be >= 1: " + n);
      }
      this.maxPendingFields = n;
      return this;
    }

    /** The block cache, off-heap (default 32 MiB). */
    public Builder blockCacheBytes(long n) {
      if (n < (1 << 20)) {
        throw new IllegalArgumentException("blockCacheBytes must be >= 1 MiB: " + n);
      }
      this.blockCacheBytes = n;
      return this;
    }

    /** The memtable size before a flush, off-heap; at most two exist (default 16 MiB). */
    public Builder writeBufferBytes(long n) {
      if (n < (1 << 20)) {
        throw new IllegalArgumentException("writeBufferBytes must be >= 1 MiB: " + n);
      }
      this.writeBufferBytes = n;
      return this;
    }

    /** Threads for asynchronous reads (default 2). */
    public Builder readThreads(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("readThreads must be between 1 and 64: " + n);
      }
      this.readThreads = n;
      return this;
    }

    /** Asynchronous reads queued at most; past it they fail fast (default 1024). */
    public Builder maxPendingReads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxPendingReads must be >= 1: " + n);
      }
      this.maxPendingReads = n;
      return this;
    }

    Builder hook(Hook hook) {
      this.hook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Opens the store, creating the directory and the database if missing.
     *
     * @throws StoreException if the directory cannot be created, is locked by another process (or
     *     another store in this JVM), is corrupt, or is not a jgun store of a known format
     */
    public RocksStore open() {
      RocksDB.loadLibrary();
      Path path = dir.toAbsolutePath();
      if (Files.exists(path) && !Files.isDirectory(path)) {
        throw new StoreException("cannot open store at " + path + ": not a directory");
      }
      // RocksDB would create an empty store over a store that lost its CURRENT file, or among
      // another program's files: refuse both before it gets the chance.
      checkDataDir(path);
      try {
        Files.createDirectories(path);
      } catch (IOException e) {
        throw new StoreException("cannot open store at " + path + ": cannot create the directory: " + e, e);
      }
      List<AutoCloseable> resources = new ArrayList<>();
      try {
        boolean exists = Files.exists(path.resolve("CURRENT"));
        LRUCache cache = add(resources, new LRUCache(blockCacheBytes));
        BloomFilter bloom = add(resources, new BloomFilter(10));
        BlockBasedTableConfig table = new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(bloom)
            .setBlockSize(16 * 1024)
            .setCacheIndexAndFilterBlocks(true)
            .setCacheIndexAndFilterBlocksWithHighPriority(true)
            .setPinL0FilterAndIndexBlocksInCache(true)
            // Partitioned: a large file's filter and index are many small blocks, only the top
            // level pinned, so a point read misses the cache by one small block, not a whole filter.
            .setIndexType(IndexType.kTwoLevelIndexSearch)
            .setPartitionFilters(true)
            .setMetadataBlockSize(4096)
            .setPinTopLevelIndexAndFilter(true)
            .setFormatVersion(5);
        ColumnFamilyOptions dataOptions = add(resources, new ColumnFamilyOptions()
            .setTableFormatConfig(table)
            .setWriteBufferSize(writeBufferBytes)
            .setMaxWriteBufferNumber(2)
            .setLevelCompactionDynamicLevelBytes(true)
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION));
        ColumnFamilyOptions metaOptions = add(resources, new ColumnFamilyOptions()
            .setWriteBufferSize(1 << 20));
        DBOptions db = add(resources, new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(!exists) // an existing store has them all
            .setParanoidChecks(true)
            .setMaxBackgroundJobs(2)
            .setMaxOpenFiles(512)
            .setKeepLogFileNum(4)
            .setMaxTotalWalSize(64L << 20)
            // A write-ahead log file the memtables no longer need is reused rather than deleted:
            // a synced write then overwrites blocks the file already has, and fdatasync need not
            // also write the inode for a new file size (measured, C=10 puts after a 40 s warm-up:
            // 13.5k -> 15.2k acks/s). Recovery tells a reused file's old records by the log number
            // each record carries; CrashTest kills a writer after files were reused. RocksDB
            // refuses writes without the log (durability NONE) while it reuses log files.
            .setRecycleLogFileNum(durability == Durability.NONE ? 0 : WAL_RECYCLE_FILES)
            .setBytesPerSync(1L << 20));
        List<ColumnFamilyDescriptor> families = List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, dataOptions),
            new ColumnFamilyDescriptor(META_FAMILY.getBytes(java.nio.charset.StandardCharsets.US_ASCII), metaOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB rocks;
        try {
          rocks = RocksDB.open(db, path.toString(), families, handles);
        } catch (RocksDBException e) {
          throw openFailure(path, e);
        }
        try {
          checkFormat(path, rocks, handles.get(1), exists);
        } catch (RuntimeException e) {
          handles.forEach(ColumnFamilyHandle::close);
          rocks.close();
          throw e;
        }
        log.info("store at {} open (RocksDB {}, durability {}, linger {}, format {})",
            path, RocksDB.rocksdbVersion(), durability, linger, FORMAT_VERSION);
        return new RocksStore(path, this, rocks, handles.get(0), handles.get(1), resources);
      } catch (RuntimeException e) {
        for (AutoCloseable r : resources) {
          try {
            r.close();
          } catch (Exception suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T r) {
      resources.add(r);
      return r;
    }

    private static void checkFormat(Path path, RocksDB rocks, ColumnFamilyHandle meta, boolean existed) {
      try {
        byte[] v = rocks.get(meta, FORMAT_KEY);
        if (v == null) {
          if (existed) {
            throw new StoreException("cannot open store at " + path + ": no format version recorded");
          }
          try (WriteOptions wo = new WriteOptions().setSync(true);
              FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            rocks.put(meta, wo, FORMAT_KEY, new byte[] {FORMAT_VERSION});
            // Flushed at once: a memtable holding it would keep the first log file alive (and
            // every later one, up to max_total_wal_size) so none could be reused.
            rocks.flush(fo, meta);
          }
          return;
        }
        if (v.length != 1 || v[0] != FORMAT_VERSION) {
          throw new StoreException("cannot open store at " + path + ": format version "
              + (v.length == 1 ? Integer.toString(v[0]) : "of " + v.length + " bytes")
              + ", this build reads version " + FORMAT_VERSION);
        }
      } catch (RocksDBException e) {
        throw openFailure(path, e);
      }
    }

    private static StoreException openFailure(Path path, RocksDBException e) {
      Status s = e.getStatus();
      String msg = String.valueOf(e.getMessage());
      String what;
      if (s != null && s.getCode() == Status.Code.Corruption) {
        what = "the database is corrupt";
      } else if (msg.contains("Column families not opened") || msg.contains("Column family not found")) {
        what = "a RocksDB database but not a jgun store (its column families are not jgun's)";
      } else if (msg.contains("lock")) {
        what = "the directory is locked (another process, or another store in this JVM, has it open)";
      } else {
        what = "RocksDB refused to open it";
      }
      return new StoreException("cannot open store at " + path + ": " + what + " (" + StoreErrors.describe(e) + ")", e);
    }
  }
}
