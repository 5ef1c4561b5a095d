package io.jgun.graph;

import org.jspecify.annotations.Nullable;

/**
 * A lexical condition on a soul or a field key (spec §3.2): exact ({@code =}), prefix ({@code *}),
 * range ({@code >} from, {@code <} to, both inclusive), with an optional limit ({@code %}) and
 * direction ({@code -}). A plain string on the wire means exact.
 */
public record Lex(
    @Nullable String eq,
    @Nullable String prefix,
    @Nullable String from,
    @Nullable String to,
    @Nullable Double limit,
    boolean reverse) {

  /** A condition that matches exactly {@code s}. */
  public static Lex exact(String s) {
    return new Lex(s, null, null, null, null, false);
  }

  /** A condition that matches keys starting with {@code p}. */
  public static Lex prefix(String p) {
    return new Lex(null, p, null, null, null, false);
  }

  /** A condition that matches keys from {@code from} to {@code to}, inclusive; either may be null. */
  public static Lex range(@Nullable String from, @Nullable String to) {
    return new Lex(null, null, from, to, null, false);
  }

  /**
   * Whether {@code t} satisfies this condition, exactly as Gun.js's {@code String.match(t, o)}: true
   * if {@code t} equals the first given of =, *, >, <; false if = was given; a prefix test if * was
   * given; then the range test with JavaScript (UTF-16) string comparison.
   */
  public boolean matches(String t) {
    String first = eq != null ? eq : prefix != null ? prefix : from != null ? from : to;
    if (first != null && t.equals(first)) {
      return true;
    }
    if (eq != null) {
      return false;
    }
    if (prefix != null) {
      return t.startsWith(prefix);
    }
    if (from != null && to != null) {
      return t.compareTo(from) >= 0 && t.compareTo(to) <= 0;
    }
    if (from != null) {
      return t.compareTo(from) >= 0;
    }
    if (to != null) {
      return t.compareTo(to) <= 0;
    }
    return true; // an empty condition matches everything (Gun.js returns false only for non-strings)
  }
}
