package io.jgun.wire;

import io.jgun.graph.Lex;
import io.jgun.json.Json;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code get} of a message (docs/protocol.md §3.2): a soul (or a lex condition on souls),
 * optionally a key (or a lex condition on keys), a limit {@code %} and a reverse flag {@code -}.
 *
 * <p>The raw object is kept so that a forwarded GET is sent on exactly as it came, unknown keys
 * included.
 */
public record Get(Json.Obj raw, @Nullable Lex soul, @Nullable Lex key, @Nullable Double limit, boolean reverse) {
  public Get {
    Objects.requireNonNull(raw, "raw");
  }

  /**
   * The GET a wire object stands for (docs/protocol.md §3.2): {@code #} and {@code .} each a string
   * (exact) or a lex object ({@code =}, {@code *}, {@code >}, {@code <} strings, {@code %} a
   * number, {@code -} by JavaScript truthiness); {@code %} a number and {@code -} truthiness on the
   * GET itself. A {@code #} or {@code .} of another type, or a lex object whose {@code =}, {@code
   * *}, {@code >} or {@code <} is not a string, gives a null condition; {@code raw} is kept whole
   * either way.
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

  private static @Nullable Lex lex(@Nullable Json json) {
    return json == null ? null : Lex.fromJson(json);
  }

  /** JavaScript truthiness of a JSON value; absent is false. */
  static boolean truthy(@Nullable Json json) {
    return json != null && Lex.truthy(json);
  }

  /** The soul, when the GET names one exactly (the common case), else null. */
  public @Nullable String exactSoul() {
    return soul != null && soul.isExact() ? soul.eq() : null;
  }

  /** The key, when the GET names one field exactly, else null. */
  public @Nullable String exactKey() {
    return key != null && key.isExact() ? key.eq() : null;
  }

}
