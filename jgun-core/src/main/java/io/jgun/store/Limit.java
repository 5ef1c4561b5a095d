package io.jgun.store;

import io.jgun.graph.Lex;
import org.jspecify.annotations.Nullable;

/**
 * How much one lexical read may return: a {@code %} budget spent as Gun.js spends it
 * (docs/protocol.md §8.13: each field costs {@link Lex#budgetCost}, the check is made before each
 * field or node, so the first one is always taken and the one that crosses the budget is still
 * taken), and a hard cap on the number of fields whatever the budget, so no read is unbounded.
 *
 * @param budget the {@code %} budget ({@link Double#POSITIVE_INFINITY} for none); not NaN
 * @param maxFields the most fields one read returns, at least 1
 */
public record Limit(double budget, int maxFields) {

  /** The default cap on fields per read. */
  public static final int DEFAULT_MAX_FIELDS = 10_000;

  public Limit {
    if (Double.isNaN(budget)) {
      throw new IllegalArgumentException("budget is NaN");
    }
    if (maxFields < 1) {
      throw new IllegalArgumentException("maxFields must be >= 1: " + maxFields);
    }
  }

  /** A budget of {@code budget} with the default field cap. */
  public static Limit budget(double budget) {
    return new Limit(budget, DEFAULT_MAX_FIELDS);
  }

  /** At most {@code maxFields} fields, no budget. */
  public static Limit fields(int maxFields) {
    return new Limit(Double.POSITIVE_INFINITY, maxFields);
  }

  /**
   * Gun.js's rule for a lexical GET ({@link Lex#budget}{@code (percent, true)}): without {@code %}
   * only the first match is answered.
   */
  public static Limit gun(@Nullable Double percent) {
    return budget(Lex.budget(percent, true));
  }

  /**
   * jgun's rule, as the in-memory engine answers: the {@code %} budget when one is given, else the
   * complete answer up to {@link Lex#MAX_BUDGET} (and the field cap).
   */
  public static Limit complete(@Nullable Double percent) {
    return budget(percent == null || percent == 0 ? Lex.MAX_BUDGET : Lex.budget(percent, true));
  }

  /**
   * Whether an answer that has spent {@code spent} over {@code fields} fields must stop before
   * taking another field (or node).
   */
  public boolean reached(long spent, int fields) {
    return Lex.budgetSpent(budget, spent) || fields >= maxFields;
  }
}
