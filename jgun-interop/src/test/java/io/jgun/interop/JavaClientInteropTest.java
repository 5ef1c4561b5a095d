package io.jgun.interop;

import static io.jgun.interop.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.client.Gun;
import io.jgun.client.Listener;
import io.jgun.graph.StateClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java client ({@code io.jgun.client.Gun}) and the {@code bin/jgun} client commands exchanging
 * data with a real Gun.js client through each relay kind (a stock Gun.js relay, a jgun relay).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RelayKind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaClientInteropTest {
  private static final long WAIT_S = 20;

  @Parameter RelayKind kind;
  private Relay relay;
  private GunJsClient js;
  private Gun java;
  private Throwable startFailure;
  private String prefix;

  @BeforeEach
  void startOnce() {
    kind.assumeAvailable();
    if (startFailure != null) {
      throw new AssertionError("the " + kind + " fixture failed to start for an earlier test", startFailure);
    }
    if (relay == null) {
      try {
        relay = kind.start(RelayOptions.onFreePort());
        js = GunJsClient.connect("js", relay);
        // states 1 ms behind, as the Gun.js clients of these tests run: a stock relay defers (and
        // never acks) a state even a fraction of a millisecond ahead of its own clock
        // (docs/protocol.md §2.2)
        java = Gun.builder().peers(relay.url()).clock(new StateClock(() -> System.currentTimeMillis() + kind.clientClockDriftMs())).build();
        java.whenConnected().get(WAIT_S, TimeUnit.SECONDS);
      } catch (Exception | AssertionError e) {
        startFailure = e;
        throw new AssertionError("could not start the " + kind + " fixture", e);
      }
    }
  }

  @AfterParameterizedClassInvocation
  void stopAll() {
    if (java != null) {
      java.close();
    }
    Fixtures.closeAll(js, relay);
    java = null;
    js = null;
    relay = null;
    startFailure = null;
  }

  @BeforeEach
  void freshSouls(TestInfo test) {
    prefix = "jc/" + test.getTestMethod().orElseThrow().getName() + "/" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "/";
  }

  private static <T> T join(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_S, TimeUnit.SECONDS);
  }

  record Geo(double lat, double lng) {}

  record Org(String name, Geo geo) {}

  @Test
  void javaWritesAGunJsClientReads() throws Exception {
    String org = prefix + "org";
    var ack = join(java.get(org).put(new Org("ACME", new Geo(48.85, 2.35))));
    assertThat(ack.peer()).isEqualTo(relay.url());
    GunEvent node = js.once(List.of(org));
    assertThat(node.has("name", "ACME")).isTrue();
    // the nested record became its own node under the path soul (docs/protocol.md §1.3)
    assertThat(node.field("geo").path("#").asText()).isEqualTo(org + "/geo");
    assertThat(js.once(List.of(org, "geo", "lat")).data().asDouble()).isEqualTo(48.85);
  }

  @Test
  void gunJsWritesJavaReadsTyped() throws Exception {
    String org = prefix + "org";
    assertThat(js.put(List.of(org), obj("name", "Initech", "geo", obj("lat", 30.27, "lng", -97.74))).isOk()).isTrue();
    assertThat(join(java.get(org).once(Org.class))).contains(new Org("Initech", new Geo(30.27, -97.74)));
    assertThat(join(java.get(org).get("geo").get("lng").once())).contains(-97.74);
  }

  @Test
  void notFoundIsEmpty() throws Exception {
    assertThat(join(java.get(prefix + "missing").once())).isEmpty();
    assertThat(join(java.get(prefix + "missing").get("field").once())).isEmpty();
  }

  @Test
  void liveUpdatesFlowBothWays() throws Exception {
    String doc = prefix + "doc";
    assertThat(js.put(List.of(doc), obj("v", "one")).isOk()).isTrue();
    List<Object> javaSaw = new CopyOnWriteArrayList<>();
    Listener l = (d, k) -> javaSaw.add(d);
    java.get(doc).get("v").on(l);
    await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> javaSaw.contains("one"));
    assertThat(js.put(List.of(doc, "v"), "two").isOk()).isTrue();
    await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> javaSaw.contains("two"));

    GunJsClient.Subscription jsSaw = js.on(List.of(doc, "w"));
    join(java.get(doc).get("w").put("from java"));
    jsSaw.await("w = from java", e -> e.found() && e.data() != null && "from java".equals(e.data().asText()), Duration.ofSeconds(WAIT_S));
  }

  /** A Java subscriber's {@code on()} sees each of a Gun.js writer's acked updates, in order. */
  @Test
  void aJavaSubscriberSeesEveryUpdateOfAFieldStream() throws Exception {
    String stream = prefix + "stream";
    assertThat(js.put(List.of(stream), obj("v", 0)).isOk()).isTrue();
    List<Object> javaSaw = new CopyOnWriteArrayList<>();
    java.get(stream).get("v").on((d, k) -> javaSaw.add(d));
    await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> javaSaw.contains(0L));
    int updates = 20;
    for (int n = 1; n <= updates; n++) {
      assertThat(js.put(List.of(stream, "v"), n).isOk()).as("ack of v=%d", n).isTrue();
    }
    await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> javaSaw.contains((long) updates));
    List<Object> distinct = new ArrayList<>();
    for (Object v : javaSaw) {
      if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(v)) {
        distinct.add(v);
      }
    }
    List<Object> expected = new ArrayList<>();
    for (long n = 0; n <= updates; n++) {
      expected.add(n);
    }
    assertThat(distinct).as("values the Java client's on() saw").isEqualTo(expected);
  }

  @Test
  void javaSetItemsAreSeenByGunJsMap() throws Exception {
    String list = prefix + "list";
    var a = join(java.get(list).set(Map.of("text", "first")));
    var b = join(java.get(list).set(Map.of("text", "second")));
    Map<String, GunEvent> items = js.mapOnce(List.of(list)).awaitKeys(2, Duration.ofSeconds(WAIT_S));
    assertThat(items).containsKeys(a.soul(), b.soul());
    assertThat(items.get(a.soul()).has("text", "first")).isTrue();
    assertThat(items.get(b.soul()).has("text", "second")).isTrue();
    // and Gun.js's own set items are read by Java's map().once()
    js.set(List.of(list), obj("text", "third"));
    await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> ((Map<?, ?>) join(java.get(list).map().once()).orElseThrow()).size() == 3);
  }

  /** {@code bin/jgun put/get} against the relay, with the Gun.js client on the other side. */
  @Test
  void cliPutAndGetInteroperateWithGunJs() throws Exception {
    String soul = prefix + "cli";
    Cli put = cli("put", soul, "name=Zed", "age=7", "--peer", relay.url());
    assertThat(put.code()).as(put.output()).isZero();
    GunEvent node = js.once(List.of(soul));
    assertThat(node.has("name", "Zed")).isTrue();
    assertThat(node.has("age", 7)).isTrue();

    assertThat(js.put(List.of(soul, "city"), "Oslo").isOk()).isTrue();
    Cli get = cli("get", soul, "city", "--peer", relay.url());
    assertThat(get.code()).as(get.output()).isZero();
    assertThat(get.output().trim()).endsWith("\"Oslo\"");
    assertThat(cli("get", prefix + "nothing", "--peer", relay.url()).code()).isEqualTo(3);
  }

  record Cli(int code, String output) {}

  private static Cli cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(JgunRelay.launcher().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/jgun " + String.join(" ", args) + " did not finish:\n" + out);
    }
    return new Cli(p.exitValue(), out);
  }

}
