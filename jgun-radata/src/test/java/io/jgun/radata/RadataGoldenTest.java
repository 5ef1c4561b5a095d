package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The folders real Gun.js wrote (test resources io/jgun/radata/golden, README there): each is read
 * and compared with what Gun.js itself reads back from it (expected/*.json, made by
 * scripts/gen-radata-expected.js with npm gun@0.2020.1241) and with what the writing script
 * (write-example.js) put.
 */
class RadataGoldenTest {
  private static final char ESC = '\u001b';

  @TempDir Path tmp;

  static Path golden(String name) throws URISyntaxException {
    return Path.of(RadataGoldenTest.class.getResource("golden/" + name).toURI());
  }

  /**
   * Copies a golden folder to {@code tmp/radata} (so nothing beside it is taken for temp files).
   */
  Path copy(String name) throws IOException, URISyntaxException {
    Path dir = tmp.resolve("radata");
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(golden(name))) {
      for (Path p : ds) {
        Files.copy(p, dir.resolve(p.getFileName().toString()));
      }
    }
    return dir;
  }

  @ParameterizedTest
  @ValueSource(strings = {"default-chunk", "split-chunk400", "split-chunk400-index-race"})
  void readsWhatGunJsReadsBack(String name) throws Exception {
    Collected c = Collected.read(copy(name));

    assertThat(c.damages).isEmpty();
    assertThat(c.summary.clean()).isTrue();
    assertThat(c.nodes()).isEqualTo(expected(name));
    // the atoms themselves, not only their text: states bit for bit
    Map<String, Map<String, Object>> souls = expectedRaw(name);
    for (Map.Entry<String, Map<String, Object>> node : souls.entrySet()) {
      for (Map.Entry<String, Object> f : node.getValue().entrySet()) {
        List<?> pair = (List<?>) f.getValue();
        assertThat(c.get(node.getKey(), f.getKey()).field())
            .isEqualTo(TestJson.field(pair.get(0), pair.get(1)));
      }
    }
    assertThat(c.summary.atoms()).isEqualTo(21);
    assertThat(c.summary.souls()).isEqualTo(8);
    assertThat(c.summary.duplicates()).isZero();
  }

  /** What write-example.js put, checked without Gun.js's help. */
  @ParameterizedTest
  @ValueSource(strings = {"default-chunk", "split-chunk400", "split-chunk400-index-race"})
  void readsWhatTheScriptWrote(String name) throws Exception {
    Collected c = Collected.read(copy(name));

    assertThat(c.get("alice", "name").value()).isEqualTo(Value.text("Alice"));
    assertThat(c.get("alice", "active").value()).isEqualTo(Value.bool(true));
    assertThat(c.get("alice", "nick").value()).isEqualTo(Value.NULL);
    // phase 2: the delete is a null with a newer state; the update too
    assertThat(c.get("alice", "age").value()).isEqualTo(Value.NULL);
    assertThat(c.get("alice", "age").state()).isGreaterThan(c.get("alice", "name").state() + 500);
    assertThat(c.get("nums", "int").value()).isEqualTo(Value.number(43));
    assertThat(c.get("nums", "int").state()).isGreaterThan(c.get("nums", "neg").state() + 500);
    assertThat(c.get("nums", "neg").value()).isEqualTo(Value.number(-7));
    assertThat(c.get("nums", "float").value()).isEqualTo(Value.number(3.14159));
    assertThat(c.get("nums", "big").value()).isEqualTo(Value.number(1e21));
    assertThat(c.get("nums", "zero").value()).isEqualTo(Value.number(0));
    assertThat(c.get("nums", "tiny").value()).isEqualTo(Value.number(Double.MIN_VALUE));
    assertThat(c.get("unicode", "greeting").value())
        .isEqualTo(Value.text("h\u00e9llo w\u00f6rld \ud83c\udf0d"));
    assertThat(c.get("unicode", "jp").value()).isEqualTo(Value.text("こんにちは"));
    assertThat(c.get("unicode", "k\u00e9y \u2713").value()).isEqualTo(Value.text("v"));
    assertThat(c.get("bob", "name").value()).isEqualTo(Value.text("Bob"));
    assertThat(c.get("bob", "address").value()).isEqualTo(Value.link("bob/address"));
    assertThat(c.get("bob/address", "city").value()).isEqualTo(Value.text("Paris"));
    assertThat(c.get("bob/address", "zip").value()).isEqualTo(Value.text("75001"));
    assertThat(c.get("a/b*c d", "x.y").value()).isEqualTo(Value.text("dots and stars"));
    assertThat(c.get("a/b*c d", "sp ace").value()).isEqualTo(Value.text("ok"));
    List<Atom> list =
        c.atoms.values().stream().filter(a -> a.soul().equals("list")).collect(Collectors.toList());
    assertThat(list).hasSize(1);
    String item = list.get(0).key();
    assertThat(list.get(0).value()).isEqualTo(Value.link(item));
    assertThat(c.get(item, "title").value()).isEqualTo(Value.text("item1"));
  }

  @Test
  void splitFolderIsReadInTwoPassesWithEachFileOnce() throws Exception {
    Path dir = copy("split-chunk400");
    Collected c = Collected.read(dir);

    assertThat(c.summary.files()).isEqualTo(4);
    assertThat(c.summary.bytes()).isEqualTo(265 + 295 + 329 + 334);
    assertThat(c.progress)
        .extracting(RadataVisitor.Progress::phase)
        .contains(RadataVisitor.Phase.SCAN, RadataVisitor.Phase.READ);
    RadataVisitor.Progress last = c.progress.get(c.progress.size() - 1);
    assertThat(last.done()).isEqualTo(1.0);
    assertThat(last.bytesDone()).isEqualTo(last.bytes());
    // which file each atom came from: the greatest file name at or below its key
    assertThat(c.get("alice", "nick").file()).isEqualTo("alice%1Bnick");
    assertThat(c.get("bob/address", "zip").file()).isEqualTo("alice%1Bnick");
    assertThat(c.get("alice", "name").file()).isEqualTo("!");
    assertThat(c.get("unicode", "jp").file()).isEqualTo("nums%1Bneg");
    assertThat(c.get("nums", "int").file()).isEqualTo("list%1Bmwuqh1m5054q3XKQX3xZE4");
    RadataSummary.IndexReport index = c.summary.index();
    assertThat(index.present()).isTrue();
    assertThat(index.entries())
        .containsExactlyInAnyOrder(
            "nums" + ESC + "neg",
            "list" + ESC + "mwuqh1m5054q3XKQX3xZE4",
            "alice" + ESC + "nick",
            "!");
    assertThat(index.warnings()).isEmpty();
  }

  /**
   * The index lost three entries to out-of-order renames (docs/protocol.md §11.5): Gun.js cannot
   * find bob, bob/address and alice.nick any more. Every file is read anyway, and the index's
   * staleness is reported.
   */
  @Test
  void indexRaceLosesNothingAndIsReported() throws Exception {
    Collected c = Collected.read(copy("split-chunk400-index-race"));

    assertThat(c.get("bob", "name").value()).isEqualTo(Value.text("Bob"));
    assertThat(c.get("bob/address", "city").value()).isEqualTo(Value.text("Paris"));
    assertThat(c.get("alice", "nick").value()).isEqualTo(Value.NULL);
    assertThat(c.atoms.values().stream().map(Atom::soul).distinct())
        .contains("alice", "unicode", "nums", "bob", "bob/address", "list", "a/b*c d");
    RadataSummary.IndexReport index = c.summary.index();
    assertThat(index.entries()).containsExactly("nums" + ESC + "neg");
    assertThat(index.filesNotIndexed())
        .containsExactlyInAnyOrder(
            "alice" + ESC + "nick", "list" + ESC + "mwuqh0l802jGPRJJZRbkx1l");
    assertThat(index.entriesWithoutFile()).isEmpty();
    assertThat(index.warnings())
        .anySatisfy(w -> assertThat(w).contains("alice\\u001bnick").contains("Gun.js cannot see"));
    assertThat(c.summary.describe(10)).contains("missing from %1C");
  }

  /**
   * test/rad/parse.rad of the gun package (hex in the golden folder): the v0.2019 text format, with
   * v0.2019 value>state leaves. Gun.js 0.2020.1241 refuses the whole file (its first record is not
   * at depth 0); here the records with a known key are read and the three without a parent record
   * are reported.
   */
  @Test
  void legacyTextFormat() throws Exception {
    Collected c = Collected.read(copy("legacy-2019"));

    assertThat(c.nodes())
        .isEqualTo(
            Map.of(
                "u/m",
                Map.of(
                    "alice", List.of("{\"#\":\"dlgw87rue6oVQhsvc3XFLrOu\"}", 1549776205172.0),
                    "bob", List.of("{\"#\":\"nuTAd2Tn4S5SiDVA7nxNBbZt\"}", 1549776205172.0)),
                "u/m/p",
                Map.of(
                    "alice", List.of("{\"#\":\"USw3Dp7hTD7VMBLnd8dVBR4s\"}", 1549776205200.0),
                    "bob", List.of("{\"#\":\"1VwZRUw7vQ1hX8gspN1ZrHVj\"}", 1549776205200.0))));
    assertThat(c.damages)
        .extracting(Damage::kind, Damage::key, Damage::value, Damage::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Damage.Kind.LEGACY_RECORD, "age", "29", 1549776205172.0),
            org.assertj.core.groups.Tuple.tuple(
                Damage.Kind.LEGACY_RECORD, "name", "\"Bob!\"", 1549776205172.0),
            org.assertj.core.groups.Tuple.tuple(
                Damage.Kind.LEGACY_RECORD,
                "pet",
                "{\"#\":\"XAqxAKkRa6lTsfAElEjDweqt\"}",
                1549776205172.0));
    assertThat(c.damages).allSatisfy(d -> assertThat(d.detail()).contains("no parent record"));
    assertThat(c.summary.skippedEntries()).isEqualTo(3);
    assertThat(c.summary.index().present()).isFalse();
  }

  // ---- yson-damaged-10k: what Gun.js's own parser leaves on disk after a plain 10k-node write
  // ----

  /** Every damaged entry of the file, by key (ESC written as '|'), and its kind. */
  private static final Map<String, Damage.Kind> YSON_DAMAGE = new TreeMap<>();

  /** The entries salvage can import (one label lost, key intact). */
  private static final Set<String> YSON_SALVAGEABLE = new TreeSet<>();

  static {
    for (String k :
        List.of(
            "k1363|t", "k2454|n", "k2454|t", "k3179|t", "k3903|n", "k432|n", "k4628|t", "k4992|n",
            "k5717|n", "k6079|n", "k62|n", "k630|t", "k6802|t", "k7165|n", "k7527|n", "k7890|n",
            "k8261|n", "k9341|n", "k988|t")) {
      YSON_DAMAGE.put(k, Damage.Kind.LEAF_LABEL_LOST);
      YSON_SALVAGEABLE.add(k);
    }
    YSON_DAMAGE.put("k2091|n", Damage.Kind.LEAF_LABEL_LOST); // value and state label lost
    YSON_DAMAGE.put("k6440|", Damage.Kind.LEAF_LABEL_LOST); // and the field label "t"
    YSON_DAMAGE.put("k1728|", Damage.Kind.MISSING_WRAPPER);
    YSON_DAMAGE.put("k8624|", Damage.Kind.MISSING_WRAPPER);
    YSON_DAMAGE.put("k426", Damage.Kind.MISSING_WRAPPER);
    YSON_DAMAGE.put("k535n", Damage.Kind.MISSING_WRAPPER);
    YSON_DAMAGE.put("k426t", Damage.Kind.BAD_KEY);
    YSON_DAMAGE.put("k535t", Damage.Kind.BAD_KEY);
    for (int d = 1; d <= 9; d++) {
      YSON_DAMAGE.put("k8" + d + "|n", Damage.Kind.DUPLICATE_KEY);
      YSON_DAMAGE.put("k8" + d + "|t", Damage.Kind.DUPLICATE_KEY);
    }
  }

  Path ysonFolder() throws Exception {
    Path dir = tmp.resolve("radata");
    Files.createDirectories(dir);
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(golden("yson-damaged-10k").resolve("!.gz")))) {
      Files.copy(in, dir.resolve("!"));
    }
    Files.copy(golden("yson-damaged-10k").resolve("%1C"), dir.resolve("%1C"));
    return dir;
  }

  /** k0..k9999 = {n: i, t: "value-i"}, as the bench wrote them. */
  static Map<String, Value> ysonModel() {
    Map<String, Value> m = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      m.put("k" + i + ESC + "n", Value.number(i));
      m.put("k" + i + ESC + "t", Value.text("value-" + i));
    }
    return m;
  }

  @Test
  void ysonDamageIsReportedEntryByEntry() throws Exception {
    Collected c = Collected.read(ysonFolder());
    Map<String, Value> model = ysonModel();

    Map<String, Damage.Kind> found = new TreeMap<>();
    for (Damage d : c.damages) {
      assertThat(d.file()).isEqualTo("!");
      assertThat(d.skipped()).isTrue();
      assertThat(found.put(d.key().replace(ESC, '|'), d.kind()))
          .as("one record per entry")
          .isNull();
    }
    assertThat(found).isEqualTo(YSON_DAMAGE);
    assertThat(c.summary.skippedEntries()).isEqualTo(YSON_DAMAGE.size());
    assertThat(c.summary.damagedFiles()).isEqualTo(1);

    // Every atom delivered is what was written, except k80..k89: Gun.js's parser moved the data of
    // k800..k809 under their keys (the real k80 is gone without a trace; for k81..k89 both copies
    // are there and the other one is reported as DUPLICATE_KEY).
    Set<String> wrong = new TreeSet<>();
    for (Atom a : c.atoms.values()) {
      Value expected = model.get(a.radKey());
      assertThat(expected).as(a.radKey()).isNotNull();
      if (!expected.equals(a.value())) {
        wrong.add(a.soul());
        String from = "k80" + a.soul().substring(2); // k81 holds k801's data
        assertThat(a.value()).isEqualTo(model.get(from + ESC + a.key()));
      }
    }
    assertThat(wrong)
        .containsExactlyInAnyOrder(
            "k80", "k81", "k82", "k83", "k84", "k85", "k86", "k87", "k88", "k89");

    // The nodes with missing fields: each one's loss is in the damage list above (k4266 under
    // "k426"/"k426t", k5354 under "k535n"/"k535t", ...), except k800..k809, whose keys were
    // rewritten (the undetectable part).
    Set<String> missingSouls = new TreeSet<>();
    for (String k : model.keySet()) {
      if (!c.atoms.containsKey(k)) {
        missingSouls.add(k.substring(0, k.indexOf(ESC)));
      }
    }
    Set<String> expectedMissing =
        new TreeSet<>(
            List.of(
                "k1363", "k1728", "k2091", "k2454", "k3179", "k3903", "k4266", "k432", "k4628",
                "k4992", "k5354", "k5717", "k6079", "k62", "k630", "k6440", "k6802", "k7165",
                "k7527", "k7890", "k8261", "k8624", "k9341", "k988"));
    for (int i = 800; i <= 809; i++) {
      expectedMissing.add("k" + i);
    }
    assertThat(missingSouls).isEqualTo(expectedMissing);

    // The nodes a fresh Gun.js process could not read back in full (damaged-souls.txt) are all
    // incomplete here too, except k8988: its damage was done by Gun.js's parser while reading back
    // (yson damages every parse anew), the file itself holds it intact.
    for (String line :
        Files.readAllLines(golden("yson-damaged-10k").resolve("damaged-souls.txt"))) {
      String soul = line.split(" ")[0];
      if (soul.equals("k8988")) {
        assertThat(c.get(soul, "n").value()).isEqualTo(Value.number(8988));
        assertThat(c.get(soul, "t").value()).isEqualTo(Value.text("value-8988"));
      } else {
        assertThat(missingSouls).as("Gun.js lost part of %s", soul).contains(soul);
      }
    }
    assertThat(c.summary.atoms()).isEqualTo(c.atoms.size());
    assertThat(c.summary.souls())
        .isEqualTo(c.atoms.values().stream().map(Atom::soul).distinct().count());
  }

  @Test
  void ysonSalvageRecoversOnlyCertainEntriesAndTheyAreRight() throws Exception {
    Path dir = ysonFolder();
    Collected strict = Collected.read(dir);
    Collected salvaged = Collected.read(RadataReader.builder(dir).salvage(true).build());
    Map<String, Value> model = ysonModel();

    Set<String> recovered = new TreeSet<>(salvaged.atoms.keySet());
    recovered.removeAll(strict.atoms.keySet());
    assertThat(recovered.stream().map(k -> k.replace(ESC, '|')).collect(Collectors.toSet()))
        .isEqualTo(YSON_SALVAGEABLE);
    for (String k : recovered) {
      assertThat(salvaged.atoms.get(k).value()).as(k).isEqualTo(model.get(k));
      // the state a recovered leaf carries is the one written with its sibling field
      String soul = k.substring(0, k.indexOf(ESC));
      String other = soul + ESC + (k.endsWith("n") ? "t" : "n");
      Atom sibling = strict.atoms.get(other);
      if (sibling != null && !soul.matches("k8[0-9]")) {
        assertThat(salvaged.atoms.get(k).state()).isEqualTo(sibling.state());
      }
    }
    assertThat(salvaged.damages).filteredOn(d -> !d.skipped()).hasSize(YSON_SALVAGEABLE.size());
    assertThat(salvaged.summary.importedDamaged()).isEqualTo(YSON_SALVAGEABLE.size());
    assertThat(salvaged.summary.skippedEntries())
        .isEqualTo(YSON_DAMAGE.size() - YSON_SALVAGEABLE.size());
    // everything strict delivered, salvage delivers identically
    for (Map.Entry<String, Atom> e : strict.atoms.entrySet()) {
      assertThat(salvaged.atoms.get(e.getKey()).field()).isEqualTo(e.getValue().field());
    }
  }

  static Map<String, Map<String, List<Object>>> expected(String name) throws Exception {
    Map<String, Map<String, List<Object>>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> node : expectedRaw(name).entrySet()) {
      Map<String, List<Object>> fields = new LinkedHashMap<>();
      for (Map.Entry<String, Object> f : node.getValue().entrySet()) {
        List<?> pair = (List<?>) f.getValue();
        Field field = TestJson.field(pair.get(0), pair.get(1));
        fields.put(f.getKey(), List.of(field.value().json(), field.state()));
      }
      out.put(node.getKey(), fields);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> expectedRaw(String name) throws Exception {
    Path p = Path.of(RadataGoldenTest.class.getResource("expected/" + name + ".json").toURI());
    return (Map<String, Map<String, Object>>)
        ((Map<String, Object>) TestJson.parse(p)).get("souls");
  }
}
