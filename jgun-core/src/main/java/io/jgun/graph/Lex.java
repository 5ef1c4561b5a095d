package io.jgun.graph;

import io.jgun.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A lexical condition on a soul or a field key (docs/protocol.md §3.2): exact ({@code =}), prefix
 * ({@code *}), range ({@code >} from, {@code <} to, both inclusive), with an optional limit ({@code
 * %}) and direction ({@code -}). A plain string on the wire means exact.
 *
 * <p>{@link #matches} is Gun.js's {@code String.match} to the letter, including its use of
 * JavaScript truthiness: an empty string given for {@code =}, {@code *} or {@code >} mostly acts as
 * if absent, yet still blocks the later rules (see {@link #matches}). It is checked against vectors
 * produced by Gun.js itself ({@code scripts/gen-lex-vectors.js}).
 *
 * <p>The {@code %} budget of a storage answer (docs/protocol.md §8.13) is in {@link #budgetCost},
 * {@link #budget} and {@link #budgetSpent}.
 */
public record Lex(
    @Nullable String eq,
    @Nullable String prefix,
    @Nullable String from,
    @Nullable String to,
    @Nullable Double limit,
    boolean reverse) {

  /**
   * The largest {@code %} a storage answer honours; a larger one is replaced by 1, not capped
   * (lib/store.js: {@code o.limit = (% <= 100000) ? % : 1}).
   */
  public static final double MAX_BUDGET = 100_000;

  /** What a value that is not a non-empty string costs against the {@code %} budget. */
  public static final int NON_STRING_COST = 9;

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

  /** This condition with limit {@code %} set to {@code limit} (null: none). */
  public Lex withLimit(@Nullable Double limit) {
    return new Lex(eq, prefix, from, to, limit, reverse);
  }

  /** This condition with limit {@code %} set to {@code limit}: {@code withLimit(100)}. */
  public Lex withLimit(long limit) {
    return withLimit(Double.valueOf(limit));
  }

  /** This condition with direction {@code -} set to {@code reverse}. */
  public Lex withReverse(boolean reverse) {
    return new Lex(eq, prefix, from, to, limit, reverse);
  }

  /** True if this condition only names one exact string ({@code =} and nothing else to match). */
  public boolean isExact() {
    return eq != null && prefix == null && from == null && to == null;
  }

  /**
   * The condition a wire value stands for, or null if it is not one jgun can represent:
   *
   * <ul>
   *   <li>a string {@code s}: {@code exact(s)};
   *   <li>an object: {@code =}, {@code *}, {@code >}, {@code <} each absent or a string, {@code %}
   *       a number (any other type is ignored, as lib/store.js ignores it), {@code -} by
   *       JavaScript truthiness; other keys are ignored;
   *   <li>an object whose {@code =}, {@code *}, {@code >} or {@code <} is present but not a string
   *       (Gun.js would compare with JavaScript's loose coercions), and any other JSON type: null.
   * </ul>
   *
   * A caller should treat null as a condition that matches nothing.
   */
  public static @Nullable Lex fromJson(Json json) {
    if (json instanceof Json.Str) {
      return exact(((Json.Str) json).value());
    }
    if (!(json instanceof Json.Obj)) {
      return null;
    }
    Json.Obj o = (Json.Obj) json;
    String[] parts = new String[4];
    String[] keys = {"=", "*", ">", "<"};
    for (int i = 0; i < keys.length; i++) {
      Json v = o.get(keys[i]);
      if (v == null) {
        continue;
      }
      if (!(v instanceof Json.Str)) {
        return null;
      }
      parts[i] = ((Json.Str) v).value();
    }
    Json pct = o.get("%");
    Double limit = pct instanceof Json.Num ? ((Json.Num) pct).value() : null;
    Json minus = o.get("-");
    boolean reverse = minus != null && truthy(minus);
    return new Lex(parts[0], parts[1], parts[2], parts[3], limit, reverse);
  }

  /**
   * This condition as a wire object, keys in the order {@code = * > < % -} ({@code -} as 1, only
   * when reversed). An exact condition is written {@code {"=":s}}; a writer that wants the short
   * plain-string form should check {@link #isExact()} itself.
   */
  public Json.Obj toJson() {
    Map<String, Json> m = new LinkedHashMap<>();
    if (eq != null) {
      m.put("=", Json.of(eq));
    }
    if (prefix != null) {
      m.put("*", Json.of(prefix));
    }
    if (from != null) {
      m.put(">", Json.of(from));
    }
    if (to != null) {
      m.put("<", Json.of(to));
    }
    if (limit != null) {
      m.put("%", Json.of(limit));
    }
    if (reverse) {
      m.put("-", Json.of(1));
    }
    return new Json.Obj(m);
  }

  /**
   * Whether {@code t} satisfies this condition, exactly as Gun.js's {@code String.match(t, o)}
   * (docs/protocol.md §3.2). With "given" meaning present and "set" meaning present and non-empty
   * (JavaScript truthiness), in this order:
   *
   * <ol>
   *   <li>true if {@code t} equals the first set of {@code =}, {@code *}, {@code >}, or failing
   *       those {@code <} (even empty);
   *   <li>false if {@code =} is given;
   *   <li>true if {@code t} starts with {@code *} if set, else with {@code >} if given (an empty
   *       {@code >} is a prefix of everything, even of strings above {@code <});
   *   <li>false if {@code *} is given;
   *   <li>with both {@code >} and {@code <} given: {@code > <= t <= <}; with one: {@code t >= >}
   *       or {@code t <= <};
   *   <li>otherwise false: an empty condition matches nothing.
   * </ol>
   *
   * Comparisons are JavaScript's, by UTF-16 code unit, which is {@link String#compareTo}.
   */
  public boolean matches(String t) {
    String first = set(eq) ? eq : set(prefix) ? prefix : set(from) ? from : to;
    if (first != null && t.equals(first)) {
      return true;
    }
    if (eq != null) {
      return false;
    }
    String start = set(prefix) ? prefix : from;
    if (start != null && t.startsWith(start)) {
      return true;
    }
    if (prefix != null) {
      return false;
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
    return false;
  }

  /**
   * What a field value costs against a {@code %} budget (docs/protocol.md §8.13, lib/store.js): the
   * length in UTF-16 units of a non-empty string, {@value #NON_STRING_COST} for anything else
   * (numbers, booleans, null, links, and the empty string).
   */
  public static int budgetCost(Value value) {
    if (value instanceof Value.Text) {
      int n = ((Value.Text) value).value().length();
      if (n > 0) {
        return n;
      }
    }
    return NON_STRING_COST;
  }

  /**
   * The budget a storage answer spends, as lib/store.js sets it: {@code percent} is the GET's
   * {@code %} (null if absent); {@code lexical} is whether the GET has a condition that limits the
   * answer by itself (a soul prefix {@code *}, or a key {@code >}, {@code <} or {@code *}).
   *
   * <ul>
   *   <li>a non-zero {@code %} at most {@link #MAX_BUDGET}: that budget; above it: 1;
   *   <li>no {@code %} on a lexical GET: 1, that is the first match only (observed,
   *       docs/protocol.md §8.13);
   *   <li>otherwise, including {@code %:0} on a lexical GET (a Gun.js quirk, kept): no budget,
   *       {@link Double#POSITIVE_INFINITY}.
   * </ul>
   */
  public static double budget(@Nullable Double percent, boolean lexical) {
    if (percent != null && percent != 0) {
      return percent <= MAX_BUDGET ? percent : 1;
    }
    if (lexical && percent == null) {
      return 1;
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * Whether an answer that has already spent {@code spent} (the sum of {@link #budgetCost} of the
   * fields taken) must stop before taking another field. The first field is always taken, and the
   * field that crosses the budget is still taken: the check happens before each field.
   */
  public static boolean budgetSpent(double budget, long spent) {
    return spent > 0 && budget <= spent;
  }

  private static boolean set(@Nullable String s) {
    return s != null && !s.isEmpty();
  }

  /** JavaScript truthiness of a JSON value ({@code null} is false). */
  public static boolean truthy(Json v) {
    if (v instanceof Json.Bool) {
      return ((Json.Bool) v).value();
    }
    if (v instanceof Json.Num) {
      return ((Json.Num) v).value() != 0;
    }
    if (v instanceof Json.Str) {
      return !((Json.Str) v).value().isEmpty();
    }
    return v instanceof Json.Arr || v instanceof Json.Obj; // null is falsy
  }
}
