package io.jgun.cli;

import io.jgun.client.Chain;
import io.jgun.client.Gun;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgun get SOUL [KEY] --peer URL}: prints a node or a field as JSON. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the node SOUL (or its field KEY) through a relay and prints it as JSON (links as {\"#\":soul}).",
      "Exit codes: 0 found, 1 failed, 2 usage, 3 not found."
    })
final class GetCommand implements Callable<Integer> {
  static final int NOT_FOUND = 3;

  @Parameters(index = "0", paramLabel = "SOUL", description = "The node to read.")
  String soul = "";

  @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "One field of the node.")
  @Nullable String key;

  @Mixin ClientOptions client = new ClientOptions();

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (Gun gun = client.connect()) {
      Chain c = gun.get(soul);
      if (key != null) {
        c = c.get(key);
      }
      Optional<Object> data = client.await(c.once());
      if (data.isEmpty()) {
        spec.commandLine().getErr().println("jgun get: not found: " + soul + (key == null ? "" : " " + key));
        spec.commandLine().getErr().flush();
        return NOT_FOUND;
      }
      spec.commandLine().getOut().println(ClientOptions.json(data.get()));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (ClientOptions.ClientFailure e) {
      spec.commandLine().getErr().println("jgun get: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }
}
