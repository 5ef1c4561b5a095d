package io.jgun.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.mesh.PutGuard;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The rules file: its parse errors, and the documented examples deciding writes and reads. */
class RuleSetTest {
  private static final String OWNER = "ownerPUB.xy";
  private static final String MALLORY = "malloryPUB.xy";

  /** A graph in a map, readable field by field and node by node. */
  private final Map<String, Node> stored = new HashMap<>();

  private final PutGuard.FieldReader graph =
      new PutGuard.FieldReader() {
        @Override
        public @Nullable Field field(String soul, String key) {
          Node n = stored.get(soul);
          return n == null ? null : n.field(key);
        }

        @Override
        public @Nullable Node node(String soul) {
          return stored.get(soul);
        }
      };

  /** Signed by whoever the soul's "signer" prefix names: {@code ~PUB...} souls are signed by PUB. */
  private static final Identities OWNERS =
      new Identities() {
        @Override
        public @Nullable String signer(String soul, Field field) {
          return owner(soul);
        }

        @Override
        public @Nullable String owner(String soul) {
          if (!soul.startsWith("~")) {
            return null;
          }
          int slash = soul.indexOf('/');
          return slash < 0 ? soul.substring(1) : soul.substring(1, slash);
        }
      };

  private static Graph put(String soul, String key, Value v) {
    return Graph.of(Node.builder(soul).put(key, v, 1).build());
  }

  private @Nullable String refusal(RuleSet rules, Graph put) {
    PutGuard.Reject r = new RulesGuard(rules, OWNERS).refusal(put, graph);
    return r == null ? null : r.reason();
  }

  private void store(String soul, String key, Value v) {
    stored.merge(soul, Node.builder(soul).put(key, v, 1).build(), (a, b) -> a.with(key, b.field(key)));
  }

  @Test
  void publicReadOnlyNamespace() throws Exception {
    RuleSet rules = RuleSet.parse("deny write public/* \"public is read-only\"\n", "t");
    assertThat(refusal(rules, put("public/news", "a", Value.text("x")))).isEqualTo("public is read-only");
    assertThat(refusal(rules, put("other", "a", Value.text("x")))).isNull();
    assertThat(rules.checkRead("public/news", null)).isNull();
  }

  @Test
  void namespaceWritableOnlyByItsOwner() throws Exception {
    RuleSet rules = RuleSet.parse("allow write ~" + OWNER + "/blog* signer=owner\ndeny write ~*/blog* \"only the owner writes a blog\"", "t");
    assertThat(refusal(rules, put("~" + OWNER + "/blog", "a", Value.text("x")))).isNull();
    assertThat(refusal(rules, put("~" + MALLORY + "/blog", "a", Value.text("x")))).isEqualTo("only the owner writes a blog");
  }

  @Test
  void appendOnlyLog() throws Exception {
    RuleSet rules = RuleSet.parse("deny write log/* exists \"the log is append-only\"", "t");
    assertThat(refusal(rules, put("log/1", "a", Value.text("x")))).isNull();
    store("log/1", "a", Value.text("x"));
    assertThat(refusal(rules, put("log/1", "a", Value.text("y")))).isEqualTo("the log is append-only");
    assertThat(refusal(rules, put("log/1", "b", Value.text("y")))).isNull();
  }

  @Test
  void nodeSizeCap() throws Exception {
    RuleSet rules = RuleSet.parse("deny write * fields>2 \"a node holds at most 2 fields\"\ndeny write * size>10 \"a value is at most 10 characters\"", "t");
    store("n", "a", Value.text("x"));
    store("n", "b", Value.text("x"));
    assertThat(refusal(rules, put("n", "a", Value.text("y")))).as("an overwrite keeps the count").isNull();
    assertThat(refusal(rules, put("n", "c", Value.text("y")))).isEqualTo("a node holds at most 2 fields");
    assertThat(refusal(rules, put("m", "a", Value.text("12345678901")))).isEqualTo("a value is at most 10 characters");
  }

  @Test
  void denylistOfPubs() throws Exception {
    RuleSet rules = RuleSet.parse("deny write * signer-in=banned \"banned\"\ndeny write * signer=" + MALLORY + ",other \"banned by name\"", "t");
    store("banned", "eve.xy", Value.bool(true));
    store("banned", OWNER, Value.bool(false));
    assertThat(refusal(rules, put("~eve.xy/a", "k", Value.text("x")))).isEqualTo("banned");
    assertThat(refusal(rules, put("~" + MALLORY, "k", Value.text("x")))).isEqualTo("banned by name");
    assertThat(refusal(rules, put("~" + OWNER, "k", Value.text("x")))).as("false: taken off the list").isNull();
    assertThat(refusal(rules, put("plain", "k", Value.text("x")))).as("unsigned: in no list").isNull();
  }

  @Test
  void firstRuleThatAppliesDecidesAndReadsMatchBySoul() throws Exception {
    RuleSet rules = RuleSet.parse("# secrets\n\nallow read secret/open\ndeny read secret/* \"not readable\"\n", "t");
    assertThat(rules.checkRead("secret/open", null)).isNull();
    assertThat(rules.checkRead("secret/x", "k")).isEqualTo("not readable");
    assertThat(rules.size()).isEqualTo(2);
  }

  @Test
  void patternsMatchAnyRunAtEachStar() {
    assertThat(Pattern.parse("*").matches("")).isTrue();
    assertThat(Pattern.parse("~*/blog").matches("~abc.def/blog")).isTrue();
    assertThat(Pattern.parse("~*/blog").matches("~abc.def/blogs")).isFalse();
    assertThat(Pattern.parse("a*b*c").matches("abc")).isTrue();
    assertThat(Pattern.parse("a*b*c").matches("ac")).isFalse();
    assertThat(Pattern.parse("ab*ba").matches("aba")).as("the parts may not overlap").isFalse();
    assertThat(Pattern.parse("exact").matches("exactly")).isFalse();
  }

  @Test
  void errorsNameTheLineAndTheReason() {
    assertThatThrownBy(() -> RuleSet.parse("# ok\ndeny write a\npermit write b", "rules.txt"))
        .isInstanceOf(RulesFileException.class)
        .hasMessage("rules.txt:3: expected allow or deny, found 'permit'");
    assertThatThrownBy(() -> RuleSet.parse("deny write a sise>3", "r")).hasMessageStartingWith("r:1: unknown condition 'sise>3'");
    assertThatThrownBy(() -> RuleSet.parse("deny write a size>x", "r")).hasMessage("r:1: 'size>' needs a whole number ≥ 0, found 'x'");
    assertThatThrownBy(() -> RuleSet.parse("deny read a exists", "r")).hasMessageStartingWith("r:1: read rules take no conditions");
    assertThatThrownBy(() -> RuleSet.parse("deny write a \"why", "r")).hasMessage("r:1: a reason is a quoted text at the end of the line");
    assertThatThrownBy(() -> RuleSet.parse("deny write", "r")).hasMessageStartingWith("r:1: expected: allow|deny");
  }
}
