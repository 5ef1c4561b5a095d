package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.mesh.PutGuard;
import io.jgun.wire.Frame;
import io.jgun.wire.MessageReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The firewall against the 34 relay cases real sea.js decided, and a few of our own. */
class SeaFirewallTest {
  private static final KeyPair ALICE = Vectors.pair("alice");
  private static final KeyPair BOB = Vectors.pair("bob");
  private static final long NOW = (long) ((Json.Num) Vectors.get("relayCheck", "now")).value();
  private static final PutGuard.FieldReader EMPTY = (soul, key) -> null;

  static Graph graph(Json put) {
    Frame f = new MessageReader().read("{\"#\":\"x\",\"put\":" + put.toJs() + "}");
    assertThat(f.error()).isNull();
    return f.messages().get(0).put();
  }

  private static String reason(PutGuard.Verdict v) {
    return v instanceof PutGuard.Reject ? ((PutGuard.Reject) v).reason() : null;
  }

  @Test
  void everyRelayCaseGetsGunJsVerdict() {
    SeaFirewall jgun = SeaFirewall.builder().clock(() -> NOW).build();
    SeaFirewall strict = SeaFirewall.builder().clock(() -> NOW).strictGunJs(true).build();
    int n = 0;
    for (Json c : Vectors.list("relayCheck", "cases")) {
      String name = Vectors.str(c, "case");
      Graph put = graph(Vectors.get(c, "put"));
      boolean accepted = Json.TRUE.equals(Vectors.get(c, "accepted"));
      List<Json> errors = ((Json.Arr) Vectors.get(c, "errors")).items();
      PutGuard.Verdict v = strict.check(put, EMPTY);
      assertThat(v instanceof PutGuard.Accept).as(name).isEqualTo(accepted);
      if (!errors.isEmpty()) {
        assertThat(reason(v)).as(name).isEqualTo(((Json.Str) errors.get(0)).value());
      } else if (!accepted) {
        assertThat(reason(v)).as(name + " (silent in Gun.js, explained here)").isNotBlank();
      }
      PutGuard.Verdict ours = jgun.check(put, EMPTY);
      if (name.startsWith("\"*\" without \"+\"")) {
        assertThat(reason(ours)).as("G15 closed by default").isEqualTo("Unverified data.");
      } else {
        assertThat(ours).as(name).isEqualTo(v);
      }
      n++;
    }
    assertThat(n).isEqualTo(34);
  }

  @Test
  void apiCertificateWriteFromGunIsAccepted() {
    Json node = Vectors.get("apiCertWrite", "storedNode");
    Map<String, Json> put = new HashMap<>();
    put.put(Vectors.str(node, "_", "#"), node);
    SeaFirewall fw = SeaFirewall.create();
    assertThat(fw.check(graph(new Json.Obj(put)), EMPTY)).isEqualTo(PutGuard.ACCEPT);
  }

  @Test
  void userGraphsFromGunAreAccepted() {
    SeaFirewall fw = SeaFirewall.create();
    for (String section : List.of("user", "userWrites")) {
      Json g = section.equals("user") ? Vectors.get("user", "graph") : null;
      Map<String, Json> put = new HashMap<>();
      if (g != null) {
        put.putAll(((Json.Obj) g).fields());
      } else {
        for (String k : List.of("userNode", "profileNode")) {
          Json node = Vectors.get("userWrites", k);
          put.put(Vectors.str(node, "_", "#"), node);
        }
      }
      assertThat(fw.check(graph(new Json.Obj(put)), EMPTY)).as(section).isEqualTo(PutGuard.ACCEPT);
    }
  }

  @Test
  void ourSignedWritesPassAndTamperedOnesFail() {
    SeaFirewall fw = SeaFirewall.create();
    String soul = "~" + ALICE.pub() + "/profile";
    double state = 1795520872832.001;
    for (Json v : List.of(Json.of("Alice"), Json.of(30), Json.NULL, Json.TRUE, link("~" + ALICE.pub() + "/x"))) {
      String signed = SeaWrites.signedValue(soul, "k", v, state, ALICE);
      assertThat(fw.check(put(soul, "k", signed, state), EMPTY)).as(signed).isEqualTo(PutGuard.ACCEPT);
      assertThat(reason(fw.check(put(soul, "other", signed, state), EMPTY))).isEqualTo("Unverified data.");
      assertThat(reason(fw.check(put(soul, "k", signed, state + 1), EMPTY))).isEqualTo("Unverified data.");
      assertThat(reason(fw.check(put("~" + BOB.pub(), "k", signed, state), EMPTY))).isEqualTo("Unverified data.");
      String bobs = SeaWrites.signedValue(soul, "k", v, state, BOB);
      assertThat(reason(fw.check(put(soul, "k", bobs, state), EMPTY))).isEqualTo("Unverified data.");
    }
    // garbage never throws
    for (String junk : List.of("", "{", "{\"~\":1}", "{\"~\":\"\",\":\":1}", "{\":\":1,\"~\":\"!!!\"}", "SEA{}", "[1]")) {
      assertThat(reason(fw.check(put(soul, "k", junk, state), EMPTY))).isEqualTo("Unverified data.");
    }
    assertThat(reason(fw.check(put("~not.a-key", "k", SeaWrites.signedValue("~not.a-key", "k", Json.of(1), state, ALICE), state), EMPTY)))
        .isEqualTo("Unverified data.");
  }

