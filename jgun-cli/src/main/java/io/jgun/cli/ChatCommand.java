package io.jgun.cli;

import io.jgun.client.Ack;
import io.jgun.client.Gun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jgun chat ROOM --name NAME --peer URL}: a console chat, the example program of the Java
 * API. Each line typed is added to the set {@code chat/ROOM} ({@code set}); every message in the
 * room, old and new, is printed as {@code name: text} ({@code map().on}).
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "A console chat through a relay: type a line to send it; /quit or end of input leaves.",
      "Run it in two terminals with the same ROOM. Messages live in the set chat/ROOM, readable by Gun.js too."
    })
final class ChatCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ROOM", description = "The room to join.")
  String room = "";

  @Option(names = "--name", paramLabel = "NAME", description = "Your name in the room (default: your user name).")
  String name = System.getProperty("user.name", "anonymous");

  @Mixin ClientOptions client = new ClientOptions();

  @ParentCommand Main main;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Gun gun = client.connect()) {
      out.println("joined chat/" + room + " as " + name + " (type /quit to leave)");
      out.flush();
      gun.get("chat/" + room)
          .map()
          .on(
              (data, key) -> {
                if (data instanceof Map<?, ?> m && m.get("text") != null) {
                  out.println(ClientOptions.text(m.get("name")) + ": " + ClientOptions.text(m.get("text")));
                  out.flush();
                }
              });
      List<CompletableFuture<Ack>> sent = new ArrayList<>();
      BufferedReader in = new BufferedReader(new InputStreamReader(main.in(), StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("/quit"); line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("name", name);
        msg.put("text", line);
        msg.put("at", System.currentTimeMillis());
        sent.add(gun.get("chat/" + room).set(msg));
      }
      for (CompletableFuture<Ack> f : sent) {
        client.await(f);
      }
      return 0;
    } catch (ClientOptions.ClientFailure e) {
      spec.commandLine().getErr().println("jgun chat: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("jgun chat: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }
}
