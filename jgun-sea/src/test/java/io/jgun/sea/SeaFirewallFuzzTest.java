package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jgun.fuzz.HostileFrames;
import io.jgun.graph.Graph;
import io.jgun.json.Json;
import io.jgun.mesh.PutGuard;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SEA's firewall on mutated signed puts: the 34 relay cases and the user graphs sea.js wrote,
 * mutated as {@link HostileFrames} mutates frames. Whatever the reader accepts, the firewall
 * decides (accept or reject with a reason) without throwing, the same way twice, with or without
 * the preparation done on the reading thread. More tries: {@code
 * -Djqwik.tries.default=N}.
 */
class SeaFirewallFuzzTest {
  private static final Duration HANG = Duration.ofSeconds(20);
  private static final long NOW = (long) ((Json.Num) Vectors.get("relayCheck", "now")).value();
  private static final PutGuard.FieldReader EMPTY = (soul, key) -> null;
  private static final MessageReader READER = new MessageReader();
  private static final int MAX_CHECKED = 20;

  private static List<String> signedFrames() {
    List<String> out = new ArrayList<>();
    for (Json c : Vectors.list("relayCheck", "cases")) {
      out.add("{\"#\":\"x\",\"put\":" + Vectors.get(c, "put").toJs() + "}");
    }
    out.add("{\"#\":\"u\",\"put\":" + Vectors.get("user", "graph").toJs() + "}");
    Map<String, Json> put = new HashMap<>();
    for (String k : List.of("userNode", "profileNode")) {
      Json node = Vectors.get("userWrites", k);
      put.put(Vectors.str(node, "_", "#"), node);
    }
    out.add("{\"#\":\"w\",\"put\":" + new Json.Obj(put).toJs() + "}");
    return out;
  }

  private static final List<String> SEEDS = signedFrames();

  @Provide
  Arbitrary<Integer> seedFrame() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1);
  }

  /**
   * The frame is made inside from (seed frame, seed) so a failure reports two numbers, not a
   * megabyte of frame. Each signature check costs the same whatever the frame, so a batch of
   * thousands of signed puts costs thousands of checks (linear: the per-client limits bound it);
   * the first {@link #MAX_CHECKED} puts of a frame are checked here.
   */
  @Property
  void firewallDecidesEveryMutatedSignedPutWithoutThrowing(@ForAll("seedFrame") int which, @ForAll long seed) {
    String frame = HostileFrames.mutate(SEEDS.get(which), new Random(seed));
    assertTimeoutPreemptively(HANG, () -> {
      SeaFirewall fw = SeaFirewall.builder().clock(() -> NOW).build();
      SeaFirewall strict = SeaFirewall.builder().clock(() -> NOW).strictGunJs(true).build();
      for (Message m : READER.read(frame).messages().stream().limit(MAX_CHECKED).toList()) {
        Graph put = m.put();
        if (put == null) {
          continue;
        }
        for (SeaFirewall f : List.of(fw, strict)) {
          PutGuard.Verdict v = f.check(put, EMPTY);
          assertThat(v).isNotNull();
          if (v instanceof PutGuard.Reject r) {
            assertThat(r.reason()).isNotBlank();
            assertThat(r.reason().length()).isLessThanOrEqualTo(frame.length() + 200);
          }
          assertThat(f.check(put, EMPTY, f.prepare(put))).as("prepared on another thread").isEqualTo(v);
          assertThat(f.check(put, EMPTY)).as("again").isEqualTo(v);
        }
      }
    });
  }
}
