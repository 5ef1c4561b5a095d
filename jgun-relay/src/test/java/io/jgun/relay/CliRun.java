package io.jgun.relay;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What a command line ({@code jgun relay …} here, any {@code jgun} command in jgun-cli's tests)
 * printed and returned, run in this JVM with {@code System.out} and {@code System.err} captured
 * (log lines and {@code import-radata} print there, not to picocli's writers).
 */
public record CliRun(int exit, String out, String err) {

  /** The lines the command printed itself (log lines of RocksDB or the relay aside). */
  public List<String> errorLines() {
    return err.lines().filter(l -> l.startsWith("jgun ")).toList();
  }

  /** Runs {@code main} (a {@code Main.run}: arguments in, exit code out) on {@code args}. */
  public static synchronized CliRun of(ToIntFunction<String[]> main, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = main.applyAsInt(args);
      return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
