package io.jgun.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a rules file (format: docs/rules.md), checked in order: the first rule that
 * applies decides; when none does, the write or read is allowed. Immutable and thread-safe.
 *
 * <pre>
 * # comment
 * deny write public/*                        "public is read-only"
 * deny write log/* exists                    "the log is append-only"
 * deny write * fields&gt;1000                   "a node holds at most 1000 fields"
 * deny write * signer-in=~ADMINPUB/banned    "banned"
 * deny read  secret/*                        "not readable"
 * </pre>
 */
public final class RuleSet implements AccessRules {
  private final List<Rule> rules;

  private RuleSet(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Reads and parses a rules file (UTF-8). */
  public static RuleSet read(Path file) throws IOException, RulesFileException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses rules; {@code source} names them in errors. */
  public static RuleSet parse(String text, String source) throws RulesFileException {
    List<Rule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        rules.add(rule(line, i + 1));
      } catch (IllegalArgumentException e) {
        throw new RulesFileException(source, i + 1, String.valueOf(e.getMessage()));
      }
    }
    return new RuleSet(rules);
  }

  /** How many rules there are. */
  public int size() {
    return rules.size();
  }

  @Override
  public @Nullable String checkWrite(WriteRequest write) {
    for (Rule r : rules) {
      if (r.applies(write)) {
        return r.allow() ? null : r.reason();
      }
    }
    return null;
  }

  @Override
  public @Nullable String checkRead(String soul, @Nullable String key) {
    for (Rule r : rules) {
      if (r.applies(soul)) {
        return r.allow() ? null : r.reason();
      }
    }
    return null;
  }

  private static Rule rule(String line, int number) {
    String reason = "Forbidden by rule " + number + ".";
    String body = line;
    int quote = line.indexOf('"');
    if (quote >= 0) {
      if (line.length() < quote + 2 || !line.endsWith("\"")) {
        throw new IllegalArgumentException("a reason is a quoted text at the end of the line");
      }
      reason = line.substring(quote + 1, line.length() - 1);
      if (reason.isEmpty() || reason.indexOf('"') >= 0) {
        throw new IllegalArgumentException("a reason is one non-empty quoted text without quotes inside");
      }
      body = line.substring(0, quote).strip();
    }
    List<String> words = Arrays.asList(body.split("\\s+"));
    if (words.size() < 3) {
      throw new IllegalArgumentException("expected: allow|deny read|write SOUL [conditions] [\"reason\"]");
    }
    boolean allow = switch (words.get(0)) {
      case "allow" -> true;
      case "deny" -> false;
      default -> throw new IllegalArgumentException("expected allow or deny, found '" + words.get(0) + "'");
    };
    boolean write = switch (words.get(1)) {
      case "write" -> true;
      case "read" -> false;
      default -> throw new IllegalArgumentException("expected read or write, found '" + words.get(1) + "'");
    };
    Pattern soul = Pattern.parse(words.get(2));
    List<Condition> conditions = new ArrayList<>();
    for (String w : words.subList(3, words.size())) {
      if (!write) {
        throw new IllegalArgumentException("read rules take no conditions (found '" + w + "'): they match by soul");
      }
      conditions.add(condition(w));
    }
    return new Rule(allow, write, soul, conditions, reason, number);
  }

  private static Condition condition(String w) {
    if (w.equals("exists")) {
      return new Condition.Exists();
    } else if (w.equals("signed")) {
      return new Condition.Signed(true);
    } else if (w.equals("unsigned")) {
      return new Condition.Signed(false);
    } else if (w.startsWith("key=")) {
      return new Condition.Key(Pattern.parse(value(w, "key=")));
    } else if (w.startsWith("size>")) {
      return new Condition.SizeOver(number(w, "size>"));
    } else if (w.startsWith("fields>")) {
      return new Condition.FieldsOver(number(w, "fields>"));
    } else if (w.startsWith("signer=")) {
      return new Condition.SignerIs(List.of(value(w, "signer=").split(",")), true);
    } else if (w.startsWith("signer!=")) {
      return new Condition.SignerIs(List.of(value(w, "signer!=").split(",")), false);
    } else if (w.startsWith("signer-in=")) {
      return new Condition.SignerListed(value(w, "signer-in="), true);
    } else if (w.startsWith("signer-not-in=")) {
      return new Condition.SignerListed(value(w, "signer-not-in="), false);
    }
    throw new IllegalArgumentException(
        "unknown condition '" + w + "' (known: key=, size>, fields>, exists, signed, unsigned, signer=, signer!=, signer-in=, signer-not-in=)");
  }

  private static String value(String w, String name) {
    String v = w.substring(name.length());
    if (v.isEmpty() || v.startsWith(",") || v.endsWith(",") || v.contains(",,")) {
      throw new IllegalArgumentException("'" + name + "' needs a value");
    }
    return v;
  }

  private static long number(String w, String name) {
    String v = value(w, name);
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + name + "' needs a whole number ≥ 0, found '" + v + "'");
    }
  }
}
