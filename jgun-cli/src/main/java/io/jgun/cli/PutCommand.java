package io.jgun.cli;

import io.jgun.client.Ack;
import io.jgun.client.Gun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgun put SOUL key=value… --peer URL}: writes fields to a node and waits for the relay's ack. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Writes fields to the node SOUL through a relay. Values are JSON when they parse as JSON (30, true, null, \"x\", {\"a\":1}), else text.",
      "Exit codes: 0 acknowledged, 1 failed (the reason is printed), 2 usage."
    })
final class PutCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SOUL", description = "The node to write.")
  String soul = "";

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "The fields to write.")
  List<String> pairs = List.of();

  @Mixin ClientOptions client = new ClientOptions();

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, Object> data = new LinkedHashMap<>();
    for (String p : pairs) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), "expected KEY=VALUE, got '" + p + "'");
      }
      data.put(p.substring(0, eq), ClientOptions.value(p.substring(eq + 1)));
    }
    try (Gun gun = client.connect()) {
      Ack ack = client.await(gun.get(soul).put(data));
      spec.commandLine().getOut().println("ok " + ack.soul() + " (acknowledged by " + ack.peer() + ")");
      spec.commandLine().getOut().flush();
      return 0;
    } catch (ClientOptions.ClientFailure e) {
      spec.commandLine().getErr().println("jgun put: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }
}
