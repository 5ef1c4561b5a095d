package io.jgun.relay;

import io.jgun.mesh.AckTimes;
import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Samples the relay's counters once a second (by {@link #tick}, called by the relay's status
 * thread) and keeps the last ten minutes, so the status page can show rates, percentiles and
 * charts without keeping anything per message. It holds counts only: no soul, key or value ever
 * reaches it. It adds to the recent errors the counters of refusals and failures that moved.
 */
final class StatusSampler {

  /** Samples kept: ten minutes at one a second, plus the one a window starts from. */
  static final int HISTORY = 601;
  /** Seconds over which the per-second rates are computed. */
  static final int RATE_WINDOW = 10;
  /** Seconds over which the ack percentiles are computed. */
  static final int ACK_WINDOW = 60;

  /** The counters at one moment. */
  record Sample(
      long atMillis,
      int connections,
      long framesIn,
      long framesOut,
      long framesRejected,
      long messagesIn,
      long putsAccepted,
      long putsInvalid,
      long putsForbidden,
      long putsNoop,
      long fieldsRefused,
      long getsFound,
      long getsNotFound,
      long getsFailed,
      long getsForwarded,
      long pushes,
      long writesFailed,
      long peersDropped,
      long connectionsOpened,
      long connectionsClosed,
      long cacheHits,
      long cacheMisses,
      long[] ackBuckets) {

    long putsRefused() {
      return putsInvalid + putsForbidden;
    }

    long gets() {
      return getsFound + getsNotFound + getsFailed;
    }
  }

  /** The relay's cache counters (hits, misses), read by the sampler. */
  interface CacheCounters {
    long hits();

    long misses();
  }

  private final Mesh mesh;
  private final Clock clock;
  private final @Nullable CacheCounters cache;
  private final @Nullable Path data;
  private final long startedMillis;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private final RecentErrors errors;
  private long storageBytes = -1;
  private long storageMeasuredMillis;

  StatusSampler(Mesh mesh, Clock clock, @Nullable CacheCounters cache, @Nullable Path data, RecentErrors errors) {
    this.mesh = mesh;
    this.errors = errors;
    this.clock = clock;
    this.cache = cache;
    this.data = data;
    this.startedMillis = clock.millis();
  }

  /** Takes a sample, notes the error counters that moved since the last, and every 10 s the store's size. */
  synchronized void tick() {
    Sample now = sample();
    Sample last = samples.peekLast();
    if (last != null) {
      noteIncrease(now.putsInvalid() - last.putsInvalid(), "puts rejected as invalid graphs");
      noteIncrease(now.putsForbidden() - last.putsForbidden(), "puts refused by the SEA firewall");
      noteIncrease(now.fieldsRefused() - last.fieldsRefused(), "future fields refused");
      noteIncrease(now.framesRejected() - last.framesRejected(), "frames rejected (not JSON, too big or too deep)");
      noteIncrease(now.getsFailed() - last.getsFailed(), "GETs the store failed to read");
      noteIncrease(now.writesFailed() - last.writesFailed(), "writes the store failed to make durable");
      noteIncrease(now.peersDropped() - last.peersDropped(), "peers dropped for flooding or reading too slowly");
    }
    samples.addLast(now);
    while (samples.size() > HISTORY) {
      samples.removeFirst();
    }
    if (data != null && (storageBytes < 0 || now.atMillis() - storageMeasuredMillis >= 10_000)) {
      storageMeasuredMillis = now.atMillis();
      storageBytes = directoryBytes(data);
    }
  }

  private void noteIncrease(long by, String what) {
    if (by > 0) {
      errors.add(by + " " + what);
    }
  }

  private Sample sample() {
    MeshStats s = mesh.stats();
    return new Sample(
        clock.millis(),
        mesh.connections(),
        s.framesIn.sum(),
        s.framesOut.sum(),
        s.framesRejected.sum(),
        s.messagesIn.sum(),
        s.putsAccepted.sum(),
        s.putsInvalid.sum(),
        s.putsForbidden.sum(),
        s.putsNoop.sum(),
        s.deferralsRefused.sum(),
        s.getsFound.sum(),
        s.getsNotFound.sum(),
        s.readsFailed.sum(),
        s.getsForwarded.sum(),
        s.pushes.sum(),
        s.writesFailed.sum(),
        s.peersDropped.sum(),
        s.connectionsOpened.sum(),
        s.connectionsClosed.sum(),
        cache == null ? 0 : cache.hits(),
        cache == null ? 0 : cache.misses(),
        s.ackTimes.snapshot());
  }