  @Test
  void certificatesOfOurOwn() {
    SeaFirewall fw = SeaFirewall.create();
    String cert = Sea.certify(List.of(BOB.pub()), obj("*", Json.of("inbox")), ALICE, null, Json.of("block"));
    String soul = "~" + ALICE.pub() + "/inbox";
    double state = 1795520872832.0;
    String value = SeaWrites.certifiedValue(soul, "m1", Json.of("hi"), state, BOB, cert);
    assertThat(fw.check(put(soul, "m1", value, state), EMPTY)).isEqualTo(PutGuard.ACCEPT);
    // blocked: ~alice/block holds bob = true (signed by alice)
    String blockSoul = "~" + ALICE.pub() + "/block";
    String yes = SeaWrites.signedValue(blockSoul, BOB.pub(), Json.TRUE, state, ALICE);
    PutGuard.FieldReader graph = (s, k) -> s.equals(blockSoul) && k.equals(BOB.pub()) ? new Field(Value.text(yes), state) : null;
    assertThat(reason(fw.check(put(soul, "m1", value, state), graph))).isEqualTo("Certificant " + BOB.pub() + " blocked.");
    // another soul of alice is not covered
    String elsewhere = "~" + ALICE.pub() + "/private";
    String v2 = SeaWrites.certifiedValue(elsewhere, "m1", Json.of("hi"), state, BOB, cert);
    assertThat(reason(fw.check(put(elsewhere, "m1", v2, state), EMPTY))).isEqualTo("Certificate verification fail.");
  }

  @Test
  void policyMatching() {
    assertThat(Certificates.match("inbox/m1", obj("*", Json.of("inbox")))).isTrue();
    assertThat(Certificates.match("inbox/m1", Json.of("inbox"))).isFalse();
    assertThat(Certificates.match("b", obj(">", Json.of("a")))).isTrue();
    assertThat(Certificates.match("a", obj("<", Json.of("b")))).isTrue();
    assertThat(Certificates.match("c", new Json.Obj(Map.of(">", Json.of("a"), "<", Json.of("b"))))).isFalse();
    assertThat(Certificates.match("x", obj("=", Json.of("y")))).isFalse();
    assertThat(Certificates.match("x", null)).isFalse();
  }

  @Test
  void forgetSoulsDropOldFields() {
    SeaFirewall fw = SeaFirewall.builder().clock(() -> 1_000_000_000L).build();
    assertThat(fw.check(put("chat<?60", "k", "v", 1_000_000_000.0 - 59_000), EMPTY)).isEqualTo(PutGuard.ACCEPT);
    assertThat(fw.check(put("chat<?60", "k", "v", 1_000_000_000.0 - 61_000), EMPTY)).isInstanceOf(PutGuard.Reject.class);
  }

  @Test
  void pubOf() {
    String p = ALICE.pub();
    String[] xy = p.split("\\.");
    assertThat(SeaWrites.ownerPub("~" + p)).isEqualTo(p);
    assertThat(SeaWrites.ownerPub("~" + p + "/a/b")).isEqualTo(p);
    assertThat(SeaWrites.ownerPub("x~" + p + ".extra/x")).isEqualTo(p);
    assertThat(SeaWrites.ownerPub("~" + xy[0])).isNull();
    assertThat(SeaWrites.ownerPub("plain")).isNull();
    assertThat(SeaWrites.ownerPub("~nodot")).isNull();
  }

  static Json link(String soul) {
    return obj("#", Json.of(soul));
  }

  static Json.Obj obj(String k, Json v) {
    Map<String, Json> m = new java.util.LinkedHashMap<>();
    m.put(k, v);
    return new Json.Obj(m);
  }

  static Graph put(String soul, String key, String value, double state) {
    return Graph.of(Node.builder(soul).put(key, Value.text(value), state).build());
  }
}
