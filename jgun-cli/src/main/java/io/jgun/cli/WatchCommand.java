package io.jgun.cli;

import io.jgun.client.Chain;
import io.jgun.client.Gun;
import io.jgun.client.Subscription;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgun watch SOUL [KEY] --peer URL}: prints the node (or field) as a JSON line on every change. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the node SOUL (or its field KEY) as one JSON line now and on every change, until interrupted.",
      "Exit codes: 0 stopped after --count changes, 1 failed, 2 usage."
    })
final class WatchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SOUL", description = "The node to watch.")
  String soul = "";

  @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "One field of the node.")
  @Nullable String key;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N lines (default: never).")
  long count;

  @Mixin ClientOptions client = new ClientOptions();

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Gun gun = client.connect()) {
      Chain c = gun.get(soul);
      if (key != null) {
        c = c.get(key);
      }
      CountDownLatch done = new CountDownLatch(1);
      long[] left = {count};
      Subscription sub =
          c.on(
              (data, k) -> {
                out.println(ClientOptions.json(data));
                out.flush();
                if (count > 0 && --left[0] == 0) {
                  done.countDown();
                }
              });
      try {
        done.await();
      } finally {
        sub.off();
      }
      return 0;
    } catch (ClientOptions.ClientFailure e) {
      spec.commandLine().getErr().println("jgun watch: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
