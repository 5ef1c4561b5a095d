package io.jgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jgun.client.Gun;
import io.jgun.relay.RelayProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code jgun put/get/watch/chat} against a jgun relay ({@code jgun relay --memory}, in a child JVM). */
class ClientCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private RelayProcess relay;
  private String url;

  /** What one run of the command line printed, and its exit code. */
  record Run(int code, String out, String err) {}

  /** Collects output written from any thread. */
  static final class Output {
    final StringWriter text = new StringWriter();
    final PrintWriter writer = new PrintWriter(text, true);

    synchronized String get() {
      writer.flush();
      return text.toString();
    }
  }

  static Run run(InputStream in, String... args) {
    Output out = new Output();
    Output err = new Output();
    int code = Main.run(in, out.writer, err.writer, args);
    return new Run(code, out.get(), err.get());
  }

  static Run run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  @BeforeEach
  void start() throws Exception {
    relay = RelayProcess.start(List.of(), "--memory");
    url = "ws://127.0.0.1:" + relay.port() + "/gun";
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void putThenGetANodeAndAField() throws Exception {
    Run put = run("put", "user/alice", "name=Alice", "age=30", "admin=true", "note=not json", "--peer", url);
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).contains("ok user/alice");

    Run node = run("get", "user/alice", "--peer", url);
    assertThat(node.code()).as(node.err()).isZero();
    assertThat(JSON.readTree(node.out()))
        .isEqualTo(JSON.valueToTree(Map.of("name", "Alice", "age", 30, "admin", true, "note", "not json")));

    Run field = run("get", "user/alice", "age", "--peer", url);
    assertThat(field.code()).isZero();
    assertThat(field.out().trim()).isEqualTo("30");
  }

  @Test
  void jsonObjectValuesBecomeLinkedNodes() throws Exception {
    assertThat(run("put", "org/acme", "address={\"city\":\"Paris\"}", "--peer", url).code()).isZero();
    Run node = run("get", "org/acme", "address", "--peer", url);
    assertThat(JSON.readTree(node.out())).isEqualTo(JSON.valueToTree(Map.of("city", "Paris")));
    Run parent = run("get", "org/acme", "--peer", url);
    assertThat(JSON.readTree(parent.out()).path("address").path("#").asText()).isEqualTo("org/acme/address");
  }

  @Test
  void getOfNothingExitsThree() {
    Run r = run("get", "nothing/here", "--peer", url);
    assertThat(r.code()).isEqualTo(GetCommand.NOT_FOUND);
    assertThat(r.err()).contains("not found");
    assertThat(run("get", "nothing/here", "key", "--peer", url).code()).isEqualTo(3);
  }

  @Test
  void putFailsWithAMessageWhenNoRelayAnswers() {
    relay.close();
    Run r = run("put", "x", "a=1", "--peer", url, "--timeout", "1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("jgun put:").contains("could not connect to " + url);
  }

  @Test
  void arraysAreRefusedWithGunsMessage() {
    Run r = run("put", "x", "list=[1,2]", "--peer", url);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Invalid data: Array");
  }

  @Test
  void badArgumentsAreAUsageError() {
    assertThat(run("put", "x", "novalue", "--peer", url).code()).isEqualTo(2);
  }

  @Test
  void watchPrintsEachChangeAsAJsonLine() throws Exception {
    try (Gun writer = Gun.builder().peers(url).build()) {
      writer.get("sensor").put(Map.of("t", 20)).get(10, TimeUnit.SECONDS);
      Output out = new Output();
      Output err = new Output();
      CompletableFuture<Integer> watch =
          CompletableFuture.supplyAsync(() -> Main.run(new ByteArrayInputStream(new byte[0]), out.writer, err.writer, "watch", "sensor", "t", "--count", "3", "--peer", url));
      await().atMost(Duration.ofSeconds(10)).until(() -> out.get().lines().count() == 1);
      writer.get("sensor").put(Map.of("t", 21)).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> out.get().lines().count() == 2);
      writer.get("sensor").put(Map.of("t", 22)).get(10, TimeUnit.SECONDS);
      assertThat(watch.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(out.get().lines()).containsExactly("20", "21", "22");
    }
  }

  @Test
  void twoChatsTalkThroughTheRelay() throws Exception {
    PipedOutputStream typing = new PipedOutputStream();
    PipedInputStream bobIn = new PipedInputStream(typing);
    Output bob = new Output();
    CompletableFuture<Integer> bobChat =
        CompletableFuture.supplyAsync(() -> Main.run(bobIn, bob.writer, new Output().writer, "chat", "lobby", "--name", "bob", "--peer", url));
    await().atMost(Duration.ofSeconds(10)).until(() -> bob.get().contains("joined chat/lobby as bob"));

    Run alice = run(new ByteArrayInputStream("hello bob\n/quit\n".getBytes(StandardCharsets.UTF_8)), "chat", "lobby", "--name", "alice", "--peer", url);
    assertThat(alice.code()).as(alice.err()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> bob.get().contains("alice: hello bob"));

    typing.write("hi alice\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    await().atMost(Duration.ofSeconds(10)).until(() -> bob.get().contains("bob: hi alice"));
    typing.close();
    assertThat(bobChat.get(15, TimeUnit.SECONDS)).isZero();

    // the room is an ordinary Gun set: items readable by any client
    Run room = run("get", "chat/lobby", "--peer", url);
    JsonNode links = JSON.readTree(room.out());
    assertThat(links.size()).isEqualTo(2);
  }

  @Test
  void numbersArePrintedAsJavaScriptPrintsThem() throws Exception {
    // each as node prints JSON.stringify({big: 1e21, tiny: 5e-324, third: 1/3, neg: -1.5e-7, int: 30, max: 2**53}) (field order is the store's)
    String[] js = {"\"big\":1e+21", "\"tiny\":5e-324", "\"third\":0.3333333333333333", "\"neg\":-1.5e-7", "\"int\":30", "\"max\":9007199254740992"};
    Run put = run("put", "num", "big=1e21", "tiny=5e-324", "third=0.3333333333333333", "neg=-1.5e-7", "int=30", "max=9007199254740992", "--peer", url);
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(run("get", "num", "--peer", url).out().trim()).startsWith("{").endsWith("}").contains(js).hasSize(String.join(",", js).length() + 2);
    assertThat(run("get", "num", "big", "--peer", url).out().trim()).isEqualTo("1e+21");
    assertThat(run("get", "num", "tiny", "--peer", url).out().trim()).isEqualTo("5e-324");

    try (Gun writer = Gun.builder().peers(url).build()) {
      Output out = new Output();
      CompletableFuture<Integer> watch =
          CompletableFuture.supplyAsync(() -> Main.run(new ByteArrayInputStream(new byte[0]), out.writer, new Output().writer, "watch", "num", "big", "--count", "2", "--peer", url));
      await().atMost(Duration.ofSeconds(10)).until(() -> out.get().lines().count() == 1);
      writer.get("num").put(Map.of("big", 1.5e300)).get(10, TimeUnit.SECONDS);
      assertThat(watch.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(out.get().lines()).containsExactly("1e+21", "1.5e+300");

      // a chat message whose text a Gun.js peer wrote as a number
      writer.get("chat/numbers").set(Map.of("name", "calc", "text", 1e21)).get(10, TimeUnit.SECONDS);
      PipedOutputStream typing = new PipedOutputStream();
      PipedInputStream in = new PipedInputStream(typing);
      Output chat = new Output();
      CompletableFuture<Integer> chatting =
          CompletableFuture.supplyAsync(() -> Main.run(in, chat.writer, new Output().writer, "chat", "numbers", "--name", "me", "--peer", url));
      await().atMost(Duration.ofSeconds(10)).until(() -> chat.get().contains("calc: "));
      typing.close();
      assertThat(chatting.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(chat.get()).contains("calc: 1e+21").doesNotContain("1.0E21");
    }
  }
}
