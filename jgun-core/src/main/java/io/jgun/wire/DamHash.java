package io.jgun.wire;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.JsNumber;
import io.jgun.json.JsonText;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The DAM content hash {@code ##} (docs/protocol.md §4.6, §7): Gun.js's {@code String.hash} of the
 * put graph's JSON text with the keys of every object sorted. Relays compare it with other peers'
 * hashes of the same answer to drop duplicate replies, so it must match Gun.js exactly; a mismatch
 * only costs dedup efficiency, never correctness.
 *
 * <p>The sorted text ({@link #canonicalJson}) is also what Gun.js splices into the outgoing frame,
 * so a reply carrying {@code ##} should be written with it.
 */
public final class DamHash {
  private DamHash() {}

  /** The key that JavaScript's sorter drops: assigning it sets the prototype, not a property. */
  private static final String PROTO = "__proto__";

  /**
   * Gun.js's {@code String.hash(s)}: {@code h = 31 * h + unit} over the UTF-16 code units of
   * {@code s}, wrapping to a signed 32-bit integer, 0 for the empty string (docs/protocol.md §7).
   *
   * <p>This is, by the Java Language Specification, exactly {@link String#hashCode()} (same code
   * units, same multiplier, same int overflow; Gun.js's chunked loop carries {@code h} across
   * chunks and so hashes the whole string the same way), which the JVM also caches per string.
   */
  public static int hash(String s) {
    return s.hashCode();
  }

  /** The {@code ##} of a reply carrying {@code put}: {@code hash(canonicalJson(put))}. */
  public static int hashPut(Graph put) {
    return hash(canonicalJson(put));
  }

  /**
   * {@code JSON.stringify(put, sorter)} where the sorter rebuilds every object with its keys in
   * {@code Object.keys(v).sort()} order: array-index keys first, numerically (JavaScript objects
   * always order them so), then the other keys in UTF-16 code unit order ({@link
   * JsonText#compareCanonical}), at every level, {@code _} and {@code >} included. A node is
   * {@code {"_":{"#":soul,">":{key:state,...}},key:value,...}}; a link is {@code {"#":soul}}.
   *
   * <p>Like the JavaScript sorter, this drops any soul or key named {@code __proto__}: the
   * sorter's {@code t[k] = v[k]} sets the new object's prototype instead of a property.
   */
  public static String canonicalJson(Graph put) {
    StringBuilder out = new StringBuilder(64 + 64 * put.fieldCount());
    appendCanonicalJson(out, put);
    return out.toString();
  }

  /** Appends {@link #canonicalJson(Graph)} of {@code put} to {@code out}. */
  public static void appendCanonicalJson(StringBuilder out, Graph put) {
    Map<String, Node> nodes = put.nodes();
    out.append('{');
    boolean first = true;
    for (String soul : sortedKeys(nodes.keySet().toArray(new String[0]))) {
      if (soul.equals(PROTO)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonText.appendQuoted(out, soul);
      out.append(':');
      appendNode(out, Objects.requireNonNull(nodes.get(soul)));
    }
    out.append('}');
  }

  private static void appendNode(StringBuilder out, Node node) {
    Map<String, Field> fields = node.fields();
    String[] keys = new String[fields.size() + 1];
    int i = 0;
    for (String k : fields.keySet()) {
      keys[i++] = k;
    }
    keys[i] = "_"; // never a field name (Node forbids it), so it is sorted in exactly once
    sortedKeys(keys);
    out.append('{');
    boolean first = true;
    for (String key : keys) {
      if (key.equals(PROTO)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonText.appendQuoted(out, key);
      out.append(':');
      if (key.equals("_")) {
        appendMeta(out, node.soul(), keys, fields);
      } else {
        MessageWriter.appendValue(out, Objects.requireNonNull(fields.get(key)).value());
      }
    }
    out.append('}');
  }

  /** {@code {"#":soul,">":{...}}}: "#" sorts before ">"; the states in the fields' sorted order. */
  private static void appendMeta(StringBuilder out, String soul, String[] sortedKeys, Map<String, Field> fields) {
    out.append("{\"#\":");
    JsonText.appendQuoted(out, soul);
    out.append(",\">\":{");
    boolean first = true;
    for (String key : sortedKeys) {
      if (key.equals("_") || key.equals(PROTO)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonText.appendQuoted(out, key);
      out.append(':');
      JsNumber.appendTo(out, Objects.requireNonNull(fields.get(key)).state());
    }
    out.append("}}");
  }

  private static String[] sortedKeys(String[] keys) {
    Arrays.sort(keys, JsonText::compareCanonical);
    return keys;
  }
}
