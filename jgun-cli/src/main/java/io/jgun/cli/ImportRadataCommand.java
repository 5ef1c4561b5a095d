package io.jgun.cli;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.radata.Atom;
import io.jgun.radata.RadataReader;
import io.jgun.radata.RadataSummary;
import io.jgun.radata.RadataVisitor;
import io.jgun.rocksdb.RocksStore;
import io.jgun.store.Durability;
import io.jgun.store.Store;
import io.jgun.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jgun import-radata RADATA_DIR --data DIR}: reads a Gun.js radata folder into jgun's
 * store. Fields merge with HAM against what the store holds, so importing twice, or into a store
 * that has newer data, is safe.
 */
@Command(
    name = "import-radata",
    mixinStandardHelpOptions = true,
    description = {
      "Imports a Gun.js radata folder (RAD files, as npm gun writes them) into a jgun data directory.",
      "Exit codes: 0 imported (damage, if any, is listed), 1 failed, 2 usage, 3 damage found with --strict."
    })
final class ImportRadataCommand implements Callable<Integer> {
  private static final int BATCH_FIELDS = 1_000;
  private static final int IN_FLIGHT = 16;

  @Parameters(index = "0", paramLabel = "RADATA_DIR", description = "The Gun.js radata folder to read (it is only read).")
  Path radata;

  @Option(names = "--data", description = "The jgun data directory to import into (default: ${DEFAULT-VALUE}).", defaultValue = "jgun-data")
  Path data;

  @Option(names = "--salvage", description = "Also import entries Gun.js damaged when they can be recovered unambiguously (see the summary).")
  boolean salvage;

  @Option(names = "--strict", description = "Exit 3 if any damaged entry was found.")
  boolean strict;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    if (!Files.isDirectory(radata)) {
      err.println("jgun import-radata: " + radata + " is not a directory");
      return 1;
    }
    AtomicLong fields = new AtomicLong();
    RadataSummary summary;
    String quietedBefore = quiet ? null : quietStoreLog();
    try {
      try (Store store = RocksStore.builder(data).durability(Durability.SYNC).open()) {
        Importer importer = new Importer(store, err);
        summary = RadataReader.builder(radata).salvage(salvage).build().read(importer);
        importer.finish();
        fields.set(importer.written);
        if (!quiet) {
          err.print("\r" + " ".repeat(78) + "\r"); // before the store's close, which may log
        }
      }
    } catch (StoreException | IOException e) {
      // one line naming the path and the problem (the store's open errors name the data directory)
      err.println((quiet ? "" : "\n") + "jgun import-radata: " + e.getMessage());
      return 1;
    } finally {
      if (!quiet) {
        restoreStoreLog(quietedBefore);
      }
    }
    PrintStream out = System.out;
    out.println(summary.describe(20));
    out.printf("imported %,d fields into %s (fields already there with a newer state were kept)%n", fields.get(), data.toAbsolutePath());
    if (strict && !summary.clean()) {
      return 3;
    }
    return 0;
  }

  /** The slf4j-simple setting for the store's log level (the relay's binding reads it when a logger is made). */
  private static final String STORE_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.jgun.rocksdb";

  /**
   * Keeps the store's INFO lines (open, close) out of the progress bar, which redraws its line
   * with {@code \r}: a log line would land in the middle of it. Warnings still show. Returns the
   * setting it replaced.
   */
  private static @Nullable String quietStoreLog() {
    String before = System.getProperty(STORE_LOG_LEVEL);
    if (before == null) {
      System.setProperty(STORE_LOG_LEVEL, "warn");
    }
    return before;
  }

  private static void restoreStoreLog(@Nullable String before) {
    if (before == null) {
      System.clearProperty(STORE_LOG_LEVEL);
    }
  }

  /** Collects atoms into batches, writes them with a bounded number in flight. */
  private final class Importer implements RadataVisitor {
    private final Store store;
    private final PrintStream err;
    private final Deque<CompletableFuture<Graph>> inFlight = new ArrayDeque<>();
    private Map<String, Node.Builder> batch = new LinkedHashMap<>();
    private int batchFields;
    long written;
    private long lastDraw;

    Importer(Store store, PrintStream err) {
      this.store = store;
      this.err = err;
    }

    @Override
    public void atom(Atom atom) throws IOException {
      batch.computeIfAbsent(atom.soul(), Node::builder).put(atom.key(), atom.field());
      if (++batchFields >= BATCH_FIELDS) {
        flush();
      }
    }

    @Override
    public void progress(Progress p) {
      long now = System.nanoTime();
      if (quiet || now - lastDraw < 100_000_000L && p.done() < 1) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) Math.round(p.done() * width);
      err.printf("\r[%s%s] %3.0f%%  %,d files, %,d atoms  %s",
          "#".repeat(filled), ".".repeat(width - filled), p.done() * 100, p.filesDone(), p.atoms(),
          p.phase() == Phase.SCAN ? "(scanning)" : "");
    }

    private void flush() throws IOException {
      if (batchFields == 0) {
        return;
      }
      Map<String, Node> nodes = new LinkedHashMap<>();
      batch.forEach((soul, b) -> nodes.put(soul, b.build()));
      inFlight.add(store.put(new Graph(nodes)));
      written += batchFields;
      batch = new LinkedHashMap<>();
      batchFields = 0;
      while (inFlight.size() >= IN_FLIGHT) {
        await(inFlight.poll());
      }
    }

    void finish() throws IOException {
      flush();
      while (!inFlight.isEmpty()) {
        await(inFlight.poll());
      }
    }

    private void await(CompletableFuture<Graph> f) throws IOException {
      try {
        f.join();
      } catch (RuntimeException e) {
        throw new IOException("the store could not write: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
      }
    }
  }
}
