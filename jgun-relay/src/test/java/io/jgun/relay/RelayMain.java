package io.jgun.relay;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jgun relay} without the rest of the command line (which lives in jgun-cli, a module that
 * depends on this one): what the tests here run, in this JVM or in a child one, as {@code
 * jgun relay …} with the same picocli settings as {@code io.jgun.cli.Main}.
 */
@Command(name = "jgun", subcommands = RelayCommand.class)
public final class RelayMain {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code jgun ARGS…} (the first argument is {@code relay}) and returns its exit code. */
  public static int run(String... args) {
    return new CommandLine(new RelayMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }
}
