package io.jgun.wire;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.JsNumber;
import io.jgun.json.Json;
import io.jgun.json.JsonText;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@link Message}s as JavaScript's {@code JSON.stringify} would (docs/protocol.md §3, §7):
 * JS number formatting, JS string escaping, and, for replies that carry a {@code ##}, key-sorted
 * nodes.
 *
 * <p>A message's own keys are written in canonical order ({@link JsonText#compareCanonical}:
 * {@code #}, {@code ##}, {@code %}, {@code ><}, {@code @}, {@code dam}, {@code err}, {@code get},
 * {@code ok}, {@code pid}, {@code put}, with {@link Message#extra} keys merged in their sorted
 * places), which is how a stock Gun.js relay writes them. Any order is legal on the wire; this one
 * makes jgun's replies byte-identical to a relay's.
 *
 * <p>The {@code put} graph of a message with a {@code ##} is written in canonical form ({@link
 * DamHash#appendCanonicalJson}), because Gun.js hashes that text and splices it verbatim into the frame
 * (§4.6). Other puts are written node by node in field order, each node as {@code
 * {"_":{"#":soul,">":{states}},fields…}}. {@code get}, {@code ok}, {@code err}, {@code %} and extra
 * fields are written from their {@link Json} (JavaScript property order). {@link
 * Message#invalidPut} is never written.
 */
public final class MessageWriter {
  private MessageWriter() {}

  /** The text of one message. */
  public static String write(Message message) {
    StringBuilder out = new StringBuilder(estimate(message));
    appendTo(out, message);
    return out.toString();
  }

  /** The text of a batch: a JSON array of the messages. */
  public static String writeBatch(List<Message> messages) {
    int size = 2;
    for (Message m : messages) {
      size += estimate(m) + 1;
    }
    StringBuilder out = new StringBuilder(size);
    out.append('[');
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendTo(out, messages.get(i));
    }
    out.append(']');
    return out.toString();
  }

  /** Appends the text of one message. */
  public static void appendTo(StringBuilder out, Message m) {
    String[] extras = extraKeys(m);
    int e = 0;
    boolean first = true;
    out.append('{');
    // The typed keys, in canonical order; extras are merged in before the first key they sort below.
    for (int k = 0; k < TYPED.length; k++) {
      if (!present(m, k)) {
        continue;
      }
      while (e < extras.length && JsonText.compareCanonical(extras[e], TYPED[k]) < 0) {
        first = appendExtra(out, m, extras[e++], first);
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(QUOTED[k]);
      appendTyped(out, m, k);
    }
    while (e < extras.length) {
      first = appendExtra(out, m, extras[e++], first);
    }
    out.append('}');
  }

  private static final String[] TYPED = {"#", "##", "%", "><", "@", "dam", "err", "get", "ok", "pid", "put"};
  private static final String[] QUOTED = new String[TYPED.length];
  private static final String[] NO_EXTRAS = {};

  static {
    for (int i = 0; i < TYPED.length; i++) {
      QUOTED[i] = JsonText.quote(TYPED[i]) + ':';
    }
  }

  private static boolean present(Message m, int k) {
    switch (k) {
      case 0:
        return m.id() != null;
      case 1:
        return m.hash() != null;
      case 2:
        return m.more() != null;
      case 3:
        return m.route() != null;
      case 4:
        return m.ack() != null;
      case 5:
        return m.dam() != null;
      case 6:
        return m.err() != null;
      case 7:
        return m.get() != null;
      case 8:
        return m.ok() != null;
      case 9:
        return m.pid() != null;
      default:
        return m.put() != null;
    }
  }

  private static void appendTyped(StringBuilder out, Message m, int k) {
    switch (k) {
      case 0:
        JsonText.appendQuoted(out, m.id());
        break;
      case 1:
        out.append(present(m.hash()).intValue());
        break;
      case 2:
        present(m.more()).appendTo(out);
        break;
      case 3:
        JsonText.appendQuoted(out, m.route());
        break;
      case 4:
        JsonText.appendQuoted(out, m.ack());
        break;
      case 5:
        JsonText.appendQuoted(out, m.dam());
        break;
      case 6:
        present(m.err()).appendTo(out);
        break;
      case 7:
        present(m.get()).raw().appendTo(out);
        break;
      case 8:
        present(m.ok()).appendTo(out);
        break;
      case 9:
        JsonText.appendQuoted(out, m.pid());
        break;
      default:
        if (m.hash() != null) {
          DamHash.appendCanonicalJson(out, present(m.put()));
        } else {
          appendGraph(out, present(m.put()));
        }
    }
  }

  /** A field {@link #present} (or the extra key list) has already found set. */
  private static <T> T present(@Nullable T field) {
    return Objects.requireNonNull(field);
  }

  /** The extra keys to write, sorted canonically; a key a typed field already writes is left out. */
  private static String[] extraKeys(Message m) {
    Map<String, Json> extra = m.extra();
    if (extra.isEmpty()) {
      return NO_EXTRAS;
    }
    String[] keys = new String[extra.size()];
    int n = 0;
    outer:
    for (String key : extra.keySet()) {
      for (int k = 0; k < TYPED.length; k++) {
        if (TYPED[k].equals(key) && present(m, k)) {
          continue outer;
        }
      }
      keys[n++] = key;
    }
    keys = n == keys.length ? keys : Arrays.copyOf(keys, n);
    Arrays.sort(keys, JsonText::compareCanonical);
    return keys;
  }

  private static boolean appendExtra(StringBuilder out, Message m, String key, boolean first) {
    if (!first) {
      out.append(',');
    }
    JsonText.appendQuoted(out, key);
    out.append(':');
    present(m.extra().get(key)).appendTo(out);
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Graphs

  /** Appends a graph in node and field order, each node's {@code _} first. */
  static void appendGraph(StringBuilder out, Graph graph) {
    out.append('{');
    boolean firstNode = true;
    for (Map.Entry<String, Node> e : graph.nodes().entrySet()) {
      if (!firstNode) {
        out.append(',');
      }
      firstNode = false;
      JsonText.appendQuoted(out, e.getKey());
      out.append(':');
      Node node = e.getValue();
      Map<String, Field> fields = node.fields();
      out.append("{\"_\":{\"#\":");
      JsonText.appendQuoted(out, node.soul());
      out.append(",\">\":{");
      boolean first = true;
      for (Map.Entry<String, Field> f : fields.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        JsonText.appendQuoted(out, f.getKey());
        out.append(':');
        JsNumber.appendTo(out, f.getValue().state());
      }
      out.append("}}");
      for (Map.Entry<String, Field> f : fields.entrySet()) {
        out.append(',');
        JsonText.appendQuoted(out, f.getKey());
        out.append(':');
        appendValue(out, f.getValue().value());
      }
      out.append('}');
    }
    out.append('}');
  }

  /** Appends a field value as {@code JSON.stringify} writes it. */
  static void appendValue(StringBuilder out, Value v) {
    if (v instanceof Value.Text) {
      JsonText.appendQuoted(out, ((Value.Text) v).value());
    } else if (v instanceof Value.Number) {
      JsNumber.appendTo(out, ((Value.Number) v).value());
    } else if (v instanceof Value.Bool) {
      out.append(((Value.Bool) v).value() ? "true" : "false");
    } else if (v instanceof Value.Link) {
      out.append("{\"#\":");
      JsonText.appendQuoted(out, ((Value.Link) v).soul());
      out.append('}');
    } else {
      out.append("null");
    }
  }

  /** A guess at a message's length, to size the buffer once in the common cases. */
  private static int estimate(Message m) {
    int n = 64;
    if (m.put() != null) {
      n += 48 * m.put().fieldCount() + 64 * m.put().nodes().size();
    }
    return n;
  }
}
