package io.jgun.wire;

import io.jgun.graph.Lex;
import io.jgun.json.Json;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code get} of a message (spec §3.2): a soul (or a lex condition on souls), optionally a key
 * (or a lex condition on keys), a limit {@code %} and a reverse flag {@code -}.
 *
 * <p>The raw object is kept so that a forwarded GET is sent on exactly as it came, unknown keys
 * included.
 */
public record Get(Json.Obj raw, @Nullable Lex soul, @Nullable Lex key, @Nullable Double limit, boolean reverse) {
  public Get {
    Objects.requireNonNull(raw, "raw");
  }

  /**
   * The GET a wire object stands for (spec §3.2): {@code #} and {@code .} each a string (exact) or
   * a lex object ({@code =}, {@code *}, {@code >}, {@code <} strings, {@code %} a number, {@code -}
   * by JavaScript truthiness); {@code %} a number and {@code -} truthiness on the GET itself. A
   * {@code #} or {@code .} of another type, or a lex object whose {@code =}, {@code *}, {@code >}
   * or {@code <} is not a string, gives a null condition; {@code raw} is kept whole either way.
   */
  public static Get of(Json.Obj raw) {
    Json limit = raw.get("%");
    return new Get(
        raw,
        lex(raw.get("#")),
        lex(raw.get(".")),
        limit instanceof Json.Num ? ((Json.Num) limit).value() : null,
        truthy(raw.get("-")));
  }

  private static final String[] LEX_KEYS = {"=", "*", ">", "<"};

  private static @Nullable Lex lex(@Nullable Json json) {
    if (json instanceof Json.Str) {
      return Lex.exact(((Json.Str) json).value());
    }
    if (!(json instanceof Json.Obj)) {
      return null;
    }
    Json.Obj o = (Json.Obj) json;
    String[] parts = new String[LEX_KEYS.length];
    for (int i = 0; i < LEX_KEYS.length; i++) {
      Json v = o.get(LEX_KEYS[i]);
      if (v == null) {
        continue;
      }
      if (!(v instanceof Json.Str)) {
        return null; // Gun.js would compare with JavaScript's loose coercions: not representable
      }
      parts[i] = ((Json.Str) v).value();
    }
    Json limit = o.get("%");
    return new Lex(
        parts[0],
        parts[1],
        parts[2],
        parts[3],
        limit instanceof Json.Num ? ((Json.Num) limit).value() : null,
        truthy(o.get("-")));
  }

  /** JavaScript truthiness of a JSON value; absent is false. */
  static boolean truthy(@Nullable Json json) {
    if (json == null || json == Json.NULL) {
      return false;
    }
    if (json instanceof Json.Bool) {
      return ((Json.Bool) json).value();
    }
    if (json instanceof Json.Num) {
      return ((Json.Num) json).value() != 0;
    }
    if (json instanceof Json.Str) {
      return !((Json.Str) json).value().isEmpty();
    }
    return true; // objects and arrays
  }

  /** The soul, when the GET names one exactly (the common case), else null. */
  public @Nullable String exactSoul() {
    return soul != null && soul.eq() != null && isPlain(soul) ? soul.eq() : null;
  }

  /** The key, when the GET names one field exactly, else null. */
  public @Nullable String exactKey() {
    return key != null && key.eq() != null && isPlain(key) ? key.eq() : null;
  }

  private static boolean isPlain(Lex lex) {
    return lex.prefix() == null && lex.from() == null && lex.to() == null;
  }
}
