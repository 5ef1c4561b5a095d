package io.jgun.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsNumberTest {

  /** Every line of numbers.txt.gz: the bits of a double, then node's JSON.stringify of it. */
  @Test
  void formatsEveryNodeVectorIdentically() {
    List<String> lines = Vectors.lines("numbers.txt.gz");
    assertThat(lines).hasSizeGreaterThanOrEqualTo(100_000);
    List<String> failures = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      int sp = line.indexOf(' ');
      double x = Vectors.bits(line.substring(0, sp));
      String expected = line.substring(sp + 1);
      String got = JsNumber.format(x);
      sb.setLength(0);
      sb.append("p:");
      JsNumber.appendTo(sb, x);
      if (!got.equals(expected) || !sb.toString().equals("p:" + expected)) {
        failures.add(line + " -> " + got);
      }
    }
    assertThat(failures).isEmpty();
  }

  /** The fast path and the general algorithm each match node on their own, on every vector. */
  @Test
  void fastPathAndShortestSearchEachMatchNode() {
    List<String> failures = new ArrayList<>();
    int fastHits = 0;
    StringBuilder sb = new StringBuilder();
    for (String line : Vectors.lines("numbers.txt.gz")) {
      int sp = line.indexOf(' ');
      double x = Math.abs(Vectors.bits(line.substring(0, sp)));
      if (x == 0) {
        continue;
      }
      String expected = line.charAt(sp + 1) == '-' ? line.substring(sp + 2) : line.substring(sp + 1);
      sb.setLength(0);
      JsNumber.appendShortest(sb, x);
      if (!sb.toString().equals(expected)) {
        failures.add("shortest " + line + " -> " + sb);
      }
      sb.setLength(0);
      if (JsNumber.appendFewDecimals(sb, x)) {
        fastHits++;
        if (!sb.toString().equals(expected)) {
          failures.add("fast " + line + " -> " + sb);
        }
      } else {
        assertThat(sb).isEmpty();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(fastHits).isGreaterThan(20_000); // states, money, short decimals
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0x0p0|0",
        "-0x0p0|0",
        "1|1",
        "-1|-1",
        "30|30",
        "1.5|1.5",
        "0.1|0.1",
        "0.30000000000000004|0.30000000000000004",
        "1795520877934.002|1795520877934.002",
        "1795520877934.001|1795520877934.001",
        "1795520872832|1795520872832",
        "1e21|1e+21",
        "999999999999999900000|999999999999999900000",
        "1e-7|1e-7",
        "1e-6|0.000001",
        "1.5e-7|1.5e-7",
        "4.9e-324|5e-324",
        "1e-323|1e-323",
        "1.7976931348623157e308|1.7976931348623157e+308",
        "9007199254740992|9007199254740992",
        "9007199254740993|9007199254740992",
        "9007199254740994|9007199254740994",
        "1152921504606846976|1152921504606847000",
        "1e23|1e+23",
        "1.0000000000000001e23|1.0000000000000001e+23",
        "7e22|7e+22",
        "123e18|123000000000000000000",
        "-2.5e-8|-2.5e-8",
        "Infinity|Infinity",
        "-Infinity|-Infinity",
        "NaN|NaN"
      })
  void formatsExamples(String javaLiteral, String js) {
    assertThat(JsNumber.format(Double.parseDouble(javaLiteral))).isEqualTo(js);
  }

  /** Every binary exponent, with the significands at the edges (powers of two have uneven gaps). */
  @Test
  void matchesReferenceAcrossAllExponents() {
    SplittableRandom random = new SplittableRandom(0x6a67756eL);
    List<String> failures = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (long e = 0; e <= 2046; e++) {
      long[] significands = {
        0, 1, 2, 3, (1L << 52) - 1, (1L << 52) - 2, 1L << 51, random.nextLong(1L << 52), random.nextLong(1L << 52)
      };
      for (long t : significands) {
        double x = Double.longBitsToDouble(e << 52 | t);
        if (x == 0) {
          continue;
        }
        String expected = EcmaReference.format(x);
        sb.setLength(0);
        JsNumber.appendShortest(sb, x);
        if (!JsNumber.format(x).equals(expected) || !sb.toString().equals(expected)) {
          failures.add(Double.toString(x) + ": " + JsNumber.format(x) + " / " + sb + " expected " + expected);
        }
      }
    }
    for (long c = 1; c <= 5000; c++) { // the smallest subnormals, where a digit or two is all there is
      double x = Double.longBitsToDouble(c);
      String expected = EcmaReference.format(x);
      sb.setLength(0);
      JsNumber.appendShortest(sb, x);
      if (!sb.toString().equals(expected)) {
        failures.add(Double.toString(x) + ": " + sb + " expected " + expected);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void matchesReferenceOnRandomDoubles() {
    SplittableRandom random = new SplittableRandom(42);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double x;
      switch (i % 4) {
        case 0:
          x = Double.longBitsToDouble(random.nextLong());
          break;
        case 1:
          x = 1_700_000_000_000L + random.nextLong(200_000_000_000L) + random.nextInt(1, 5000) / 999.0;
          break;
        case 2:
          x = random.nextLong(1, 100_000_000) / Math.pow(10, random.nextInt(25));
          break;
        default:
          x = random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
      }
      if (!Double.isFinite(x)) {
        continue;
      }
      String expected = EcmaReference.format(x);
      if (!JsNumber.format(x).equals(expected)) {
        failures.add(Double.toString(x) + ": " + JsNumber.format(x) + " expected " + expected);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Property(tries = 3000)
  void readsBackAsTheSameDouble(@ForAll double d) {
    if (Double.isFinite(d)) {
      String s = JsNumber.format(d);
      assertThat(Double.parseDouble(s)).isEqualTo(d == 0 ? 0.0 : d);
      assertThat(s).isEqualTo(EcmaReference.format(d));
    }
  }

  @Test
  void statesTakeTheFastPath() {
    for (String s : new String[] {"1795520877934.002", "1795520877934.001", "1795520969763.5", "0.1"}) {
      StringBuilder sb = new StringBuilder();
      assertThat(JsNumber.appendFewDecimals(sb, Double.parseDouble(s))).isTrue();
      assertThat(sb.toString()).isEqualTo(s);
    }
  }

  /** The integer approximations of logarithms used to pick the decimal scale, over their range. */
  @Test
  void floorLogarithmsAreExact() {
    for (int q = -1074; q <= 1023; q++) {
      BigDecimal pow2 = new BigDecimal(Math.scalb(1.0, q));
      assertThat(JsNumber.flog10pow2(q)).as("q=%d", q).isEqualTo(floorLog10(pow2));
      if (q >= -1072) {
        BigDecimal threeQuarters = new BigDecimal(3).multiply(new BigDecimal(Math.scalb(1.0, q - 2)));
        assertThat(JsNumber.flog10threeQuartersPow2(q)).as("q=%d", q).isEqualTo(floorLog10(threeQuarters));
      }
    }
    for (int e = -400; e <= 400; e++) {
      BigInteger pow10 = BigInteger.TEN.pow(Math.abs(e));
      int expected = e >= 0 ? pow10.bitLength() - 1 : -pow10.bitLength();
      assertThat(JsNumber.flog2pow10(e)).as("e=%d", e).isEqualTo(expected);
    }
  }

  private static int floorLog10(BigDecimal v) {
    // v = unscaled * 10^-scale; floor(log10 v) = digits(unscaled) - 1 - scale
    BigDecimal s = v.stripTrailingZeros();
    return s.unscaledValue().toString().length() - 1 - s.scale();
  }

  /** Every line of radix.txt.gz: bits, radix, node's x.toString(radix). */
  @Test
  void radixStringsMatchNode() {
    List<String> lines = Vectors.lines("radix.txt.gz");
    assertThat(lines).hasSizeGreaterThan(10_000);
    List<String> failures = new ArrayList<>();
    int base36 = 0;
    for (String line : lines) {
      String[] parts = line.split(" ", 3);
      double x = Vectors.bits(parts[0]);
      int radix = Integer.parseInt(parts[1]);
      base36 += radix == 36 ? 1 : 0;
      String got = JsNumber.toRadixString(x, radix);
      if (!got.equals(parts[2])) {
        failures.add(line + " -> " + got);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(base36).isGreaterThan(10_000);
  }

  @Test
  void radixExamples() {
    assertThat(JsNumber.toRadixString(1795520877934.001, 36)).isEqualTo("mwumrs6m.01a");
    assertThat(JsNumber.toRadixString(1795520877934.0, 36)).isEqualTo("mwumrs6m");
    assertThat(JsNumber.toRadixString(0.1, 36)).isEqualTo("0.3lllllllllm");
    assertThat(JsNumber.toRadixString(-255.5, 16)).isEqualTo("-ff.8");
    assertThat(JsNumber.toRadixString(-0.0, 36)).isEqualTo("0");
    assertThat(JsNumber.toRadixString(Double.NaN, 2)).isEqualTo("NaN");
    assertThat(JsNumber.toRadixString(0.5, 10)).isEqualTo("0.5");
    assertThatThrownBy(() -> JsNumber.toRadixString(1, 37)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsNumber.toRadixString(1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
