package io.jgun.sea;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.mesh.PutGuard;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The firewall's off-loop preparation, what it carries to the loop, and its own bounded cache. */
class SeaFirewallPreparationTest {
  private static final KeyPair ALICE = Vectors.pair("alice");
  private static final PutGuard.FieldReader EMPTY = (soul, key) -> null;
  private static final String SOUL = "~" + ALICE.pub() + "/profile";
  private static final double STATE = 1795520872832.001;

  /** A put of {@code n} fields of ALICE's, each signed. */
  private static Graph signedPut(int n) {
    Node.Builder b = Node.builder(SOUL);
    for (int i = 0; i < n; i++) {
      b.put("k" + i, Value.text(SeaWrites.signedValue(SOUL, "k" + i, Json.of(i), STATE, ALICE)), STATE);
    }
    return Graph.of(b.build());
  }

  @Test
  void theLoopUsesTheSignaturesVerifiedOffItAndVerifiesNoneAgain() {
    SeaFirewall fw = SeaFirewall.builder().signatureCacheSize(1).build();
    Graph put = signedPut(3);
    Message.Prepared prepared = fw.prepare(put);
    assertThat(prepared).isNotNull();
    assertThat(fw.verifications()).isEqualTo(3);
    assertThat(fw.rememberedSignatures()).isEqualTo(1); // the cache alone could not spare the work

    assertThat(fw.check(put, EMPTY, prepared)).isEqualTo(PutGuard.ACCEPT);
    assertThat(fw.verifications()).as("carried proofs are used").isEqualTo(3);

    assertThat(fw.check(put, EMPTY)).isEqualTo(PutGuard.ACCEPT);
    assertThat(fw.verifications()).as("without them, evicted signatures are verified again").isGreaterThan(3);
  }

  @Test
  void proofsOfAnotherFirewallAreNotTrusted() {
    SeaFirewall mine = SeaFirewall.create();
    SeaFirewall other = SeaFirewall.create();
    Graph put = signedPut(2);
    Message.Prepared theirs = other.prepare(put);
    assertThat(mine.check(put, EMPTY, theirs)).isEqualTo(PutGuard.ACCEPT);
    assertThat(mine.verifications()).isEqualTo(2);
  }

  @Test
  void aProofDoesNotCoverAnotherValue() {
    SeaFirewall fw = SeaFirewall.create();
    Graph good = signedPut(1);
    Message.Prepared prepared = fw.prepare(good);
    String forged = SeaWrites.signedValue(SOUL, "k0", Json.of(0), STATE, ALICE).replace("\":0", "\":1");
    Graph bad = Graph.of(Node.builder(SOUL).put("k0", Value.text(forged), STATE).build());
    assertThat(fw.check(bad, EMPTY, prepared)).isEqualTo(PutGuard.reject(SOUL, "k0", SeaFirewall.UNVERIFIED));
  }

  @Test
  void aPutWithoutValidSignaturesCarriesNothing() {
    SeaFirewall fw = SeaFirewall.create();
    assertThat(fw.prepare(Graph.of(Node.builder("plain").put("k", Value.text("v"), 1).build()))).isNull();
    assertThat(fw.prepare(Graph.of(Node.builder(SOUL).put("k", Value.text("unsigned"), 1).build()))).isNull();
  }

  @Test
  void aPreparedFrameCarriesTheProofsOnItsPutMessages() {
    SeaFirewall fw = SeaFirewall.create();
    Graph put = signedPut(2);
    Frame frame =
        new Frame(
            List.of(Message.builder().id("g1").get(null).build(), Message.builder().id("p1").put(put).build()), null, 0);
    Frame prepared = fw.prepare(frame);
    assertThat(prepared.messages().get(0).prepared()).isNull();
    Message m = prepared.messages().get(1);
    assertThat(m.prepared()).isNotNull();
    assertThat(m.toBuilder().id("p2").build().prepared()).as("kept by a changed copy").isSameAs(m.prepared());
    long before = fw.verifications();
    assertThat(fw.refusal(m, EMPTY)).isNull();
    assertThat(fw.verifications()).isEqualTo(before);
  }

  @Test
  void aRefusalNamesTheFirstRefusedField() {
    SeaFirewall fw = SeaFirewall.create();
    Graph put =
        Graph.of(
            Node.builder(SOUL)
                .put("good", Value.text(SeaWrites.signedValue(SOUL, "good", Json.of(1), STATE, ALICE)), STATE)
                .put("bad", Value.text("unsigned"), STATE)
                .build());
    PutGuard.Reject r = fw.refusal(put, EMPTY);
    assertThat(r).isEqualTo(new PutGuard.Reject(SOUL, "bad", SeaFirewall.UNVERIFIED));
  }
}
