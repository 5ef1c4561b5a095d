package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Laws checked against a model: whatever the radix layout (split labels, shuffled siblings), the
 * split into files and the copies of keys in the wrong files, the reader delivers every key once
 * with its HAM winner, in key order.
 */
class RadataPropertiesTest {
  private static final char ESC = '\u001b';
  // BMP letters, astral pairs (emoji share their high surrogate), characters file names encode
  private static final String[] PARTS = {
    "a",
    "b",
    "ab",
    "é",
    "\ud83d\ude00",
    "\ud83d\ude01",
    "/",
    "*",
    "%",
    " ",
    "\u0000",
    "~",
    "\uffff",
    "x.y",
    "\"",
    "\\",
    "undefine"
  };

  @Property(tries = 80)
  void readerDeliversTheHamMergeOfEveryCopy(@ForAll long seed) throws IOException {
    Random rnd = new Random(seed);
    Path tmp = Files.createTempDirectory("jgun-radata-prop");
    try {
      Path dir = Files.createDirectory(tmp.resolve("radata"));
      // the model: every copy of every key
      Map<String, List<Field>> copies = new TreeMap<>();
      int keys = 1 + rnd.nextInt(60);
      for (int i = 0; i < keys; i++) {
        String key = word(rnd) + ESC + word(rnd);
        int n = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
        for (int c = 0; c < n; c++) {
          copies
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(new Field(value(rnd), state(rnd)));
        }
      }
      // files: cut the sorted keys into ranges named after their first key
      List<String> sorted = new ArrayList<>(copies.keySet());
      int files = 1 + rnd.nextInt(Math.min(6, sorted.size()));
      TreeSet<Integer> cuts = new TreeSet<>();
      while (cuts.size() < files - 1) {
        cuts.add(1 + rnd.nextInt(sorted.size() - 1));
      }
      List<String> names = new ArrayList<>();
      names.add("!");
      for (int cut : cuts) {
        names.add(RadKeys.fileName(sorted.get(cut)));
      }
      List<TreeMap<String, String>> content = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        content.add(new TreeMap<>());
      }
      int total = 0;
      for (int k = 0; k < sorted.size(); k++) {
        String key = sorted.get(k);
        int owner = cuts.headSet(k, true).size();
        List<Field> fs = copies.get(key);
        List<Field> placed = new ArrayList<>();
        for (int c = 0; c < fs.size(); c++) {
          int file = c == 0 && rnd.nextInt(5) != 0 ? owner : rnd.nextInt(files);
          if (content.get(file).containsKey(key)) {
            continue; // one copy per file: a JSON object has one property per label
          }
          Field field = fs.get(c);
          content.get(file).put(key, RadTrees.leaf(field.value(), field.state()));
          placed.add(field);
          total++;
        }
        copies.put(key, placed);
      }
      for (int f = 0; f < files; f++) {
        Files.writeString(dir.resolve(names.get(f)), RadTrees.json(content.get(f), rnd));
      }
      if (rnd.nextBoolean()) {
        Files.writeString(dir.resolve("%1C"), "{\"!\":{\"\":1}}");
      }

      Collected c =
          Collected.read(
              RadataReader.builder(dir).maxStrayAtoms(1 + rnd.nextInt(keys + 1) + keys).build());

      Map<String, Field> expected = new TreeMap<>();
      long souls = 0;
      String lastSoul = null;
      for (Map.Entry<String, List<Field>> e : copies.entrySet()) {
        expected.put(e.getKey(), e.getValue().stream().max(HAM).orElseThrow());
        String soul = e.getKey().substring(0, e.getKey().indexOf(ESC));
        if (!soul.equals(lastSoul)) {
          souls++;
          lastSoul = soul;
        }
      }
      Map<String, Field> got = new HashMap<>();
      c.atoms.forEach((k, a) -> got.put(k, a.field()));
      assertThat(c.damages).isEmpty();
      assertThat(got).isEqualTo(expected);
      assertThat(c.summary.atoms()).isEqualTo(expected.size());
      assertThat(c.summary.souls()).isEqualTo(souls);
      assertThat(c.summary.duplicates()).isEqualTo(total - expected.size());
      assertThat(c.summary.files()).isEqualTo(files);
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** HAM's order on copies: higher state, then the greater JSON text (docs/protocol.md §2.2). */
  private static final Comparator<Field> HAM =
      Comparator.comparingDouble(Field::state).thenComparing(f -> f.value().json());

  private static String word(Random rnd) {
    StringBuilder s = new StringBuilder();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      s.append(PARTS[rnd.nextInt(PARTS.length)]);
    }
    return s.toString();
  }

  private static double state(Random rnd) {
    switch (rnd.nextInt(4)) {
      case 0:
        return 1 + rnd.nextInt(3); // ties
      case 1:
        return 1795527062834.0 + rnd.nextInt(1000) / 999.0;
      case 2:
        return -rnd.nextDouble() * 1e3;
      default:
        return rnd.nextDouble() * 4e12;
    }
  }

  private static Value value(Random rnd) {
    switch (rnd.nextInt(7)) {
      case 0:
        return Value.text(word(rnd) + (rnd.nextBoolean() ? "" : "\ud800" + ESC + "\u001f>"));
      case 1:
        return Value.number(rnd.nextInt(100) - 50);
      case 2:
        return Value.number(
            Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL)
                * (rnd.nextBoolean() ? 1 : -1));
      case 3:
        return Value.bool(rnd.nextBoolean());
      case 4:
        return Value.NULL;
      case 5:
        return Value.text("");
      default:
        return Value.link(word(rnd));
    }
  }
}
