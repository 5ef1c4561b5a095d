package io.jgun.radata;

import io.jgun.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the current RAD file format (docs/protocol.md §11.2): one {@code JSON.stringify} of a radix
 * tree. Each property of an object is an edge label; the property {@code ""} holds the value stored
 * at the key spelled by the labels above it. Streams with a {@link JsonCursor}, so the file is
 * never held as a tree; only leaves are materialized.
 *
 * <p>Besides well-formed trees it recognizes the shapes Gun.js's own parser leaves behind (§11.6):
 * edges labelled {@code "undefined"} (reported as such; Gun.js skips them), and leaves whose {@code
 * ""} wrapper is gone, i.e. {@code ":"}/{@code ">"} properties holding plain values directly in a
 * branch.
 */
final class JsonTree {
  private JsonTree() {}

  /** Deep enough for any radix tree radisk writes; bounds the walker's recursion. */
  static final int MAX_DEPTH = 2000;

  /** The text is valid JSON but not an object, so not a radix tree. */
  static final class NotATree extends Exception {
    private static final long serialVersionUID = 1L;

    NotATree(String message) {
      super(message);
    }
  }

  /**
   * Walks {@code text}, reporting to {@code sink}.
   *
   * @throws JsonCursor.SyntaxError when the text is not JSON; leaves before the error have been
   *     reported
   * @throws NotATree when it is JSON but not an object
   */
  static void walk(String text, TreeSink sink) throws JsonCursor.SyntaxError, NotATree {
    JsonCursor p = new JsonCursor(text, MAX_DEPTH);
    Walker w = new Walker(p, sink);
    JsonCursor.Token t = p.next();
    if (t == null) {
      throw new JsonCursor.SyntaxError("no JSON value", 0);
    }
    if (t != JsonCursor.Token.START_OBJECT) {
      w.value(t); // the rest must still be valid JSON
      p.next();
      throw new NotATree("valid JSON but " + describe(t) + ", not a radix tree (an object)");
    }
    String link = w.node("", false);
    if (link != null) {
      sink.stray("", linkJson(link), false);
    }
    p.next(); // checks that nothing follows
  }

  private static String describe(JsonCursor.Token t) {
    switch (t) {
      case START_ARRAY:
        return "an array";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case NULL:
        return "null";
      default:
        return "a boolean";
    }
  }

  private static Json linkJson(String soul) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("#", Json.of(soul));
    return new Json.Obj(m);
  }

  private static final class Walker {
    private final JsonCursor p;
    private final TreeSink sink;
    private @Nullable String outOfRange;

    Walker(JsonCursor p, TreeSink sink) {
      this.p = p;
      this.sink = sink;
    }

    /**
     * Walks the object whose START_OBJECT was just read, at key {@code prefix}. Returns the soul
     * when the object is exactly {@code {"#": string}} (a link value that lost its leaf: the caller
     * decides), else null.
     */
    @Nullable String node(String prefix, boolean undefinedEdge) throws JsonCursor.SyntaxError {
      Map<String, Json> loose = null; // plain values in branch position, in file order
      int props = 0;
      JsonCursor.Token t;
      while ((t = p.next()) == JsonCursor.Token.NAME) {
        String name = p.text();
        JsonCursor.Token v = p.next();
        props++;
        if (name.isEmpty()) {
          Json leaf = value(v);
          sink.leaf(prefix, leaf, false, undefinedEdge, takeOutOfRange());
        } else if (v == JsonCursor.Token.START_OBJECT) {
          String link = node(prefix + name, undefinedEdge || "undefined".equals(name));
          if (link != null) {
            loose = put(loose, name, linkJson(link));
          }
        } else {
          loose = put(loose, name, value(v));
          takeOutOfRange(); // the stray is reported with its text
        }
      }
      // t is END_OBJECT: the cursor checks the grammar
      if (loose == null) {
        return null;
      }
      if (props == 1) {
        Json hash = loose.get("#");
        if (hash instanceof Json.Str) {
          return ((Json.Str) hash).value();
        }
      }
      settle(prefix, loose, undefinedEdge);
      return null;
    }

    /** Reports the plain values found in a branch: a leaf without wrapper, or strays. */
    private void settle(String prefix, Map<String, Json> loose, boolean undefinedEdge) {
      if (loose.containsKey(":") || loose.containsKey(">")) {
        Map<String, Json> leaf = new LinkedHashMap<>();
        for (String k : List.of(":", ">", "undefined")) {
          Json v = loose.remove(k);
          if (v != null) {
            leaf.put(k, v);
          }
        }
        sink.leaf(prefix, new Json.Obj(leaf), true, undefinedEdge, null);
      }
      for (Map.Entry<String, Json> e : loose.entrySet()) {
        sink.stray(prefix + e.getKey(), e.getValue(), undefinedEdge);
      }
    }

    private static Map<String, Json> put(@Nullable Map<String, Json> m, String k, Json v) {
      Map<String, Json> out = m == null ? new LinkedHashMap<>() : m;
      out.put(k, v);
      return out;
    }

    private TreeSink.@Nullable Problem takeOutOfRange() {
      String s = outOfRange;
      outOfRange = null;
      return s == null ? null : new TreeSink.Problem(Damage.Kind.BAD_LEAF, s);
    }

    /** The value starting at {@code t} as a tree (leaves are small). */
    Json value(JsonCursor.@Nullable Token t) throws JsonCursor.SyntaxError {
      if (t == null) {
        throw new JsonCursor.SyntaxError("unexpected end of input", p.offset());
      }
      switch (t) {
        case START_OBJECT:
          {
            Map<String, Json> m = new LinkedHashMap<>();
            while (p.next() == JsonCursor.Token.NAME) {
              String name = p.text();
              m.put(name, value(p.next()));
            }
            return new Json.Obj(m);
          }
        case START_ARRAY:
          {
            List<Json> items = new ArrayList<>();
            JsonCursor.Token e;
            while ((e = p.next()) != JsonCursor.Token.END_ARRAY) {
              items.add(value(e));
            }
            return new Json.Arr(items);
          }
        case STRING:
          return Json.of(p.text());
        case NUMBER:
          {
            double d = p.number();
            if (Double.isFinite(d)) {
              return Json.of(d);
            }
            // JSON.parse reads it as Infinity, which no GUN value or state may be.
            outOfRange = "the number " + p.text() + " is out of range (Infinity in JavaScript)";
            return Json.of(p.text());
          }
        case TRUE:
          return Json.TRUE;
        case FALSE:
          return Json.FALSE;
        case NULL:
          return Json.NULL;
        default:
          throw new JsonCursor.SyntaxError("unexpected " + t, p.offset());
      }
    }
  }
}
