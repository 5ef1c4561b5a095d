package io.jgun.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile frames for fuzzing: the golden frames (real Gun.js traffic, test resources {@code
 * io/jgun/wire/golden}) mutated one to four times by byte flips, truncation, splicing, deep
 * nesting, huge numbers and strings and prototype-named souls and keys ({@code __proto__}, {@code
 * constructor}), the input that kills a stock Gun.js relay. Each frame is made from a seed (the
 * jqwik-drawn long), so a failing try replays exactly. Public for the fuzz tests of other modules
 * (through this module's test-jar).
 */
public final class HostileFrames {
  private static final String[] FILES = {
    "frames-00-connect", "frames-01-put-flat", "frames-02-get-node", "frames-03-get-field",
    "frames-04-put-nested", "frames-05-set", "frames-06-get-missing", "frames-07-lex-prefix",
    "frames-08-on-live", "frames-09-delete", "frames-10-raw-handshake", "frames-11-raw-gets",
    "frames-12-raw-puts", "frames-13-raw-subscribe-push", "frames-14-disconnect"
  };
  private static final Pattern RAW = Pattern.compile("\"raw\":\"((?:[^\"\\\\]++|\\\\.)*+)\"");
  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]++|\\\\.)*+)\"");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
  private static final String[] PROTO = {
    "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "_", "#", ">", ""
  };
  private static final String[] NUMBERS = {
    "1e309", "-1e309", "1e-400", "-0", "0.0000000000000000000000001", "123456789012345678901234567890123456789",
    "9007199254740993", "1.7976931348623157e308", "NaN", "Infinity", "-", "1e", "00012", "0x1F", "1.", ".5"
  };
  private static final String JUNK = "{}[]\":,\\/0123456789eE-+.tfn#@>_*<'\u0000\u001f\u007f\u00e9\ud83d\ude00\ud800 \t\n";
  /** Frames stop growing past this: a few MB, the size of a big real frame, not the heap's. */
  private static final int MAX_CHARS = 2_000_000;

  private static volatile List<String> seeds;

  private HostileFrames() {}

  /** Every captured frame's text, both directions. */
  public static List<String> seeds() {
    List<String> s = seeds;
    if (s == null) {
      s = load();
      seeds = s;
    }
    return s;
  }

  /** Hostile frames, each from a seed frame and a drawn long (replayable). */
  public static Arbitrary<String> frames() {
    return Combinators.combine(Arbitraries.of(seeds()), Arbitraries.longs()).as((f, seed) -> mutate(f, new Random(seed)));
  }

  /** {@code frame} mutated one to four times by {@code random}. */
  public static String mutate(String frame, Random random) {
    String f = frame;
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds && f.length() < MAX_CHARS; i++) {
      f = mutateOnce(f, random);
    }
    return f;
  }

  private static String mutateOnce(String f, Random r) {
    switch (r.nextInt(10)) {
      case 0: // flip characters
        {
          StringBuilder b = new StringBuilder(f);
          int n = 1 + r.nextInt(4);
          for (int i = 0; i < n && b.length() > 0; i++) {
            b.setCharAt(r.nextInt(b.length()), JUNK.charAt(r.nextInt(JUNK.length())));
          }
          return b.toString();
        }
      case 1: // truncate
        return f.isEmpty() ? f : f.substring(0, r.nextInt(f.length()));
      case 2: // splice with another frame
        {
          List<String> all = seeds();
          String other = all.get(r.nextInt(all.size()));
          int a = f.isEmpty() ? 0 : r.nextInt(f.length());
          int b = other.isEmpty() ? 0 : r.nextInt(other.length());
          return f.substring(0, a) + other.substring(b);
        }
      case 3: // deep nesting, as objects or arrays, around the frame or inside a put
        {
          int depth = 1 + r.nextInt(r.nextBoolean() ? 100 : 5000);
          boolean arrays = r.nextBoolean();
          String open = arrays ? "[" : "{\"a\":";
          String close = arrays ? "]" : "}";
          String inner = r.nextBoolean() ? f : "{\"#\":\"deep\",\"put\":{\"deep\":{\"_\":{\"#\":\"deep\",\">\":{\"v\":1}},\"v\":" + "0" + "}}}";
          int at = inner.indexOf(":0}");
          StringBuilder b = new StringBuilder();
          if (at >= 0 && !arrays) {
            b.append(inner, 0, at + 1).append(open.repeat(depth)).append('0').append(close.repeat(depth)).append(inner.substring(at + 2));
          } else {
            b.append(open.repeat(depth)).append(inner).append(close.repeat(r.nextInt(3) == 0 ? depth / 2 : depth));
          }
          return b.toString();
        }
      case 4: // a number made huge, tiny or not a number
        {
          Matcher m = NUMBER.matcher(f);
          List<int[]> at = new ArrayList<>();
          while (m.find()) {
            at.add(new int[] {m.start(), m.end()});
          }
          if (at.isEmpty()) {
            return f;
          }
          int[] p = at.get(r.nextInt(at.size()));
          return f.substring(0, p[0]) + NUMBERS[r.nextInt(NUMBERS.length)] + f.substring(p[1]);
        }
      case 5: // a string made huge
        {
          int[] p = pickString(f, r);
          if (p == null) {
            return f;
          }
          int len = r.nextInt(3) == 0 ? 1 << (10 + r.nextInt(11)) : 1 + r.nextInt(200);
          char c = "a\u00e9\ud83d\\".charAt(r.nextInt(4));
          String fill = c == '\\' ? "\\u0041".repeat(len / 6 + 1) : c == '\ud83d' ? "\ud83d\ude00".repeat(len / 2 + 1) : String.valueOf(c).repeat(len);
          return f.substring(0, p[0]) + fill + f.substring(p[1]);
        }
      case 6: // a soul or key renamed to a prototype name
      case 7:
        {
          int[] p = pickString(f, r);
          if (p == null) {
            return f;
          }
          return f.substring(0, p[0]) + PROTO[r.nextInt(PROTO.length)] + f.substring(p[1]);
        }
      case 8: // a value replaced by another JSON type
        {
          int[] p = pickString(f, r);
          if (p == null) {
            return f;
          }
          String[] values = {"null", "true", "[]", "{}", "{\"#\":\"__proto__\"}", "[1,2,3]", "{\"_\":null}", "1e999"};
          return f.substring(0, p[0] - 1) + values[r.nextInt(values.length)] + f.substring(p[1] + 1);
        }
      default: // a batch: the frame many times, or with a duplicate key
        {
          if (r.nextBoolean()) {
            int n = Math.min(2 + r.nextInt(r.nextInt(4) == 0 ? 20_000 : 20), Math.max(2, MAX_CHARS / (f.length() + 1)));
            return "[" + (f + ",").repeat(n - 1) + f + "]";
          }
          int brace = f.indexOf('{');
          return brace < 0 ? f : f.substring(0, brace + 1) + "\"#\":\"dup\",\"put\":{},\"put\":null," + f.substring(brace + 1);
        }
    }
  }

  /** The bounds of a string's content (between its quotes), or null. */
  private static int[] pickString(String f, Random r) {
    Matcher m = STRING.matcher(f);
    List<int[]> at = new ArrayList<>();
    while (m.find()) {
      at.add(new int[] {m.start(1), m.end(1)});
    }
    return at.isEmpty() ? null : at.get(r.nextInt(at.size()));
  }

  private static List<String> load() {
    List<String> out = new ArrayList<>();
    for (String name : FILES) {
      String path = "/io/jgun/wire/golden/" + name + ".jsonl";
      try (InputStream in = HostileFrames.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("test resource " + path + " missing");
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
          Matcher m = RAW.matcher(line);
          if (m.find()) {
            out.add(unescape(m.group(1)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (out.size() < 100) {
      throw new IllegalStateException("only " + out.size() + " golden frames found");
    }
    return List.copyOf(out);
  }

  /** A JSON string's content, unescaped (the captures escape only what JSON requires). */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u':
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
          break;
        default: b.append(e);
      }
    }
    return b.toString();
  }
}
