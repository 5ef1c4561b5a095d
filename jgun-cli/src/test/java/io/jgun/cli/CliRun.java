package io.jgun.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What {@code jgun ARGS…} printed and returned, run in this JVM with {@code System.out} and {@code
 * System.err} captured ({@code import-radata} prints there, not to picocli's writers).
 */
record CliRun(int exit, String out, String err) {

  /** The lines the command printed itself (log lines of RocksDB aside). */
  java.util.List<String> errorLines() {
    return err.lines().filter(l -> l.startsWith("jgun ")).toList();
  }

  static synchronized CliRun of(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
