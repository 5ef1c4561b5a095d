package io.jgun.json;

import java.math.BigInteger;

/**
 * Formats doubles exactly as JavaScript's {@code Number.prototype.toString()} (and so {@code
 * JSON.stringify}) does: the shortest digit string that reads back as the same double, the closest
 * to it when several are as short (ECMA-262 Number::toString), integers without {@code .0},
 * exponent form from 1e21 up and below 1e-6 ({@code 1e+21}, {@code 5e-324}), {@code -0} as {@code
 * 0}.
 *
 * <p>Java's {@code Double.toString} is not a substitute: it prints {@code 1.795520877934002E12} and,
 * on Java 17, is not always the shortest round-trip form.
 *
 * <p>How: integers below 2^53 print directly; numbers whose shortest form has few decimals (GUN
 * states such as {@code 1795520877934.002}, prices, {@code 0.1}) take an exact floating-point fast
 * path; everything else goes through a Schubfach-style search (after R. Giulietti, "The Schubfach
 * way to render doubles"): the rounding interval of the double is scaled by a 126-bit
 * approximation of a power of ten, and the decimals of one or two lengths that fall inside it are
 * tested exactly. No step allocates except the caller's {@link StringBuilder} growing.
 */
public final class JsNumber {
  private JsNumber() {}

  private static final int Q_MIN = -1074; // exponent of the subnormals (value = c * 2^q)
  private static final long C_MIN = 1L << 52; // smallest significand of a normal double
  private static final long MASK_63 = (1L << 63) - 1;
  private static final int K_MIN = -324; // flog10pow2(Q_MIN)
  private static final int K_MAX = 292; // flog10pow2(971)

  /**
   * For k in [K_MIN, K_MAX], at 2 * (k - K_MIN): the high 63 bits, then the low 63 bits, of g =
   * floor(10^-k * 2^(125 - flog2pow10(-k))) + 1, a 126-bit number just above 10^-k scaled into
   * [2^125, 2^126).
   */
  private static final long[] G = new long[2 * (K_MAX - K_MIN + 1)];

  /** 10^i as a long, i in [0, 18]. */
  private static final long[] POW10 = new long[19];

  /** 10^i as an (exact) double, i in [0, 22]. */
  private static final double[] POW10D = new double[23];

