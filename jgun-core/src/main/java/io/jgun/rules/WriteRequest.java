package io.jgun.rules;

import io.jgun.graph.Field;
import io.jgun.graph.Node;
import io.jgun.mesh.PutGuard;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One incoming field as the rules see it: where it goes, what it holds, who signed it, and what
 * the graph already has. What needs a graph read is read only when a rule asks.
 */
public final class WriteRequest {
  private final Node incoming;
  private final String key;
  private final Field field;
  private final @Nullable String signer;
  private final @Nullable String owner;
  private final PutGuard.FieldReader graph;
  private final Identities identities;

  WriteRequest(Node incoming, String key, Field field, @Nullable String signer, @Nullable String owner, PutGuard.FieldReader graph, Identities identities) {
    this.incoming = incoming;
    this.key = key;
    this.field = field;
    this.signer = signer;
    this.owner = owner;
    this.graph = graph;
    this.identities = identities;
  }

  /** The soul written to. */
  public String soul() {
    return incoming.soul();
  }

  /** The key written. */
  public String key() {
    return key;
  }

  /** The value and state written. */
  public Field field() {
    return field;
  }

  /** The size of the value: the length of its JSON text. */
  public int valueSize() {
    return field.value().json().length();
  }

  /** The pub that signed the write (verified by SEA's firewall), or null. */
  public @Nullable String signer() {
    return signer;
  }

  /** The pub owning the soul (a user soul), or null. */
  public @Nullable String owner() {
    return owner;
  }

  /** The field as stored now, or null when the key is new. */
  public @Nullable Field current() {
    return graph.field(soul(), key);
  }

  /** Reads the graph: one field, or null. */
  public @Nullable Field read(String soul, String key) {
    return graph.field(soul, key);
  }

  /** Whether {@code key} of {@code soul} says "yes" in a list kept in the graph ({@link Identities#listed}). */
  public boolean listed(String soul, String key) {
    return identities.listed(graph.field(soul, key));
  }

  /**
   * How many fields the node will hold if the put is written: its stored keys and the put's new
   * ones. Reads the whole stored node.
   */
  public int fieldsAfter() {
    Node stored = graph.node(soul());
    if (stored == null) {
      return incoming.fields().size();
    }
    Set<String> keys = new HashSet<>(stored.fields().keySet());
    keys.addAll(incoming.fields().keySet());
    return keys.size();
  }
}
