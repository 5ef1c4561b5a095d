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
