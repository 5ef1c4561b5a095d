package io.jgun.radata;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a format reader found at a key into an {@link Atom}, or a {@link Damage} saying why
 * not (docs/protocol.md §11.1, §11.7 steps 1, 3, 4).
 *
 * <p>A well-formed leaf is {@code {":": value, ">": state}} at a key {@code soul ESC field}; a
 * v0.2019 leaf is the ESC-framed string {@code enc(value) ">" enc(state)}, decoded as lib/store.js
 * does ({@code lastIndexOf('>')}). Salvage imports a damaged entry when a whole atom can be read
 * from it: a leaf whose one label became {@code "undefined"} (the other label says which one it
 * was), a leaf that lost its {@code ""} wrapper at a key that splits into soul and field (the
 * recovery docs/protocol.md §11.6 describes), and data under an edge labelled {@code "undefined"}
 * at a key that splits (a real key may contain "undefined"; a lost label gives a wrong key: the
 * report says so).
 * Everything else (no state, no value, a key without soul and field) is never imported.
 */
final class AtomDecoder {
  private final boolean salvage;

  AtomDecoder(boolean salvage) {
    this.salvage = salvage;
  }

  boolean salvages() {
    return salvage;
  }

  /** The result: an atom, a damage, or both (salvaged). */
  record Decoded(@Nullable Atom atom, @Nullable Damage damage) {}

  Decoded decode(
      String file,
      String key,
      Json leaf,
      boolean unwrapped,
      boolean undefinedEdge,
      TreeSink.@Nullable Problem problem) {
    Damage.Kind kind = null;
    List<String> why = new ArrayList<>();
    boolean recoverable = true;
    if (problem != null) {
      kind = problem.kind();
      why.add(problem.detail());
      recoverable = false;
    }
    if (undefinedEdge) {
      kind = first(kind, Damage.Kind.UNDEFINED_EDGE);
      why.add(
          "the key crosses an edge labelled \"undefined\", which Gun.js skips when reading: either"
              + " Gun.js's parser lost the real label (docs/protocol.md §11.6) or the key really"
              + " contains \"undefined\"");
    }
    if (unwrapped) {
      kind = first(kind, Damage.Kind.MISSING_WRAPPER);
      why.add("a leaf without its \"\" wrapper (docs/protocol.md §11.6)");
    }

    // The value and the state, wherever the damage left them.
    Json value = null;
    Json state = null;
    if (leaf instanceof Json.Obj) {
      Json.Obj o = (Json.Obj) leaf;
      Json colon = o.get(":");
      Json gt = o.get(">");
      Json undef = o.get("undefined");
      if (colon != null && gt != null) {
        value = colon;
        state = gt;
      } else if (colon != null && undef != null && o.fields().size() == 2) {
        value = colon;
        state = undef;
        kind = first(kind, Damage.Kind.LEAF_LABEL_LOST);
        why.add("the leaf's \">\" (state) label became \"undefined\" (docs/protocol.md §11.6)");
      } else if (gt != null && undef != null && o.fields().size() == 2) {
        value = undef;
        state = gt;
        kind = first(kind, Damage.Kind.LEAF_LABEL_LOST);
        why.add("the leaf's \":\" (value) label became \"undefined\" (docs/protocol.md §11.6)");
      } else {
        recoverable = false;
        if (undef != null) {
          kind = first(kind, Damage.Kind.LEAF_LABEL_LOST);
          String lost = missing(colon, gt);
          why.add(
              "the leaf's labels became \"undefined\": its "
                  + lost
                  + (lost.contains(" and ") ? " are" : " is")
                  + " lost");
          value = colon;
          state = gt != null ? gt : undef;
        } else {
          kind = first(kind, Damage.Kind.BAD_LEAF);
          why.add(
              colon == null && gt == null
                  ? "not a GUN leaf {\":\": value, \">\": state}"
                  : "a leaf without " + missing(colon, gt));
          value = colon;
          state = gt;
        }
      }
    } else if (leaf instanceof Json.Str) {
      String s = ((Json.Str) leaf).value();
      int cut = s.lastIndexOf('>');
      try {
        if (cut < 0) {
          throw new LegacyCodec.Malformed("no '>' between value and state");
        }
        value = LegacyCodec.decodeWhole(s.substring(0, cut), RadKeys.ESC);
        state = LegacyCodec.decodeWhole(s.substring(cut + 1), RadKeys.ESC);
      } catch (LegacyCodec.Malformed e) {
        kind = first(kind, Damage.Kind.BAD_LEAF);
        why.add("not a v0.2019 value>state leaf: " + e.getMessage());
        recoverable = false;
        value = leaf;
      }
    } else {
      kind = first(kind, Damage.Kind.BAD_LEAF);
      why.add("a plain value, not a GUN leaf {\":\": value, \">\": state}");
      recoverable = false;
      value = leaf;
    }

    Value v = null;
    if (value != null && recoverable) {
      v = toValue(value);
      if (v == null) {
        kind = first(kind, Damage.Kind.BAD_LEAF);
        why.add("the value is not a GUN value (string, number, boolean, null or {\"#\": soul})");
        recoverable = false;
      }
    }
    Double st = state instanceof Json.Num ? ((Json.Num) state).value() : null;
    if (recoverable && st == null) {
      kind = first(kind, Damage.Kind.BAD_LEAF);
      why.add("the state is not a number");
      recoverable = false;
    }
    String keyProblem = RadKeys.keyProblem(key);
    if (keyProblem != null) {
      kind = first(kind, Damage.Kind.BAD_KEY);
      why.add("the key does not name a field: " + keyProblem);
      recoverable = false;
    }

    Atom atom = null;
    if (recoverable && v != null && st != null) {
      int esc = key.indexOf(RadKeys.ESC);
      atom = new Atom(key.substring(0, esc), key.substring(esc + 1), new Field(v, st), file);
    }
    if (kind == null) {
      return new Decoded(atom, null);
    }
    boolean imported = atom != null && salvage;
    if (!imported) {
      if (atom != null) {
        why.add("salvage would import it");
      }
      atom = null;
    }
    Damage damage =
        new Damage(
            file,
            kind,
            key,
            String.join("; ", why),
            value == null ? null : shorten(value.toJs()),
            st,
            imported ? Damage.Outcome.IMPORTED : Damage.Outcome.SKIPPED);
    return new Decoded(atom, damage);
  }

  private static Damage.Kind first(Damage.@Nullable Kind kind, Damage.Kind k) {
    return kind == null ? k : kind;
  }

  private static String missing(@Nullable Json colon, @Nullable Json gt) {
    if (colon == null && gt == null) {
      return "value and state";
    }
    return colon == null ? "value" : "state";
  }

  /** The GUN value a JSON value stands for, or null when GUN has no such value. */
  static @Nullable Value toValue(Json j) {
    if (j instanceof Json.Str) {
      return Value.text(((Json.Str) j).value());
    }
    if (j instanceof Json.Num) {
      return Value.number(((Json.Num) j).value());
    }
    if (j instanceof Json.Bool) {
      return Value.bool(((Json.Bool) j).value());
    }
    if (j == Json.NULL) {
      return Value.NULL;
    }
    if (j instanceof Json.Obj) {
      Json.Obj o = (Json.Obj) j;
      Json soul = o.get("#");
      if (o.fields().size() == 1
          && soul instanceof Json.Str
          && !((Json.Str) soul).value().isEmpty()) {
        return Value.link(((Json.Str) soul).value());
      }
    }
    return null;
  }

  static String shorten(String json) {
    return json.length() <= 200 ? json : json.substring(0, 200) + "…";
  }
}
