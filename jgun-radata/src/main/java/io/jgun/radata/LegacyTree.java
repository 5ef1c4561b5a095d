package io.jgun.radata;

import io.jgun.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the v0.2019 RAD text format (docs/protocol.md §11.3), which 0.2020.1241 still tries when a
 * file is not JSON. One record per line, fields framed by {@code \x1F}:
 *
 * <pre>
 *   +depth  #"label  [:value]  \n
 * </pre>
 *
 * A record's key is the labels of the records above it (by depth) plus its own label. Gun.js
 * 0.2020.1241 refuses a file whose first record is not at depth 0 ("does not have root radix"), and
 * files the format's own test fixture that way; this reader reads such files, reporting the records
 * whose key cannot be known (no parent record) instead of dropping the whole file.
 */
final class LegacyTree {
  private LegacyTree() {}

  /** The text does not start with a RAD record. */
  static final class NotRad extends Exception {
    private static final long serialVersionUID = 1L;

    NotRad(String message) {
      super(message);
    }
  }

  static void walk(String text, TreeSink sink) throws NotRad {
    char sep = LegacyCodec.UNIT_SEPARATOR;
    LegacyCodec.Framed f;
    int depth;
    try {
      f = LegacyCodec.next(text, 0, sep);
      if (f == null || !f.before().isEmpty() || f.type() != '+') {
        throw new NotRad("neither JSON nor v0.2019 RAD text (no depth record at the start)");
      }
      depth = depth(f);
    } catch (LegacyCodec.Malformed e) {
      throw new NotRad("neither JSON nor v0.2019 RAD text (" + e.getMessage() + ")");
    }
    List<@Nullable String> labels = new ArrayList<>();
    int pos = f.end();
    String key = "";
    try {
      while (true) {
        LegacyCodec.Framed label = LegacyCodec.next(text, pos, sep);
        if (label == null || !label.before().equals("#")) {
          throw new LegacyCodec.Malformed("expected a label (#) at character " + pos);
        }
        if (label.type() != '"') {
          throw new LegacyCodec.Malformed("a label that is not a string at character " + pos);
        }
        while (labels.size() > depth) {
          labels.remove(labels.size() - 1);
        }
        while (labels.size() < depth) {
          labels.add(null); // no record above at this depth: the start of the key is unknown
        }
        labels.add(label.body());
        key = join(labels);
        pos = label.end();
        LegacyCodec.Framed next = LegacyCodec.next(text, pos, sep);
        if (next != null && (next.before().equals(":") || next.before().equals("="))) {
          Json value;
          TreeSink.Problem problem = orphan(labels, depth);
          try {
            value = LegacyCodec.typed(next.type(), next.body());
          } catch (LegacyCodec.Malformed e) {
            value = Json.of(next.body());
            problem =
                new TreeSink.Problem(
                    Damage.Kind.LEGACY_RECORD, "v0.2019 record value: " + e.getMessage());
          }
          sink.leaf(key, value, false, false, problem);
          pos = next.end();
          next = LegacyCodec.next(text, pos, sep);
        }
        if (next == null) {
          String rest = text.substring(pos);
          if (!rest.isEmpty() && !rest.equals("\n")) {
            throw new LegacyCodec.Malformed("unexpected text at character " + pos);
          }
          return;
        }
        if (!next.before().equals("\n") || next.type() != '+') {
          throw new LegacyCodec.Malformed("expected a new record at character " + pos);
        }
        depth = depth(next);
        pos = next.end();
      }
    } catch (LegacyCodec.Malformed e) {
      sink.brokenRecord(
          key,
          e.getMessage()
              + "; the rest of the file ("
              + (text.length() - pos)
              + " characters) cannot be read");
    }
  }

  private static int depth(LegacyCodec.Framed f) throws LegacyCodec.Malformed {
    String b = f.body();
    if (b.isEmpty() || b.length() > 6 || !b.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new LegacyCodec.Malformed("bad record depth " + LegacyCodec.shorten(b));
    }
    return Integer.parseInt(b);
  }

  /** The known part of the key: the labels after the last unknown one. */
  private static String join(List<@Nullable String> labels) {
    StringBuilder s = new StringBuilder();
    for (String l : labels) {
      if (l == null) {
        s.setLength(0);
      } else {
        s.append(l);
      }
    }
    return s.toString();
  }

  private static TreeSink.@Nullable Problem orphan(List<@Nullable String> labels, int depth) {
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i) == null) {
        return new TreeSink.Problem(
            Damage.Kind.LEGACY_RECORD,
            "v0.2019 record at depth "
                + depth
                + " has no parent record at depth "
                + i
                + ": the start of its key is unknown");
      }
    }
    return null;
  }
}
