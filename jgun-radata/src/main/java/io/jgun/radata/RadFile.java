package io.jgun.radata;

import io.jgun.graph.Ham;
import io.jgun.json.JsNumber;
import io.jgun.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads one RAD file into atoms and damage, the way radisk's {@code r.parse} picks the format:
 * bytes as UTF-8 (with U+FFFD for invalid sequences, as Node.js's {@code Buffer.toString} does),
 * then JSON; when that fails and the text does not start with a brace, the v0.2019 text format.
 */
final class RadFile {
  private RadFile() {}

  /** What one file held. */
  static final class Content {
    final List<Atom> atoms = new ArrayList<>();
    final List<Damage> damages = new ArrayList<>();
    long bytes;
  }

  static Content read(Path path, String name, long maxBytes, AtomDecoder decoder) {
    Content c = new Content();
    byte[] bytes;
    try {
      long size = Files.size(path);
      c.bytes = size;
      if (size > maxBytes) {
        c.damages.add(
            fileDamage(name, Damage.Kind.TOO_BIG, size + " bytes, over the limit of " + maxBytes));
        return c;
      }
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      }
      c.bytes = bytes.length;
      if (bytes.length > maxBytes) {
        c.damages.add(
            fileDamage(
                name,
                Damage.Kind.TOO_BIG,
                "grew over the limit of " + maxBytes + " bytes while read"));
        return c;
      }
    } catch (IOException | RuntimeException e) {
      c.damages.add(fileDamage(name, Damage.Kind.UNREADABLE, String.valueOf(e)));
      return c;
    }
    if (bytes.length == 0) {
      c.damages.add(
          fileDamage(
              name,
              Damage.Kind.EMPTY,
              "empty file (Gun.js reads it as missing; a crash before the data reached the disk"
                  + " leaves one)"));
      return c;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.UTF_8);
      c.damages.add(
          new Damage(
              name,
              Damage.Kind.INVALID_UTF8,
              null,
              "invalid UTF-8; read with U+FFFD in place of the bad bytes, as Gun.js does",
              null,
              null,
              Damage.Outcome.IMPORTED));
    }
    parse(text, name, decoder, c);
    return c;
  }

  /** Parses {@code text} (the content of file {@code name}) into {@code c}. */
  static void parse(String text, String name, AtomDecoder decoder, Content c) {
    Collector json = new Collector(name, decoder);
    try {
      JsonTree.walk(text, json);
      json.drainInto(c);
      return;
    } catch (JsonTree.NotATree e) {
      c.damages.add(fileDamage(name, Damage.Kind.NOT_RAD, Objects.requireNonNull(e.getMessage(), "thrown with a reason")));
      return;
    } catch (JsonCursor.SyntaxError e) {
      if (text.stripLeading().startsWith("{")) {
        c.damages.add(invalidJson(name, e, json));
        if (decoder.salvages()) {
          json.drainInto(c);
        }
        return;
      }
    } catch (RuntimeException e) {
      c.damages.add(fileDamage(name, Damage.Kind.UNREADABLE, "internal error: " + e));
      return;
    }
    Collector legacy = new Collector(name, decoder);
    try {
      LegacyTree.walk(text, legacy);
      legacy.drainInto(c);
    } catch (LegacyTree.NotRad e) {
      c.damages.add(fileDamage(name, Damage.Kind.NOT_RAD, Objects.requireNonNull(e.getMessage(), "thrown with a reason")));
    } catch (RuntimeException e) {
      c.damages.add(fileDamage(name, Damage.Kind.UNREADABLE, "internal error: " + e));
    }
  }

  private static Damage invalidJson(String name, JsonCursor.SyntaxError e, Collector before) {
    String where = " at character " + e.offset;
    String what = e.getMessage();
    int n = before.atoms.size();
    return new Damage(
        name,
        Damage.Kind.INVALID_JSON,
        null,
        "invalid JSON"
            + where
            + " ("
            + what
            + "), e.g. truncated by a crash; "
            + n
            + (n == 1 ? " atom" : " atoms")
            + " before the error"
            + (before.decoder.salvages() ? " imported" : " left out (salvage imports them)")
            + " and the rest lost",
        null,
        null,
        before.decoder.salvages() && n > 0 ? Damage.Outcome.IMPORTED : Damage.Outcome.SKIPPED);
  }

  static Damage fileDamage(String name, Damage.Kind kind, String detail) {
    return new Damage(name, kind, null, detail, null, null, Damage.Outcome.SKIPPED);
  }

  /** Collects one format reader's findings for one file. */
  private static final class Collector implements TreeSink {
    final String file;
    final AtomDecoder decoder;
    final List<Atom> atoms = new ArrayList<>();
    final List<Damage> damages = new ArrayList<>();

    Collector(String file, AtomDecoder decoder) {
      this.file = file;
      this.decoder = decoder;
    }

    @Override
    public void leaf(
        String key,
        Json value,
        boolean unwrapped,
        boolean undefinedEdge,
        TreeSink.@Nullable Problem problem) {
      AtomDecoder.Decoded d = decoder.decode(file, key, value, unwrapped, undefinedEdge, problem);
      if (d.atom() != null) {
        atoms.add(d.atom());
      }
      if (d.damage() != null) {
        damages.add(d.damage());
      }
    }

    @Override
    public void stray(String key, Json value, boolean undefinedEdge) {
      damages.add(
          new Damage(
              file,
              undefinedEdge ? Damage.Kind.UNDEFINED_EDGE : Damage.Kind.STRAY_VALUE,
              key,
              "a plain value where the radix tree needs a branch; no leaf holds it",
              AtomDecoder.shorten(value.toJs()),
              null,
              Damage.Outcome.SKIPPED));
    }

    @Override
    public void brokenRecord(String key, String detail) {
      damages.add(
          new Damage(
              file,
              Damage.Kind.LEGACY_RECORD,
              key.isEmpty() ? null : key,
              detail,
              null,
              null,
              Damage.Outcome.SKIPPED));
    }

    /**
     * Moves the findings into {@code c}, one atom per key. A key reached by two paths of one tree
     * (a radix tree has one path per key; Gun.js's parser damage makes more, §11.6) keeps the HAM
     * winner and reports the other copy: it is data under a wrong key, or the right data lost.
     */
    void drainInto(Content c) {
      Map<String, Integer> at = new HashMap<>();
      for (Atom a : atoms) {
        Integer i = at.putIfAbsent(a.radKey(), c.atoms.size());
        if (i == null) {
          c.atoms.add(a);
          continue;
        }
        Atom held = c.atoms.get(i);
        if (held.field().equals(a.field())) {
          continue; // the same atom twice: nothing lost
        }
        Atom loser = a;
        if (Ham.decide(a.field(), held.field(), Double.POSITIVE_INFINITY) == Ham.Decision.ACCEPT) {
          c.atoms.set(i, a);
          loser = held;
        }
        Atom winner = c.atoms.get(i);
        damages.add(
            new Damage(
                file,
                Damage.Kind.DUPLICATE_KEY,
                a.radKey(),
                "the key is in this file twice, at two paths of its radix tree (Gun.js's parser"
                    + " damage, docs/protocol.md §11.6), so one copy is not what was written there;"
                    + " kept by HAM: "
                    + AtomDecoder.shorten(winner.value().json())
                    + " at state "
                    + JsNumber.format(winner.state())
                    + "; this copy",
                AtomDecoder.shorten(loser.value().json()),
                loser.state(),
                Damage.Outcome.SKIPPED));
      }
      c.damages.addAll(damages);
    }
  }
}
