package io.jgun.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles exactly as JavaScript's {@code Number.prototype.toString()} (and so
 * {@code JSON.stringify}) does: the shortest digit string that round-trips, integers without
 * {@code .0}, exponent form from 1e21 up and below 1e-6 ({@code 1e+21}, {@code 5e-324}).
 *
 * <p>Java's {@code Double.toString} is not a substitute: it prints {@code 1.795520877934002E12} and,
 * on Java 17, is not always the shortest round-trip form.
 */
public final class JsNumber {
  private JsNumber() {}

  /** The JavaScript text of {@code d}; {@code NaN} and infinities as JavaScript prints them. */
  public static String format(double d) {
    StringBuilder out = new StringBuilder(24);
    appendTo(out, d);
    return out.toString();
  }

  /** Appends the JavaScript text of {@code d}. */
  public static void appendTo(StringBuilder out, double d) {
    if (Double.isNaN(d)) {
      out.append("NaN");
      return;
    }
    if (Double.isInfinite(d)) {
      out.append(d > 0 ? "Infinity" : "-Infinity");
      return;
    }
    if (d == 0) {
      out.append('0'); // -0 prints as 0 in JavaScript
      return;
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      if (Math.abs(d) < 0x1p63) {
        out.append((long) d);
        return;
      }
    }
    // Placeholder (correct, slow): the shortest precision whose rounding of the exact value
    // round-trips; a fast implementation replaces it.
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = null;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        shortest = r;
        break;
      }
    }
    if (shortest == null) {
      shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
    BigDecimal unscaled = shortest.stripTrailingZeros();
    String digits = unscaled.unscaledValue().abs().toString();
    int k = digits.length();
    int n = k - unscaled.scale(); // value = 0.digits * 10^n
    if (d < 0) {
      out.append('-');
    }
    appendDigits(out, digits, k, n);
  }

  /** ECMA-262 Number::toString for digits s (k of them) and exponent n. */
  static void appendDigits(StringBuilder out, CharSequence s, int k, int n) {
    if (k <= n && n <= 21) {
      out.append(s);
      for (int i = 0; i < n - k; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(s, 0, n).append('.').append(s, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = 0; i < -n; i++) {
        out.append('0');
      }
      out.append(s);
    } else {
      int e = n - 1;
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }
}