  /**
   * For a double of binary exponent e (x in [2^e, 2^(e+1))), at e + 1074: the largest p <= 22 with
   * 10^p * 2^e < 2^51, or -1 if none. At that scale, x * 10^p is below 2^52 (so its rounding error
   * is at most 1/4) and the rounding interval of x is less than 1/2 wide: at most one integer
   * lies within it, and rounding the computed product finds it (see {@link #appendFewDecimals}).
   */
  private static final byte[] FAST_SCALE = new byte[1074 + 1024];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
    double pd = 1;
    for (int i = 0; i < POW10D.length; i++) {
      POW10D[i] = pd;
      pd *= 10; // exact up to 10^22
    }
    for (int e = -1074; e <= 1023; e++) {
      int best = -1;
      if (e <= 50) {
        double limit = Math.scalb(1.0, 51 - e); // exact power of two (or infinity)
        for (int i = 0; i < POW10D.length && POW10D[i] < limit; i++) {
          best = i;
        }
      }
      FAST_SCALE[e + 1074] = (byte) best;
    }
    BigInteger ten = BigInteger.TEN;
    for (int k = K_MIN; k <= K_MAX; k++) {
      int e = -k;
      int shift = 125 - flog2pow10(e); // beta = 10^e * 2^shift lies in [2^125, 2^126)
      BigInteger beta;
      if (e >= 0) {
        BigInteger pow = ten.pow(e);
        beta = shift >= 0 ? pow.shiftLeft(shift) : pow.shiftRight(-shift);
      } else {
        beta = BigInteger.ONE.shiftLeft(shift).divide(ten.pow(-e));
      }
      BigInteger g = beta.add(BigInteger.ONE);
      G[2 * (k - K_MIN)] = g.shiftRight(63).longValue();
      G[2 * (k - K_MIN) + 1] = g.longValue() & MASK_63;
    }
  }

  /** The JavaScript text of {@code d}; {@code NaN} and infinities as JavaScript prints them. */
  public static String format(double d) {
    StringBuilder out = new StringBuilder(24);
    appendTo(out, d);
    return out.toString();
  }

  /** Appends the JavaScript text of {@code d} ({@code String(d)} in JavaScript). */
  public static void appendTo(StringBuilder out, double d) {
    if (Double.isNaN(d)) {
      out.append("NaN");
      return;
    }
    if (d == 0) {
      out.append('0'); // -0 prints as 0 in JavaScript
      return;
    }
    double x = d;
    if (d < 0) {
      out.append('-');
      x = -d;
    }
    if (x < 0x1p53) {
      long whole = (long) x;
      if (whole == x) {
        out.append(whole); // below 2^53 every integer is its own shortest form
        return;
      }
    } else if (x == Double.POSITIVE_INFINITY) {
      out.append("Infinity");
      return;
    }
    if (!appendFewDecimals(out, x)) {
      appendShortest(out, x);
    }
  }

  /**
   * The fast path for a positive finite {@code x} whose shortest form has few decimals: appends it
   * and returns true, or appends nothing and returns false.
   */
  static boolean appendFewDecimals(StringBuilder out, double x) {
    int scale = FAST_SCALE[Math.getExponent(x) + 1074];
    if (scale <= 0) {
      return false;
    }
    // The only decimal with at most `scale` fraction digits that can read back as x is the integer
    // nearest to x * 10^scale (FAST_SCALE keeps the product's error and the rounding interval small
    // enough for rint to find it), and the correctly rounded division says whether it does. If so,
    // it is also the shortest and the closest: a shorter candidate would be the same number with
    // trailing zeros at this scale.
    double pow = POW10D[scale];
    double r = Math.rint(x * pow);
    if (r / pow != x) {
      return false;
    }
    appendDecimal(out, (long) r, -scale);
    return true;
  }

  /**
   * Schubfach: writes the shortest (then closest, then even) decimal in the rounding interval of
   * the positive finite double {@code x}.
   */
  static void appendShortest(StringBuilder out, double x) {
    long bits = Double.doubleToRawLongBits(x);
    long t = bits & (C_MIN - 1);
    int bq = (int) (bits >>> 52) & 0x7FF;
    long c;
    int q;
    if (bq != 0) {
      c = C_MIN | t;
      q = bq - 1075;
    } else {
      c = t;
      q = Q_MIN;
    }
    // Work in units of 2^(q-2): the double is cb, its rounding interval [cbl, cbr] (closed when c is
    // even, since reading a decimal rounds ties to even; open when odd).
    long out1 = c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      cbl = cb - 1; // a power of two: the gap below is half the gap above
      k = flog10threeQuartersPow2(q);
    }
    // 10^k <= interval width < 10^(k+1): at most one multiple of 10^(k+1) lies in the interval,
    // and at least one multiple of 10^k.
    int h = q + flog2pow10(-k) + 2;
    int gi = 2 * (k - K_MIN);
    long g1 = G[gi];
    long g0 = G[gi + 1];
    long vb = roundToOdd(g1, g0, cb << h); // 4 * x / 10^k, rounded to odd
    long vbl = roundToOdd(g1, g0, cbl << h);
    long vbr = roundToOdd(g1, g0, cbr << h);
    long s = vb >> 2; // floor(x / 10^k)
    // A multiple of 10^(k+1) in the interval is unique and shorter than any other candidate. (No
    // "s >= 100" guard here, unlike Java's own Double.toString: JavaScript wants the shortest
    // even when that is one digit, e.g. 1e-322 rather than 9.9e-323.)
    long sp10 = s / 10 * 10;
    long tp10 = sp10 + 10;
    boolean upIn = sp10 != 0 && vbl + out1 <= sp10 << 2;
    boolean wpIn = (tp10 << 2) + out1 <= vbr;
    if (upIn != wpIn) {
      appendDecimal(out, upIn ? sp10 : tp10, k);
      return;
    }
    long s1 = s + 1;
    boolean uIn = vbl + out1 <= s << 2;
    boolean wIn = (s1 << 2) + out1 <= vbr;
    if (uIn != wIn) {
      appendDecimal(out, uIn ? s : s1, k);
      return;
    }
    // Both in: the closer one; on a tie the even one.
    long cmp = vb - ((s + s1) << 1);
    appendDecimal(out, cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : s1, k);
  }

  /**
   * The 64 high bits of g * cp / 2^127 (g = g1 * 2^63 + g0), with the lowest bit set when any
   * discarded bit is non-zero, so that an inexact result is never mistaken for an exact one.
   */
  private static long roundToOdd(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (((z & MASK_63) + MASK_63) >>> 63);
  }

  /** floor(q * log10(2)), for |q| <= 5456721. */
  static int flog10pow2(int q) {
    return (int) ((q * 661_971_961_083L) >> 41);
  }

  /** floor(log10(3/4 * 2^q)), for |q| <= 5456721. */
  static int flog10threeQuartersPow2(int q) {
    return (int) ((q * 661_971_961_083L - 274_743_187_321L) >> 41);
  }

  /** floor(e * log2(10)), for |e| <= 1838394. */
  static int flog2pow10(int e) {
    return (int) ((e * 913_124_641_741L) >> 38);
  }

  /** Appends the number f * 10^e (f > 0) in ECMA-262 Number::toString layout. */
  private static void appendDecimal(StringBuilder out, long f, int e) {
    // Strip trailing zeros in halving steps (f < 2^63 has at most 18 of them): at most five
    // divisions by constants, which the JIT turns into multiplications.
    if (f % 10_000_000_000_000_000L == 0) {
      f /= 10_000_000_000_000_000L;
      e += 16;
    }
    if (f % 100_000_000 == 0) {
      f /= 100_000_000;
      e += 8;
    }
    if (f % 10_000 == 0) {
      f /= 10_000;
      e += 4;
    }
    if (f % 100 == 0) {
      f /= 100;
      e += 2;
    }
    if (f % 10 == 0) {
      f /= 10;
      e += 1;
    }
    int len = digitCount(f);
    int n = len + e; // the value is 0.digits * 10^n
    int start = out.length();
    if (len <= n && n <= 21) {
      out.append(f);
      for (int i = len; i < n; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(f).insert(start + n, '.'); // moves only the few fraction digits
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = n; i < 0; i++) {
        out.append('0');
      }
      out.append(f);
    } else {
      out.append(f);
      if (len > 1) {
        out.insert(start + 1, '.');
      }
      int exp = n - 1;
      out.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
    }
  }

  /** The number of decimal digits of {@code v} (0 < v). */
  private static int digitCount(long v) {
    int guess = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12; // digits - 1 or digits
    return v >= POW10[guess] ? guess + 1 : guess;
  }

  private static final char[] RADIX_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  /**
   * JavaScript's {@code Number.prototype.toString(radix)} as V8 (node) computes it, for radix 2 to
   * 36; radix 10 is {@link #format}. Gun.js builds generated souls from {@code
   * Gun.state().toString(36)} (docs/protocol.md §1.4), e.g. {@code 1795520877934.001} gives {@code
   * mwumrs6m.01a}.
   *
   * <p>ECMA-262 leaves non-decimal radixes implementation-defined. V8 prints fraction digits only
   * as far as the double's precision reaches: it keeps a tolerance of half the gap to the next
   * double, scaled along with the fraction, stops once the remaining fraction is below it, and
   * rounds the last digit half-to-even (carrying into earlier digits, possibly into the integer)
   * when the rounded-up digit still lies within the tolerance. Integer digits beyond 2^53 are
   * written as zeros.
   *
   * @throws IllegalArgumentException if {@code radix} is outside [2, 36]
   */
  public static String toRadixString(double d, int radix) {
    if (radix < 2 || radix > 36) {
      throw new IllegalArgumentException("radix must be in [2, 36]: " + radix);
    }
    if (radix == 10 || !Double.isFinite(d) || d == 0) {
      return format(d);
    }
    boolean negative = d < 0;
    double value = negative ? -d : d;
    double integer = Math.floor(value);
    double fraction = value - integer;
    double delta = Math.max(Double.MIN_VALUE, 0.5 * (Math.nextUp(value) - value));
    StringBuilder frac = new StringBuilder();
    if (fraction >= delta) {
      do {
        fraction *= radix;
        delta *= radix;
        int digit = (int) fraction;
        frac.append(RADIX_DIGITS[digit]);
        fraction -= digit;
        if ((fraction > 0.5 || (fraction == 0.5 && (digit & 1) != 0)) && fraction + delta > 1) {
          // Round up: drop trailing (radix-1) digits, bump the one before, or carry into the
          // integer part when every digit was the largest.
          int i = frac.length() - 1;
          while (i >= 0 && digitValue(frac.charAt(i)) + 1 == radix) {
            i--;
          }
          if (i < 0) {
            frac.setLength(0);
            integer += 1;
          } else {
            frac.setCharAt(i, RADIX_DIGITS[digitValue(frac.charAt(i)) + 1]);
            frac.setLength(i + 1);
          }
          break;
        }
      } while (fraction >= delta);
    }
    StringBuilder whole = new StringBuilder(); // reversed
    while (Math.getExponent(integer / radix) > 52) {
      integer /= radix; // beyond 2^53 the digits carry no information
      whole.append('0');
    }
    do {
      double remainder = integer % radix;
      whole.append(RADIX_DIGITS[(int) remainder]);
      integer = (integer - remainder) / radix;
    } while (integer > 0);
    if (negative) {
      whole.append('-');
    }
    whole.reverse();
    if (frac.length() > 0) {
      whole.append('.').append(frac);
    }
    return whole.toString();
  }

  private static int digitValue(char c) {
    return c <= '9' ? c - '0' : c - 'a' + 10;
  }
}
