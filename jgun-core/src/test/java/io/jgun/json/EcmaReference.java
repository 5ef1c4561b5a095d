package io.jgun.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A slow, obviously-correct ECMA-262 Number::toString for tests: exact decimal arithmetic on the
 * rounding interval, straight from the spec's definition (fewest digits k such that the decimal
 * reads back as x; among those the closest to x; then the even one).
 */
final class EcmaReference {
  private EcmaReference() {}

  static String format(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0";
    }
    double x = Math.abs(d);
    BigDecimal v = new BigDecimal(x);
    BigDecimal two = BigDecimal.valueOf(2);
    double up = Math.nextUp(x);
    BigDecimal gapUp =
        Double.isInfinite(up) ? v.subtract(new BigDecimal(Math.nextDown(x))) : new BigDecimal(up).subtract(v);
    BigDecimal hi = v.add(gapUp.divide(two));
    BigDecimal lo = v.add(new BigDecimal(Math.nextDown(x))).divide(two);
    // Reading a decimal rounds to nearest, ties to even: the interval is closed iff x's significand
    // is even.
    boolean closed = (Double.doubleToRawLongBits(x) & 1) == 0;
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal c = v.round(new MathContext(p, mode));
        boolean in = closed
            ? c.compareTo(lo) >= 0 && c.compareTo(hi) <= 0
            : c.compareTo(lo) > 0 && c.compareTo(hi) < 0;
        if (!in) {
          continue;
        }
        if (best == null) {
          best = c;
        } else {
          int cmp = c.subtract(v).abs().compareTo(best.subtract(v).abs());
          if (cmp < 0 || (cmp == 0 && isEven(c))) {
            best = c;
          }
        }
      }
      if (best != null) {
        return (d < 0 ? "-" : "") + layout(best);
      }
    }
    throw new AssertionError("no 17-digit decimal reads back as " + d);
  }

  private static boolean isEven(BigDecimal c) {
    return !c.stripTrailingZeros().unscaledValue().testBit(0);
  }

  /** Number::toString steps 6-12 for the decimal c. */
  private static String layout(BigDecimal c) {
    BigDecimal s = c.stripTrailingZeros();
    BigInteger unscaled = s.unscaledValue();
    String digits = unscaled.toString();
    int k = digits.length();
    int n = k - s.scale();
    StringBuilder out = new StringBuilder();
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      int e = n - 1;
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }
}