  /** The relay's status as JSON (the fields are documented in docs/operations.md). */
  synchronized String json(String version, List<PeerLinks.Link> peers) {
    Sample now = sample();
    Sample rateFrom = back(now, RATE_WINDOW);
    Sample ackFrom = back(now, ACK_WINDOW);
    long[] acks = minus(now.ackBuckets(), ackFrom == null ? null : ackFrom.ackBuckets());
    JsonWriter j = new JsonWriter();
    j.begin();
    j.field("version", version);
    j.field("pid", mesh.pid());
    j.field("startedAt", Instant.ofEpochMilli(startedMillis).toString());
    j.field("uptimeSeconds", (now.atMillis() - startedMillis) / 1000);
    j.field("connections", now.connections());
    j.key("peers").array();
    for (PeerLinks.Link l : peers) {
      j.begin();
      j.field("url", l.url());
      j.field("state", l.state().name().toLowerCase(Locale.ROOT));
      j.field("sinceSeconds", Math.max(0, (now.atMillis() - l.sinceMillis()) / 1000));
      j.field("connects", l.connects());
      j.field("lastError", l.lastError());
      j.end();
    }
    j.endArray();
    j.key("totals").begin();
    j.field("messagesIn", now.messagesIn());
    j.field("framesIn", now.framesIn());
    j.field("framesOut", now.framesOut());
    j.field("framesRejected", now.framesRejected());
    j.field("putsAccepted", now.putsAccepted());
    j.field("putsRefused", now.putsRefused());
    j.field("putsInvalid", now.putsInvalid());
    j.field("putsForbidden", now.putsForbidden());
    j.field("putsNoop", now.putsNoop());
    j.field("gets", now.gets());
    j.field("getsFound", now.getsFound());
    j.field("getsNotFound", now.getsNotFound());
    j.field("getsFailed", now.getsFailed());
    j.field("getsForwarded", now.getsForwarded());
    j.field("pushes", now.pushes());
    j.field("writesFailed", now.writesFailed());
    j.field("peersDropped", now.peersDropped());
    j.field("connectionsOpened", now.connectionsOpened());
    j.field("connectionsClosed", now.connectionsClosed());
    j.end();
    j.key("perSecond").begin();
    j.field("windowSeconds", RATE_WINDOW);
    j.field("messagesIn", rate(now, rateFrom, Sample::messagesIn));
    j.field("framesOut", rate(now, rateFrom, Sample::framesOut));
    j.field("putsAccepted", rate(now, rateFrom, Sample::putsAccepted));
    j.field("gets", rate(now, rateFrom, Sample::gets));
    j.field("pushes", rate(now, rateFrom, Sample::pushes));
    j.end();
    j.key("ackMicros").begin();
    j.field("windowSeconds", ACK_WINDOW);
    j.field("count", sum(acks));
    j.field("p50", nullIfNone(AckTimes.quantileMicros(acks, 0.50)));
    j.field("p99", nullIfNone(AckTimes.quantileMicros(acks, 0.99)));
    j.end();
    j.key("storage").begin();
    j.field("kind", data == null ? "memory" : "rocksdb");
    j.field("bytes", storageBytes < 0 ? null : storageBytes);
    j.end();
    j.key("cache").begin();
    j.field("hits", cache == null ? null : now.cacheHits());
    j.field("misses", cache == null ? null : now.cacheMisses());
    long reads = now.cacheHits() + now.cacheMisses();
    j.field("hitRate", cache == null || reads == 0 ? null : (double) now.cacheHits() / reads);
    j.end();
    history(j, now);
    j.key("errors").array();
    for (RecentErrors.Error e : errors.newestFirst()) {
      j.begin();
      j.field("at", Instant.ofEpochMilli(e.atMillis()).toString());
      j.field("what", e.what());
      j.end();
    }
    j.endArray();
    j.end();
    return j.toString();
  }

  /** One point per 5 s over the samples kept: rates, connections and ack p99 of each step. */
  private void history(JsonWriter j, Sample now) {
    List<Sample> all = new ArrayList<>(samples);
    all.add(now);
    int step = 5;
    List<Sample> points = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i -= step) {
      points.add(0, all.get(i));
    }
    j.key("history").begin();
    j.field("stepSeconds", step);
    j.key("t").array();
    for (int i = 1; i < points.size(); i++) {
      j.value(points.get(i).atMillis() / 1000);
    }
    j.endArray();
    series(j, "messagesInPerSecond", points, Sample::messagesIn);
    series(j, "framesOutPerSecond", points, Sample::framesOut);
    j.key("connections").array();
    for (int i = 1; i < points.size(); i++) {
      j.value(points.get(i).connections());
    }
    j.endArray();
    j.key("ackP99Micros").array();
    for (int i = 1; i < points.size(); i++) {
      long q = AckTimes.quantileMicros(minus(points.get(i).ackBuckets(), points.get(i - 1).ackBuckets()), 0.99);
      j.value(nullIfNone(q));
    }
    j.endArray();
    j.end();
  }

  private static void series(JsonWriter j, String name, List<Sample> points, LongOf f) {
    j.key(name).array();
    for (int i = 1; i < points.size(); i++) {
      j.value(rate(points.get(i), points.get(i - 1), f));
    }
    j.endArray();
  }

  /** A sample's counter. */
  private interface LongOf {
    long of(Sample s);
  }

  private static double rate(Sample now, @Nullable Sample from, LongOf f) {
    if (from == null || now.atMillis() <= from.atMillis()) {
      return 0;
    }
    double perSecond = (f.of(now) - f.of(from)) * 1000.0 / (now.atMillis() - from.atMillis());
    return Math.round(perSecond * 10) / 10.0;
  }

  /** The sample about {@code seconds} before {@code now}, or the oldest kept (null: none yet). */
  private @Nullable Sample back(Sample now, int seconds) {
    Sample found = null;
    for (var it = samples.descendingIterator(); it.hasNext(); ) {
      Sample s = it.next();
      found = s;
      if (now.atMillis() - s.atMillis() >= seconds * 1000L - 500) {
        break;
      }
    }
    return found;
  }

  private static long[] minus(long[] a, long @Nullable [] b) {
    long[] d = a.clone();
    if (b != null) {
      for (int i = 0; i < d.length; i++) {
        d[i] -= b[i];
      }
    }
    return d;
  }

  private static long sum(long[] a) {
    long t = 0;
    for (long x : a) {
      t += x;
    }
    return t;
  }

  private static @Nullable Long nullIfNone(long q) {
    return q < 0 ? null : q;
  }

  private static long directoryBytes(Path dir) {
    long[] total = {0};
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              total[0] += attrs.size();
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // a file compaction removed meanwhile
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total[0];
  }
}
