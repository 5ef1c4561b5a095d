package io.jgun.radata;

import io.jgun.graph.Value;
import io.jgun.json.JsNumber;
import io.jgun.json.JsonText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;

/**
 * Writes RAD files the way radisk lays them out (docs/protocol.md §11.2): a JSON radix tree
 * whose labels concatenate to keys and whose {@code ""} properties hold the leaves. Test-side only.
 */
final class RadTrees {
  private RadTrees() {}

  static String leaf(Value v, double state) {
    return "{\":\":" + v.json() + ",\">\":" + JsNumber.format(state) + "}";
  }

  /**
   * The tree of {@code leaves} (key → leaf JSON text). With a random source, labels are split at
   * random points (radisk's insertion can leave such non-minimal trees) and siblings are shuffled
   * (radisk writes them in insertion order).
   */
  static String json(SortedMap<String, String> leaves, Random rnd) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(leaves.entrySet());
    StringBuilder out = new StringBuilder();
    node(entries, 0, rnd, out);
    return out.toString();
  }

  static String json(SortedMap<String, String> leaves) {
    return json(leaves, null);
  }

  private static void node(
      List<Map.Entry<String, String>> entries, int depth, Random rnd, StringBuilder out) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    if (!entries.isEmpty() && entries.get(0).getKey().length() == depth) {
      parts.add("\"\":" + entries.get(0).getValue());
      i = 1;
    }
    while (i < entries.size()) {
      char c = entries.get(i).getKey().charAt(depth);
      int j = i;
      while (j < entries.size() && entries.get(j).getKey().charAt(depth) == c) {
        j++;
      }
      List<Map.Entry<String, String>> group = entries.subList(i, j);
      int lcp = commonPrefix(group);
      String first = group.get(0).getKey();
      StringBuilder child = new StringBuilder();
      if (rnd != null && lcp - depth >= 2 && rnd.nextInt(3) == 0) {
        int cut = depth + 1 + rnd.nextInt(lcp - depth - 1);
        StringBuilder inner = new StringBuilder();
        node(group, lcp, rnd, inner);
        child.append(JsonText.quote(first.substring(depth, cut))).append(":{");
        child.append(JsonText.quote(first.substring(cut, lcp))).append(':').append(inner);
        child.append('}');
      } else {
        StringBuilder inner = new StringBuilder();
        node(group, lcp, rnd, inner);
        child.append(JsonText.quote(first.substring(depth, lcp))).append(':').append(inner);
      }
      parts.add(child.toString());
      i = j;
    }
    if (rnd != null) {
      Collections.shuffle(parts, rnd);
    }
    out.append('{').append(String.join(",", parts)).append('}');
  }

  private static int commonPrefix(List<Map.Entry<String, String>> group) {
    String a = group.get(0).getKey();
    String b = group.get(group.size() - 1).getKey(); // sorted: first and last bound the prefix
    int n = Math.min(a.length(), b.length());
    int k = 0;
    while (k < n && a.charAt(k) == b.charAt(k)) {
      k++;
    }
    return k;
  }
}
