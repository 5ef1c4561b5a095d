package io.jgun.rules;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.mesh.PutGuard;
import io.jgun.mesh.ReadGuard;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@link AccessRules} as the mesh's guards: every field of an incoming put is checked (the first
 * refused field refuses the put, as SEA's firewall does), and every GET. Chain it after SEA's
 * firewall ({@code sea.then(rules)}) so that the signers it names are verified ones.
 */
public final class RulesGuard implements PutGuard, ReadGuard {
  private final AccessRules rules;
  private final Identities identities;

  public RulesGuard(AccessRules rules, Identities identities) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.identities = Objects.requireNonNull(identities, "identities");
  }

  @Override
  public Verdict check(Graph put, FieldReader graph) {
    for (Node node : put.nodes().values()) {
      String owner = identities.owner(node.soul());
      for (Map.Entry<String, Field> f : node.fields().entrySet()) {
        String signer = identities.signer(node.soul(), f.getValue());
        String why = rules.checkWrite(new WriteRequest(node, f.getKey(), f.getValue(), signer, owner, graph, identities));
        if (why != null) {
          return PutGuard.reject(node.soul(), f.getKey(), why);
        }
      }
    }
    return PutGuard.ACCEPT;
  }

  @Override
  public @Nullable String refusal(String soul, @Nullable String key) {
    return rules.checkRead(soul, key);
  }
}
