package io.jgun.store;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Lex;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The simplest store that could work, written from docs/protocol.md independently of the stores
 * under test: HAM as "greatest (state, JSON text) wins", reads as brute-force filters of sorted
 * maps with the budget spelled out. Stores are checked against it.
 */
public final class StoreModel {
  private final TreeMap<String, TreeMap<String, Field>> souls = new TreeMap<>();

  /** Applies a put; returns the accepted diff. */
  public Graph apply(Graph g) {
    Map<String, Node> accepted = new LinkedHashMap<>();
    for (Node n : g.nodes().values()) {
      Map<String, Field> took = new LinkedHashMap<>();
      for (Map.Entry<String, Field> e : n.fields().entrySet()) {
        Field in = e.getValue();
        if (in.state() == 0) {
          in = new Field(in.value(), 0.0); // -0 is stored as 0
        }
        Field held = field(n.soul(), e.getKey());
        if (wins(in, held)) {
          souls.computeIfAbsent(n.soul(), s -> new TreeMap<>()).put(e.getKey(), in);
          took.put(e.getKey(), in);
        }
      }
      if (!took.isEmpty()) {
        accepted.put(n.soul(), new Node(n.soul(), took));
      }
    }
    return new Graph(accepted);
  }

  /** Whether {@code in} replaces {@code held}: a newer state, or the same and a greater JSON text. */
  public static boolean wins(Field in, @Nullable Field held) {
    if (held == null || in.state() > held.state()) {
      return true;
    }
    return in.state() == held.state() && in.value().json().compareTo(held.value().json()) > 0;
  }

  public @Nullable Field field(String soul, String key) {
    TreeMap<String, Field> m = souls.get(soul);
    return m == null ? null : m.get(key);
  }

  public Node node(String soul) {
    TreeMap<String, Field> m = souls.get(soul);
    return m == null ? Node.empty(soul) : new Node(soul, m);
  }

  /** All nodes, in soul order. */
  public List<Node> all() {
    List<Node> out = new ArrayList<>();
    souls.forEach((s, m) -> out.add(new Node(s, m)));
    return out;
  }

  public Page keys(String soul, Lex lex, Limit limit) {
    TreeMap<String, Field> m = souls.get(soul);
    if (m == null) {
      return Page.EMPTY;
    }
    List<String> keys = new ArrayList<>(m.keySet());
    if (lex.reverse()) {
      Collections.reverse(keys);
    }
    Map<String, Field> took = new LinkedHashMap<>();
    long spent = 0;
    boolean more = false;
    for (String k : keys) {
      if (!lex.matches(k)) {
        continue;
      }
      // the first match is always taken; later ones while the budget is not spent
      if (!took.isEmpty() && (spent >= limit.budget() || took.size() >= limit.maxFields())) {
        more = true;
        break;
      }
      Field f = m.get(k);
      took.put(k, f);
      spent += cost(f.value());
    }
    return took.isEmpty() ? Page.EMPTY : new Page(Graph.of(new Node(soul, took)), more);
  }

  public Page souls(Lex lex, Limit limit) {
    List<String> names = new ArrayList<>(souls.keySet());
    if (lex.reverse()) {
      Collections.reverse(names);
    }
    Map<String, Node> took = new LinkedHashMap<>();
    long spent = 0;
    int count = 0;
    boolean more = false;
    outer:
    for (String s : names) {
      if (!lex.matches(s)) {
        continue;
      }
      if (!took.isEmpty() && (spent >= limit.budget() || count >= limit.maxFields())) {
        more = true;
        break;
      }
      Map<String, Field> fields = new LinkedHashMap<>();
      for (Map.Entry<String, Field> e : souls.get(s).entrySet()) {
        if (count >= limit.maxFields()) {
          more = true;
          if (!fields.isEmpty()) {
            took.put(s, new Node(s, fields));
          }
          break outer;
        }
        fields.put(e.getKey(), e.getValue());
        spent += cost(e.getValue().value());
        count++;
      }
      took.put(s, new Node(s, fields));
    }
    return took.isEmpty() && !more ? Page.EMPTY : new Page(new Graph(took), more);
  }

  private static int cost(Value v) {
    return v instanceof Value.Text && !((Value.Text) v).value().isEmpty()
        ? ((Value.Text) v).value().length()
        : 9;
  }

  /** A page as an ordered list of "soul|key|field" lines, so that order is compared too. */
  public static List<String> lines(Page p) {
    List<String> out = new ArrayList<>();
    for (Node n : p.graph().nodes().values()) {
      n.fields().forEach((k, f) -> out.add(esc(n.soul() + "|" + k + "|" + f.state() + "|" + f.value().json())));
    }
    out.add("more=" + p.more());
    return out;
  }

  /** Nodes as ordered lines. */
  public static List<String> lines(List<Node> nodes) {
    List<String> out = new ArrayList<>();
    for (Node n : nodes) {
      n.fields().forEach((k, f) -> out.add(esc(n.soul() + "|" + k + "|" + f.state() + "|" + f.value().json())));
    }
    return out;
  }

  /** Readable in a failure message: every character outside printable ASCII as a \\u escape. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7F) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.toString();
  }
}
