package io.jgun.radata;

import io.jgun.json.JsNumber;
import io.jgun.json.JsonText;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something in a radata folder that is not a well-formed atom, and what the reader did about it.
 *
 * @param file the file (name on disk) where it was found
 * @param kind what is wrong
 * @param key the RAD key or key prefix where it was found ({@code soul + ESC + field}, possibly
 *     partial), null for damage to a whole file
 * @param detail a sentence saying what was found and why it is not an atom
 * @param value the JSON text of the value found there, shortened to 200 characters, or null
 * @param state the state found there, or null
 * @param outcome whether the data was left out or imported anyway
 */
public record Damage(
    String file,
    Kind kind,
    @Nullable String key,
    String detail,
    @Nullable String value,
    @Nullable Double state,
    Outcome outcome) {

  /** What is wrong. */
  public enum Kind {
    /** The file could not be read (I/O error). */
    UNREADABLE,
    /** The file is larger than the reader's {@code maxFileBytes}. */
    TOO_BIG,
    /** The file is empty (Gun.js treats it as missing; a crash can leave one). */
    EMPTY,
    /** The file is not valid UTF-8; it was read with U+FFFD replacements, as Node.js does. */
    INVALID_UTF8,
    /** The file starts like JSON but is not valid JSON (e.g. truncated). */
    INVALID_JSON,
    /** The file is neither a JSON radix tree nor the v0.2019 RAD text format. */
    NOT_RAD,
    /** A v0.2019 text record that cannot be placed (no parent record, bad framing). */
    LEGACY_RECORD,
    /**
     * Data under an edge labelled {@code "undefined"}: Gun.js's parser replaced the real label
     * (docs/protocol.md §11.6) and Gun.js skips these edges, so the key is unknown.
     */
    UNDEFINED_EDGE,
    /** A leaf whose {@code ":"} or {@code ">"} label became {@code "undefined"} (§11.6). */
    LEAF_LABEL_LOST,
    /** A leaf {@code {":", ">"}} found without its {@code ""} wrapper (§11.6). */
    MISSING_WRAPPER,
    /** A value where the radix tree needs a branch (an object), outside any leaf. */
    STRAY_VALUE,
    /**
     * A leaf that is not a GUN atom: no state, a state that is not a number, a value GUN has not.
     */
    BAD_LEAF,
    /**
     * A key found twice in one file, at two paths of its radix tree (Gun.js's parser damage,
     * §11.6): the copy HAM drops is reported, since one of the two is under a wrong key.
     */
    DUPLICATE_KEY,
    /** A key that does not split into a non-empty soul and field at exactly one ESC. */
    BAD_KEY
  }

  /** What the reader did with the damaged data. */
  public enum Outcome {
    /** Not imported: the atom (or file) is lost unless recovered by hand. */
    SKIPPED,
    /** Imported anyway: salvaged, or read as Node.js would (U+FFFD for bad UTF-8). */
    IMPORTED
  }

  public Damage {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** True when the data was not imported. */
  public boolean skipped() {
    return outcome == Outcome.SKIPPED;
  }

  /**
   * One line for people: {@code file '!': key "k62\u001bn": a leaf's ">" label became "undefined":
   * value 62, state 1795527772253.047: skipped}. Keys and values are JSON-quoted, so ESC and other
   * control characters are visible.
   */
  public String message() {
    StringBuilder s = new StringBuilder("file ").append(JsonText.quote(file));
    if (key != null) {
      s.append(": key ").append(JsonText.quote(key));
    }
    s.append(": ").append(detail);
    if (value != null) {
      s.append(": value ").append(value);
    }
    if (state != null) {
      s.append(value == null ? ": state " : ", state ").append(JsNumber.format(state));
    }
    s.append(outcome == Outcome.SKIPPED ? ": skipped" : ": imported");
    return s.toString();
  }

  @Override
  public String toString() {
    return kind + " " + message();
  }
}
