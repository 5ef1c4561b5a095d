package io.jgun.client;

import io.jgun.graph.Graph;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: an append-only file of the writes no peer has acknowledged yet, replayed on
 * start so that offline writes are still sent after a restart (issue #6).
 *
 * <h2>Format</h2>
 *
 * UTF-8 text, one record per line. The first line is {@value #HEADER}. Every other line is the
 * CRC32C of its JSON part (8 lowercase hex digits), one space, and a GUN wire message written by
 * {@link MessageWriter} (so the graph is in wire form, byte-identical to what is sent):
 *
 * <ul>
 *   <li>a write: {@code {"#":id,"put":graph}} — the journal id (not a wire message id) and the graph;
 *   <li>its end: {@code {"@":id}} — a peer acknowledged (or refused) the write, or it was dropped
 *       because more than the allowed number of writes were waiting.
 * </ul>
 *
 * <h2>Durability</h2>
 *
 * A write record is appended and the file forced ({@link FileChannel#force}) by {@link #flush}
 * before the write is sent to any peer and before its {@link AckPolicy#LOCAL} acknowledgement;
 * end records are appended without forcing (losing one re-sends a write at worst, which HAM makes
 * harmless). Because every write record is forced, everything before it is on disk too: a bad
 * record can only be followed by end records after a crash. So on open, a bad or unterminated tail
 * followed by nothing but end records is a torn tail and is cut off (with a warning); a bad record
 * followed by a write record is damage, and {@link #open} fails naming the file and line.
 *
 * <h2>Bounds</h2>
 *
 * At most {@code maxPending} writes are pending (on open the oldest beyond it are dropped with a
 * warning; the engine drops the oldest when a new one would exceed it). The file is rewritten with
 * only the pending writes (temporary file, force, atomic rename, force of the directory) on open
 * when it holds anything else, and whenever it grows past both {@code compactBytes} and twice the
 * size of the pending records; so it never exceeds about {@code max(compactBytes, 2 × pending)}.
 *
 * <p>Not thread-safe: the engine's loop thread owns it. A lock file next to it ({@code
 * <name>.lock}) keeps a second instance (in this or another process) from using the same journal.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  static final String HEADER = "jgun-outbox 1";
  /** The default size past which the journal is compacted. */
  static final long DEFAULT_COMPACT_BYTES = 1 << 20;
  private static final int MAX_LINE_CHARS = MessageReader.Limits.DEFAULT_MAX_FRAME_CHARS;

  /** A write read back from the journal. */
  record Pending(String id, Graph graph) {}

  private final Path file;
  private final long compactBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private @Nullable FileChannel channel;
  /** The pending writes, oldest first: id → the line (without its newline). */
  private final LinkedHashMap<String, String> live = new LinkedHashMap<>();
  private long liveBytes;
  private long size;
  private final StringBuilder buffer = new StringBuilder();
  private boolean needsForce;
  private long compactions;
  /** After a failed compaction, the size past which it is tried again. */
  private long retryCompactionAt;
  private boolean closed;

  private Journal(Path file, long compactBytes, FileChannel lockChannel, FileLock lock) {
    this.file = file;
    this.compactBytes = compactBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (or creates) the journal at {@code file}, repairs a torn tail, keeps at most {@code
   * maxPending} writes and compacts it.
   *
   * @throws GunException.OutboxError naming the file when it cannot be read or written, is in use,
   *     is not a journal, or is damaged other than at its tail
   */
  static Journal open(Path file, int maxPending, long compactBytes) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    FileChannel lockChannel = null;
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
      lockChannel = FileChannel.open(lockFile(abs), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new GunException.OutboxError(abs, "is in use by another Gun instance (locked through " + lockFile(abs).getFileName() + ")", null);
      }
      Journal j = new Journal(abs, compactBytes, lockChannel, lock);
      try {
        j.load(maxPending);
      } catch (RuntimeException | IOException e) {
        j.closeQuietly();
        throw e;
      }
      return j;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new GunException.OutboxError(abs, "cannot be read or written: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  static Path lockFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  Path file() {
    return file;
  }

  /** The pending writes read on open, oldest first. */
  List<Pending> pending() {
    MessageReader reader = reader();
    List<Pending> out = new ArrayList<>(live.size());
    for (Map.Entry<String, String> e : live.entrySet()) {
      Message m = Objects.requireNonNull(parse(reader, e.getValue()), "live holds lines that parsed");
      out.add(new Pending(e.getKey(), Objects.requireNonNull(m.put(), "live holds writes, which parse() checks carry a put")));
    }
    return out;
  }

  /** How many writes are pending. */
  int pendingCount() {
    return live.size();
  }

  /** How many times the journal was rewritten (including on open). */
  long compactions() {
    return compactions;
  }

  /** The size of the file, in bytes, as far as this instance wrote it. */
  long size() {
    return size;
  }

  /** Buffers a write record; {@link #flush} writes and forces it. */
  void write(String id, Graph graph) {
    String line = line(MessageWriter.write(Message.builder().id(id).put(graph).build()));
    live.put(id, line);
    liveBytes += bytes(line) + 1;
    buffer.append(line).append('\n');
    needsForce = true;
  }

  /** Buffers the end of a pending write (acknowledged, refused or dropped); unknown ids are ignored. */
  void done(String id) {
    String line = live.remove(id);
    if (line == null) {
      return;
    }
    liveBytes -= bytes(line) + 1;
    buffer.append(line(MessageWriter.write(Message.builder().ack(id).build()))).append('\n');
  }

  /** Whether {@link #flush} has something to do. */
  boolean dirty() {
    return buffer.length() > 0;
  }

  /**
   * Appends what is buffered, forces the file when a write record is among it, then compacts when
   * the file grew past its bound.
   */
  void flush() throws IOException {
    if (closed || buffer.length() == 0) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(buffer.toString().getBytes(StandardCharsets.UTF_8));
    buffer.setLength(0);
    FileChannel c = channel;
    if (c == null) {
      throw new IOException("the journal file is not open (an earlier compaction failed to reopen it)");
    }
    while (b.hasRemaining()) {
      size += c.write(b);
    }
    if (needsForce) {
      c.force(false);
      needsForce = false;
    }
    if (size > compactBytes && size > 2 * (liveBytes + HEADER.length() + 1) && size > retryCompactionAt) {
      try {
        compact();
        retryCompactionAt = 0;
      } catch (IOException e) {
        if (channel == null) {
          throw e; // the file was replaced but cannot be reopened
        }
        retryCompactionAt = 2 * size;
        log.warn("outbox journal {}: could not compact it ({}); it keeps growing, next try past {} bytes", file, e.toString(), retryCompactionAt);
      }
    }
  }

  /** Flushes, then releases the file (and its lock). */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      flush();
    } finally {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    closed = true;
    closeQuietly(channel);
    try {
      lock.release();
    } catch (IOException | RuntimeException e) {
      // the channel closes below anyway
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(@Nullable FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        log.debug("could not close a journal channel: {}", e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- reading and repairing

  private void load(int maxPending) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      compact(); // a fresh file with its header, atomically
      return;
    }
    byte[] all = Files.readAllBytes(file);
    int headerEnd = indexOf(all, 0);
    String head = new String(all, 0, headerEnd < 0 ? all.length : headerEnd, StandardCharsets.UTF_8);
    if (headerEnd < 0 || !head.equals(HEADER)) {
      if (headerEnd < 0 && HEADER.startsWith(head)) {
        compact(); // torn while being created: nothing in it yet
        return;
      }
      throw new GunException.OutboxError(file, "is not a jgun outbox journal (its first line is not \"" + HEADER + "\")", null);
    }
    MessageReader reader = reader();
    int lineNo = 1;
    int start = headerEnd + 1;
    int badLine = -1;
    long badOffset = -1;
    String badWhy = "";
    while (start < all.length) {
      lineNo++;
      int end = indexOf(all, start);
      String text = new String(all, start, (end < 0 ? all.length : end) - start, StandardCharsets.UTF_8);
      Message m = end < 0 ? null : parse(reader, text);
      if (m == null) {
        if (badLine < 0) {
          badLine = lineNo;
          badOffset = start;
          badWhy = end < 0 ? "an unterminated last line" : "a line that fails its checksum or does not parse";
        }
      } else if (m.put() != null) {
        if (badLine >= 0) {
          throw new GunException.OutboxError(file, "is damaged at line " + badLine + " (byte " + badOffset + "): " + badWhy
              + ", followed by a write at line " + lineNo + "; move the file away to start without it (its writes stay in the"
              + " local store but are not sent)", null);
        }
        live.put(must(m.id()), text);
        liveBytes += bytes(text) + 1;
      } else if (badLine < 0) {
        String id = must(m.ack());
        String line = live.remove(id);
        if (line != null) {
          liveBytes -= bytes(line) + 1;
        }
      }
      if (end < 0) {
        break;
      }
      start = end + 1;
    }
    if (badLine >= 0) {
      log.warn("outbox journal {}: cut off a torn tail from line {} (byte {}; {}): a write there was never synced nor sent",
          file, badLine, badOffset, badWhy);
    }
    int dropped = 0;
    for (Iterator<String> it = live.keySet().iterator(); live.size() > maxPending && it.hasNext(); ) {
      String line = live.get(it.next());
      liveBytes -= bytes(Objects.requireNonNull(line)) + 1;
      it.remove();
      dropped++;
    }
    if (dropped > 0) {
      log.warn("outbox journal {}: dropped the {} oldest pending writes (more than maxQueuedWrites = {}); they stay in the local store but are not sent",
          file, dropped, maxPending);
    }
    if (all.length != HEADER.length() + 1 + liveBytes) {
      compact(); // acknowledged records, a torn tail or dropped writes: keep only the pending writes
    } else {
      channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      size = all.length;
    }
  }

  private static String must(@Nullable String id) {
    if (id == null) {
      throw new IllegalStateException("unreachable: parse() checks the id");
    }
    return id;
  }

  private static MessageReader reader() {
    return new MessageReader(MessageReader.Limits.defaults());
  }

  /** The record in {@code line}, or null when its checksum or form is wrong. */
  private static @Nullable Message parse(MessageReader reader, String line) {
    if (line.length() < 10 || line.charAt(8) != ' ' || line.length() > MAX_LINE_CHARS) {
      return null;
    }
    String json = line.substring(9);
    if (!line.substring(0, 8).equals(crc(json))) {
      return null;
    }
    Frame f;
    try {
      f = reader.read(json);
    } catch (RuntimeException e) {
      return null;
    }
    if (f.error() != null || f.messages().size() != 1) {
      return null;
    }
    Message m = f.messages().get(0);
    boolean write = m.id() != null && m.put() != null && m.ack() == null;
    boolean end = m.ack() != null && m.id() == null && m.put() == null;
    return write || end ? m : null;
  }

  /** A record line (without its newline) for the JSON {@code json}. */
  static String line(String json) {
    return crc(json) + " " + json;
  }

  private static String crc(String json) {
    CRC32C c = new CRC32C();
    c.update(json.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", c.getValue());
  }

  private static long bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int indexOf(byte[] all, int from) {
    for (int i = from; i < all.length; i++) {
      if (all[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- compaction

  /**
   * Rewrites the file with the header and the pending writes only, atomically. When it fails before
   * the rename the old file is still in use, complete and open; when the new file cannot be opened
   * after the rename, {@link #channel} is null.
   */
  private void compact() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (String line : live.values()) {
      text.append(line).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      move(tmp);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
    } catch (IOException e) {
      if (channel == null) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      // some platforms (Windows) cannot replace a file that is open: close it and try once more
      closeQuietly(channel);
      channel = null;
      try {
        move(tmp);
      } catch (IOException again) {
        Files.deleteIfExists(tmp);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        throw again;
      }
    }
    forceDirectory(file.getParent());
    closeQuietly(channel);
    channel = null;
    size = bytes.length; // the new file, whatever happens next
    compactions++;
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private void move(Path tmp) throws IOException {
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Makes a rename durable; a platform that cannot open a directory (Windows) does without. */
  private static void forceDirectory(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      log.debug("cannot force directory {}: {}", dir, e.toString());
    }
  }
}
