package io.jgun.cli;

import io.jgun.relay.JgunVersion;
import io.jgun.relay.RelayCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code jgun} command line: {@code jgun relay …} and the tools that come with it. */
@Command(
    name = "jgun",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "GUN for the JVM: a relay and tools, wire-compatible with Gun.js 0.2020.1241.",
    subcommands = {
      RelayCommand.class,
      ImportRadataCommand.class,
      PutCommand.class,
      GetCommand.class,
      WatchCommand.class,
      ChatCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private InputStream in = System.in;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests: no System.exit). */
  static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  /**
   * Runs the command line with the given standard streams and returns its exit code (for tests of
   * the client commands).
   */
  static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    Main main = new Main();
    main.in = in;
    return new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).setOut(out).setErr(err).execute(args);
  }

  /** Standard input, as the client commands read it. */
  InputStream in() {
    return in;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {JgunVersion.text()};
    }
  }
}
