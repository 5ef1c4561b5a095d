package io.jgun.rocksdb;

import io.jgun.store.CrashCheck;
import io.jgun.store.Durability;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link CrashTest}: writes unique fields from several threads into a store and
 * prints {@code ACK soul key state} for each put whose future completed, until it is killed (or,
 * bounded, after 200,000 puts or 2 minutes). Arguments: directory, durability, threads and,
 * optionally, the memtable size in bytes.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    int threads = Integer.parseInt(args[2]);
    PrintStream out = CrashCheck.stdout();
    RocksStore.Builder builder = RocksStore.builder(dir).durability(durability);
    if (args.length > 3) {
      builder.writeBufferBytes(Long.parseLong(args[3])); // small memtables: many log files, reused
    }
    CrashCheck.writeUntilKilled(builder.open(), "", threads, out);
  }
}
