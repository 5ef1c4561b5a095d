package io.jgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help} of every command and subcommand prints its usage and nothing else. Picocli treats
 * descriptions as format strings: a lone {@code %} makes it log {@code [picocli WARN] Could not
 * format …} to stderr.
 *
 * <p>The help runs in a child JVM: picocli's tracer keeps the {@code System.err} of the moment its
 * class was loaded, so swapping {@code System.err} in this JVM, where other tests have already run
 * the CLI, would miss its warnings.
 */
class HelpTextTest {
  private static final String MARK = "=== jgun";

  /** The argument path of every command under {@code root} ({@code []} for the root itself). */
  static List<List<String>> commandPaths(CommandLine root) {
    List<List<String>> out = new ArrayList<>();
    walk(root, new ArrayList<>(), out);
    return out;
  }

  private static void walk(CommandLine cmd, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    // An alias is a second key for the same CommandLine: visit each command once, by its name.
    for (CommandLine sub : new LinkedHashSet<>(cmd.getSubcommands().values())) {
      List<String> child = new ArrayList<>(path);
      child.add(sub.getCommandName());
      walk(sub, child, out);
    }
  }

  /** Run in the child JVM: {@code --help} of every command, each after a marker line on both streams. */
  public static void main(String[] args) {
    int failed = 0;
    for (List<String> path : commandPaths(new CommandLine(new Main()))) {
      String name = String.join(" ", path);
      System.out.println(MARK + " " + name);
      System.err.println(MARK + " " + name);
      List<String> argv = new ArrayList<>(path);
      argv.add("--help");
      int code = Main.run(argv.toArray(String[]::new));
      System.out.flush();
      if (code != 0) {
        System.err.println("exit code " + code + " for: jgun " + name + " --help");
        failed++;
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  @Test
  void walksTheWholeCommandTree() {
    assertThat(commandPaths(new CommandLine(new Main())))
        .extracting(p -> String.join(" ", p))
        .contains("", "relay", "import-radata", "put", "get", "watch", "chat", "help")
        .doesNotHaveDuplicates();
  }

  @Test
  void everyCommandsHelpPrintsUsageAndNoWarning() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HelpTextTest.class.getName())
            .start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String stdout = out.get(10, TimeUnit.SECONDS);
    String stderr = err.get(10, TimeUnit.SECONDS);

    assertThat(p.exitValue()).as("exit code; stderr:%n%s", stderr).isZero();
    for (List<String> path : commandPaths(new CommandLine(new Main()))) {
      String name = String.join(" ", path);
      String usage = section(stdout, name);
      assertThat(usage).as("usage of 'jgun %s'", name).contains("Usage: jgun" + (name.isEmpty() ? "" : " " + name));
    }
    assertThat(stdout).doesNotContain("WARN").doesNotContain("Could not format");
    // Only the marker lines: anything else on stderr is a warning the user would see.
    assertThat(stderr.lines().filter(l -> !l.startsWith(MARK))).as("stderr").isEmpty();
  }

  /** The text after the marker of {@code name}, up to the next marker. */
  private static String section(String text, String name) {
    String marker = MARK + " " + name + "\n";
    int start = text.indexOf(marker);
    assertThat(start).as("output of 'jgun %s --help'", name).isNotNegative();
    start += marker.length();
    int end = text.indexOf(MARK + " ", start);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
