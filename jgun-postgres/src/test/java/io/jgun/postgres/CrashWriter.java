package io.jgun.postgres;

import io.jgun.store.CrashCheck;
import java.io.PrintStream;

/**
 * The child process of {@link CrashTest}: writes unique fields from several threads into a {@link
 * PostgresStore} and prints {@code ACK soul key state} for each put whose future completed, until it
 * is killed (or, bounded, after 200,000 puts or 2 minutes). Arguments: port, schema, threads, round.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String schema = args[1];
    int threads = Integer.parseInt(args[2]);
    String round = args[3];
    PrintStream out = CrashCheck.stdout();
    PostgresStore store = PostgresStore.builder(new PgUrl("127.0.0.1", port, "postgres", "postgres", null))
        .schema(schema).open();
    CrashCheck.writeUntilKilled(store, "r" + round, threads, out);
  }
}
