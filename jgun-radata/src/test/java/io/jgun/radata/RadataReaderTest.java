package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made folders: every format detail and every kind of damage, one at a time. */
class RadataReaderTest {
  private static final char ESC = '\u001b';

  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void folder() throws IOException {
    dir = Files.createDirectory(tmp.resolve("radata"));
  }

  /** Writes a file; in {@code json}, "␛" stands for the JSON escape of ESC. */
  void write(String name, String json) throws IOException {
    Files.writeString(dir.resolve(name), json.replace("␛", "\\u001b"), StandardCharsets.UTF_8);
  }

  static String leaf(String value, String state) {
    return "{\"\":{\":\":" + value + ",\">\":" + state + "}}";
  }

  Collected read() throws IOException {
    return Collected.read(dir);
  }

  Collected salvage() throws IOException {
    return Collected.read(RadataReader.builder(dir).salvage(true).build());
  }

  // ---- the format ----

  @Test
  void valuesOfEveryTypeAndJavaScriptNumbers() throws IOException {
    write(
        "!",
        "{\"n␛\":{"
            + "\"s\":"
            + leaf("\"text\"", "1795527062834.0051")
            + ",\"e\":"
            + leaf("\"\"", "1")
            + ",\"i\":"
            + leaf("42", "2")
            + ",\"f\":"
            + leaf("-3.14159", "3.5")
            + ",\"big\":"
            + leaf("1e+21", "4")
            + ",\"tiny\":"
            + leaf("5e-324", "5")
            + ",\"t\":"
            + leaf("true", "6")
            + ",\"no\":"
            + leaf("false", "7")
            + ",\"null\":"
            + leaf("null", "8")
            + ",\"l\":"
            + leaf("{\"#\":\"other/soul\"}", "9")
            + ",\"neg0\":"
            + leaf("-0", "-1e-7")
            + "}}");

    Collected c = read();

    assertThat(c.damages).isEmpty();
    assertThat(c.get("n", "s").field())
        .isEqualTo(new Field(Value.text("text"), 1795527062834.0051));
    assertThat(c.get("n", "e").value()).isEqualTo(Value.text(""));
    assertThat(c.get("n", "i").value()).isEqualTo(Value.number(42));
    assertThat(c.get("n", "f").field()).isEqualTo(new Field(Value.number(-3.14159), 3.5));
    assertThat(c.get("n", "big").value()).isEqualTo(Value.number(1e21));
    assertThat(c.get("n", "tiny").value()).isEqualTo(Value.number(Double.MIN_VALUE));
    assertThat(c.get("n", "t").value()).isEqualTo(Value.bool(true));
    assertThat(c.get("n", "no").value()).isEqualTo(Value.bool(false));
    assertThat(c.get("n", "null").value()).isEqualTo(Value.NULL);
    assertThat(c.get("n", "l").value()).isEqualTo(Value.link("other/soul"));
    assertThat(c.get("n", "neg0").field()).isEqualTo(new Field(Value.number(0), -1e-7));
    assertThat(c.summary.atoms()).isEqualTo(11);
    assertThat(c.summary.souls()).isEqualTo(1);
    assertThat(c.get("n", "s").file()).isEqualTo("!");
  }

  @Test
  void oddKeysEscapesAndSurrogatePairsSplitAcrossEdges() throws IOException {
    // "😀" is \ud83d\ude00: radix edges are UTF-16 runs, so a pair can be split between two edges
    write(
        "!",
        "{\"so\\\"ul\\\\\":{\"␛\":{\"k\\u0000\\n\":"
            + leaf("1", "1")
            + "}},"
            + "\"\\ud83d\":{\"\\ude00␛\":{\"x\":"
            + leaf("2", "2")
            + "},"
            + "\"\\ude01␛y\":"
            + leaf("3", "3")
            + "},"
            + "\"ünï/*% \":{\"␛鍵 ✓\":"
            + leaf("\"v\\u001bw\"", "4")
            + "}}");

    Collected c = read();

    assertThat(c.damages).isEmpty();
    assertThat(c.get("so\"ul\\", "k\u0000\n").value()).isEqualTo(Value.number(1));
    assertThat(c.get("\ud83d\ude00", "x").value()).isEqualTo(Value.number(2));
    assertThat(c.get("\ud83d\ude01", "y").value()).isEqualTo(Value.number(3));
    assertThat(c.get("ünï/*% ", "鍵 ✓").value()).isEqualTo(Value.text("v\u001bw"));
    assertThat(c.summary.souls()).isEqualTo(4);
  }

  @Test
  void v2019LeavesInsideJsonFiles() throws IOException {
    // a 2019 folder rewritten by 0.2020 keeps its string leaves: enc(value) ">" enc(state)
    write(
        "!",
        "{\"old␛\":{"
            + "\"name\":{\"\":\"␛\\\"Bob!␛>␛+1549776205172␛\"},"
            + "\"age\":{\"\":\"␛+29␛>␛+1549776205172.5␛\"},"
            + "\"ok\":{\"\":\"␛+␛>␛+1␛\"},"
            + "\"no\":{\"\":\"␛-␛>␛+2␛\"},"
            + "\"gone\":{\"\":\"␛ ␛>␛+3␛\"},"
            + "\"pet\":{\"\":\"␛#XAqx␛>␛+4␛\"},"
            + "\"gt\":{\"\":\"␛\\\"a>b␛>␛+5␛\"},"
            + "\"esc\":{\"\":\"␛␛\\\"x␛y␛>␛+6␛\"}"
            + "}}");

    Collected c = read();

    assertThat(c.damages).isEmpty();
    assertThat(c.get("old", "name").field())
        .isEqualTo(new Field(Value.text("Bob!"), 1549776205172.0));
    assertThat(c.get("old", "age").field()).isEqualTo(new Field(Value.number(29), 1549776205172.5));
    assertThat(c.get("old", "ok").value()).isEqualTo(Value.bool(true));
    assertThat(c.get("old", "no").value()).isEqualTo(Value.bool(false));
    assertThat(c.get("old", "gone").value()).isEqualTo(Value.NULL);
    assertThat(c.get("old", "pet").value()).isEqualTo(Value.link("XAqx"));
    assertThat(c.get("old", "gt").value()).as("lastIndexOf('>')").isEqualTo(Value.text("a>b"));
    assertThat(c.get("old", "esc").value()).isEqualTo(Value.text("x\u001by"));
  }

  @Test
  void v2019TextFiles() throws IOException {
    String us = "\u001f";
    String text =
        us + "+0" + us + "#" + us + "\"s" + us + "\n" + us + "+1" + us + "#" + us + "\"" + ESC + us
            + "\n" + us + "+2" + us + "#" + us + "\"a" + us + ":" + us + "\"" + ESC + "+1" + ESC
            + ">" + ESC + "+10" + ESC + us + "\n"
            // a value holding the separator is framed by two
            + us + "+2" + us + "#" + us + "\"b" + us + ":" + us + us + "\"" + ESC + "\"x" + us + "y"
            + ESC + ">" + ESC + "+11" + ESC + us + "\n" + us + "+0" + us + "#" + us + "\"t" + ESC
            + "c" + us + ":" + us + "\"" + ESC + "#s" + ESC + ">" + ESC + "+12" + ESC + us + "\n"
            + us + "+0" + us + "#" + us + "\"u" + ESC + "d" + us + ":" + us + "+7" + us + "\n";
    Files.writeString(dir.resolve("!"), text);

    Collected c = read();

    assertThat(c.get("s", "a").field()).isEqualTo(new Field(Value.number(1), 10));
    assertThat(c.get("s", "b").field()).isEqualTo(new Field(Value.text("x\u001fy"), 11));
    assertThat(c.get("t", "c").field()).isEqualTo(new Field(Value.link("s"), 12));
    assertThat(c.damages)
        .extracting(Damage::kind, Damage::key, Damage::value)
        .containsExactly(tuple(Damage.Kind.BAD_LEAF, "u" + ESC + "d", "7"));
  }

  @Test
  void v2019TextFileBrokenHalfWay() throws IOException {
    String us = "\u001f";
    String text =
        us
            + "+0"
            + us
            + "#"
            + us
            + "\"s"
            + ESC
            + "a"
            + us
            + ":"
            + us
            + "\""
            + ESC
            + "+1"
            + ESC
            + ">"
            + ESC
            + "+10"
            + ESC
            + us
            + "\n"
            + us
            + "+0"
            + us
            + "#"
            + us
            + "\"s"
            + ESC
            + "b"
            + us
            + ":"
            + us
            + "\"unterminated";
    Files.writeString(dir.resolve("!"), text);

    Collected c = read();

    assertThat(c.get("s", "a").value()).isEqualTo(Value.number(1));
    assertThat(c.damages).hasSize(1);
    Damage d = c.damages.get(0);
    assertThat(d.kind()).isEqualTo(Damage.Kind.LEGACY_RECORD);
    assertThat(d.key()).isEqualTo("s" + ESC + "b");
    assertThat(d.detail()).contains("not closed").contains("rest of the file");
  }

  // ---- merging ----

  @Test
  void copiesInSeveralFilesKeepTheHamWinner() throws IOException {
    // '!' owns keys below "m", "m%1Bz" owns the rest; strays sit in the wrong file both ways
    write(
        "!",
        "{\"a␛\":{\"x\":"
            + leaf("\"old\"", "1")
            + ",\"y\":"
            + leaf("\"a\"", "5")
            + "},"
            + "\"n␛late\":"
            + leaf("\"stray newer\"", "9")
            + "}");
    write(
        "m%1Bz",
        "{\"a␛\":{\"x\":"
            + leaf("\"new\"", "2")
            + ",\"y\":"
            + leaf("\"b\"", "5")
            + "},"
            + "\"n␛late\":"
            + leaf("\"owner older\"", "3")
            + ",\"z␛only\":"
            + leaf("1", "1")
            + "}");

    Collected c = read();

    assertThat(c.damages).isEmpty();
    assertThat(c.get("a", "x").field()).isEqualTo(new Field(Value.text("new"), 2));
    assertThat(c.get("a", "x").file()).isEqualTo("m%1Bz");
    // equal states: the greater JSON text wins ("b" > "a"), as HAM decides
    assertThat(c.get("a", "y").value()).isEqualTo(Value.text("b"));
    assertThat(c.get("n", "late").field()).isEqualTo(new Field(Value.text("stray newer"), 9));
    assertThat(c.get("n", "late").file()).isEqualTo("!");
    assertThat(new ArrayList<>(c.atoms.keySet()))
        .containsExactly("a" + ESC + "x", "a" + ESC + "y", "n" + ESC + "late", "z" + ESC + "only");
    assertThat(c.summary.duplicates()).isEqualTo(3);
    assertThat(c.summary.conflicts()).isEqualTo(3);
    assertThat(c.summary.atoms()).isEqualTo(4);
    assertThat(c.summary.souls()).isEqualTo(3);
    assertThat(c.summary.describe(5)).contains("3 extra copies");
  }

  @Test
  void identicalCopiesAreDuplicatesButNotConflicts() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    write("b", "{\"a␛x\":" + leaf("1", "1") + ",\"b␛x\":" + leaf("2", "2") + "}");

    Collected c = read();

    assertThat(c.summary.duplicates()).isEqualTo(1);
    assertThat(c.summary.conflicts()).isZero();
    assertThat(c.atoms).hasSize(2);
  }

  @Test
  void aKeyAtTwoPathsOfOneFileIsReported() throws IOException {
    // "k8" → "1␛" and "k8" → "1" → "␛" spell the same key: a radix tree never does that
    write(
        "!",
        "{\"k8\":{\"1␛\":{\"n\":"
            + leaf("81", "10")
            + "},\"1\":{\"␛\":{\"n\":"
            + leaf("801", "20")
            + "}}}}");

    Collected c = read();

    assertThat(c.get("k81", "n").value()).isEqualTo(Value.number(801));
    assertThat(c.damages).hasSize(1);
    Damage d = c.damages.get(0);
    assertThat(d.kind()).isEqualTo(Damage.Kind.DUPLICATE_KEY);
    assertThat(d.value()).isEqualTo("81");
    assertThat(d.state()).isEqualTo(10.0);
    assertThat(d.detail()).contains("kept by HAM: 801");
    assertThat(c.summary.duplicates()).as("counted as damage, not as a cross-file copy").isZero();
  }

  @Test
  void singleFileFoldersAreReadOnce() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    Collected c = read();
    assertThat(c.progress)
        .extracting(RadataVisitor.Progress::phase)
        .containsOnly(RadataVisitor.Phase.READ);
    assertThat(c.progress.get(0).done()).isEqualTo(1.0);
  }

  // ---- damage to whole files ----

  @Test
  void truncatedJsonIsSkippedOrSalvaged() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    write("b", "{\"b␛x\":" + leaf("2", "2") + ",\"b␛y\":{\"\":{\":\":3,\">\":");

    Collected strict = read();
    assertThat(strict.atoms.keySet()).containsExactly("a" + ESC + "x");
    assertThat(strict.damages).hasSize(1);
    Damage d = strict.damages.get(0);
    assertThat(d.kind()).isEqualTo(Damage.Kind.INVALID_JSON);
    assertThat(d.file()).isEqualTo("b");
    assertThat(d.key()).isNull();
    assertThat(d.skipped()).isTrue();
    assertThat(d.detail()).contains("at character").contains("1 atom before the error left out");
    assertThat(strict.summary.damagedFiles()).isEqualTo(1);
    assertThat(strict.summary.files()).isEqualTo(2);

    Collected salvaged = salvage();
    assertThat(salvaged.atoms.keySet()).containsExactly("a" + ESC + "x", "b" + ESC + "x");
    assertThat(salvaged.damages.get(0).outcome()).isEqualTo(Damage.Outcome.IMPORTED);
  }

  @Test
  void filesThatAreNotRad() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    write("empty", "");
    write("text", "hello, world");
    write("array", "[1,2]");
    write("trailing", "{\"t␛x\":" + leaf("1", "1") + "} {}");
    write("big", "{\"z␛x\":" + leaf("\"" + "x".repeat(500) + "\"", "1") + "}");

    Collected c = Collected.read(RadataReader.builder(dir).maxFileBytes(400).build());

    assertThat(c.atoms.keySet()).containsExactly("a" + ESC + "x");
    assertThat(c.damages)
        .extracting(Damage::file, Damage::kind)
        .containsExactlyInAnyOrder(
            tuple("empty", Damage.Kind.EMPTY),
            tuple("text", Damage.Kind.NOT_RAD),
            tuple("array", Damage.Kind.NOT_RAD),
            tuple("trailing", Damage.Kind.INVALID_JSON),
            tuple("big", Damage.Kind.TOO_BIG));
    assertThat(c.summary.damagedFiles()).isEqualTo(5);
    assertThat(c.summary.skippedEntries()).isEqualTo(5);
    assertThat(c.damages)
        .allSatisfy(d -> assertThat(d.message()).startsWith("file \"" + d.file() + "\": "));
  }

  @Test
  void invalidUtf8IsReadWithReplacementCharactersAndReported() throws IOException {
    byte[] head = "{\"a\\u001bx\":{\"\":{\":\":\"b".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "d\",\">\":1}}}".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xff;
    System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
    Files.write(dir.resolve("!"), bytes);

    Collected c = read();

    assertThat(c.get("a", "x").value()).isEqualTo(Value.text("b\ufffdd"));
    assertThat(c.damages)
        .extracting(Damage::kind, Damage::outcome)
        .containsExactly(tuple(Damage.Kind.INVALID_UTF8, Damage.Outcome.IMPORTED));
    assertThat(c.summary.importedDamaged()).isEqualTo(1);
  }

  // ---- damage to entries ----

  @Test
  void leavesThatAreNotAtoms() throws IOException {
    write(
        "!",
        "{\"s␛\":{"
            + "\"nostate\":{\"\":{\":\":1}},"
            + "\"novalue\":{\"\":{\">\":1}},"
            + "\"strstate\":{\"\":{\":\":1,\">\":\"1\"}},"
            + "\"array\":"
            + leaf("[1]", "1")
            + ","
            + "\"object\":"
            + leaf("{\"a\":1}", "1")
            + ","
            + "\"link2\":"
            + leaf("{\"#\":\"x\",\"y\":1}", "1")
            + ","
            + "\"linkempty\":"
            + leaf("{\"#\":\"\"}", "1")
            + ","
            + "\"plain\":{\"\":1},"
            + "\"inf\":"
            + leaf("1e400", "1")
            + ","
            + "\"ok\":"
            + leaf("1", "1")
            + "}}");

    Collected c = salvage();

    assertThat(c.atoms.keySet()).containsExactly("s" + ESC + "ok");
    assertThat(c.damages)
        .extracting(d -> d.key().substring(2), Damage::kind, Damage::outcome)
        .containsExactlyInAnyOrder(
            tuple("nostate", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("novalue", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("strstate", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("array", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("object", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("link2", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("linkempty", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("plain", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED),
            tuple("inf", Damage.Kind.BAD_LEAF, Damage.Outcome.SKIPPED));
    Damage inf = c.damages.stream().filter(d -> d.key().endsWith("inf")).findFirst().orElseThrow();
    assertThat(inf.detail()).contains("1e400").contains("out of range");
    Damage plain =
        c.damages.stream().filter(d -> d.key().endsWith("plain")).findFirst().orElseThrow();
    assertThat(plain.value()).isEqualTo("1");
  }

  @Test
  void keysThatDoNotNameAField() throws IOException {
    write(
        "!",
        "{\"noesc\":"
            + leaf("1", "1")
            + ",\"two␛esc␛\":"
            + leaf("2", "2")
            + ",\"␛nosoul\":"
            + leaf("3", "3")
            + ",\"nofield␛\":"
            + leaf("4", "4")
            + "}");

    Collected c = salvage();

    assertThat(c.atoms).isEmpty();
    assertThat(c.damages)
        .extracting(Damage::key, Damage::kind, Damage::value, Damage::state)
        .containsExactlyInAnyOrder(
            tuple("noesc", Damage.Kind.BAD_KEY, "1", 1.0),
            tuple("two" + ESC + "esc" + ESC, Damage.Kind.BAD_KEY, "2", 2.0),
            tuple(ESC + "nosoul", Damage.Kind.BAD_KEY, "3", 3.0),
            tuple("nofield" + ESC, Damage.Kind.BAD_KEY, "4", 4.0));
    assertThat(c.damages).allSatisfy(d -> assertThat(d.skipped()).isTrue());
  }

  /** The shapes Gun.js's parser leaves (docs/protocol.md §11.6), as in the yson-damaged-10k file. */
  @Test
  void parserDamageShapes() throws IOException {
    write(
        "!",
        "{\"k␛\":{"
            // a leaf whose ">" became "undefined": certain, salvage imports it
            + "\"a\":{\"\":{\":\":1,\"undefined\":10}},"
            // a leaf whose ":" became "undefined": certain too
            + "\"b\":{\"\":{\"undefined\":2,\">\":20}},"
            // both labels gone: the value is lost
            + "\"c\":{\"\":{\"undefined\":30}},"
            // a leaf without its "" wrapper at a full key: the salvage case of docs/protocol.md
            // §11.6
            + "\"d\":{\":\":4,\">\":40},"
            // a link leaf without its wrapper
            + "\"e\":{\":\":{\"#\":\"s\"},\">\":50},"
            // a plain value in branch position
            + "\"f\":6,"
            // an edge labelled "undefined": a lost label or a real key: Gun.js skips it
            + "\"undefined\":{\"x\":"
            + leaf("7", "70")
            + "},"
            // a bare link object in branch position
            + "\"g\":{\"#\":\"lost\"}"
            + "}}");

    Collected strict = read();
    assertThat(strict.atoms).isEmpty();
    assertThat(strict.damages)
        .extracting(Damage::key, Damage::kind, Damage::value, Damage::state, Damage::outcome)
        .containsExactlyInAnyOrder(
            tuple("k" + ESC + "a", Damage.Kind.LEAF_LABEL_LOST, "1", 10.0, Damage.Outcome.SKIPPED),
            tuple("k" + ESC + "b", Damage.Kind.LEAF_LABEL_LOST, "2", 20.0, Damage.Outcome.SKIPPED),
            tuple("k" + ESC + "c", Damage.Kind.LEAF_LABEL_LOST, null, 30.0, Damage.Outcome.SKIPPED),
            tuple("k" + ESC + "d", Damage.Kind.MISSING_WRAPPER, "4", 40.0, Damage.Outcome.SKIPPED),
            tuple(
                "k" + ESC + "e",
                Damage.Kind.MISSING_WRAPPER,
                "{\"#\":\"s\"}",
                50.0,
                Damage.Outcome.SKIPPED),
            tuple("k" + ESC + "f", Damage.Kind.STRAY_VALUE, "6", null, Damage.Outcome.SKIPPED),
            tuple(
                "k" + ESC + "undefinedx",
                Damage.Kind.UNDEFINED_EDGE,
                "7",
                70.0,
                Damage.Outcome.SKIPPED),
            tuple(
                "k" + ESC + "g",
                Damage.Kind.STRAY_VALUE,
                "{\"#\":\"lost\"}",
                null,
                Damage.Outcome.SKIPPED));
    assertThat(strict.damages.stream().filter(d -> d.detail().contains("salvage would import it")))
        .extracting(Damage::key)
        .containsExactlyInAnyOrder(
            "k" + ESC + "a",
            "k" + ESC + "b",
            "k" + ESC + "d",
            "k" + ESC + "e",
            "k" + ESC + "undefinedx");

    Collected salvaged = salvage();
    assertThat(salvaged.get("k", "a").field()).isEqualTo(new Field(Value.number(1), 10));
    assertThat(salvaged.get("k", "b").field()).isEqualTo(new Field(Value.number(2), 20));
    assertThat(salvaged.get("k", "d").field()).isEqualTo(new Field(Value.number(4), 40));
    assertThat(salvaged.get("k", "e").field()).isEqualTo(new Field(Value.link("s"), 50));
    assertThat(salvaged.get("k", "undefinedx").field()).isEqualTo(new Field(Value.number(7), 70));
    assertThat(salvaged.atoms).hasSize(5);
    assertThat(salvaged.summary.importedDamaged()).isEqualTo(5);
    assertThat(salvaged.summary.skippedEntries()).isEqualTo(3);
  }

  // ---- the folder ----

  @Test
  void indexIsCheckedNotTrusted() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    write("b", "{\"b␛x\":" + leaf("2", "2") + "}");
    write("c", "{\"c␛x\":" + leaf("3", "3") + "}");
    // "b" dropped as bad (0), "c" not listed, "gone" listed without a file
    write("%1C", "{\"!\":{\"\":1},\"b\":{\"\":0},\"gone\":{\"\":1}}");

    Collected c = read();

    assertThat(c.atoms).hasSize(3);
    RadataSummary.IndexReport index = c.summary.index();
    assertThat(index.entries()).containsExactlyInAnyOrder("!", "gone");
    assertThat(index.filesNotIndexed()).containsExactlyInAnyOrder("b", "c");
    assertThat(index.entriesWithoutFile()).containsExactly("gone");
    assertThat(index.warnings()).hasSize(3);
  }

  @Test
  void unreadableIndexIsReported() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    write("%1C", "{\"!\":");
    Collected c = read();
    assertThat(c.atoms).hasSize(1);
    assertThat(c.summary.index().error()).isNotNull();
    assertThat(c.summary.index().warnings())
        .anySatisfy(w -> assertThat(w).contains("could not be read"));
  }

  @Test
  void tempFilesBesideTheFolder() throws IOException {
    write("!", "{\"a␛x\":" + leaf("\"renamed\"", "1") + "}");
    // rfs writes <folder>-<file>-<rnd>.tmp next to the folder, then renames it into place
    Files.writeString(
        tmp.resolve("radata-!-x7k.tmp"), "{\"a\\u001bx\":" + leaf("\"newer\"", "2") + "}");
    Files.writeString(tmp.resolve("radata-%1C-abc.tmp"), "{\"!\":{\"\":1}}");
    Files.writeString(tmp.resolve("other-!-x7k.tmp"), "{\"o\\u001bx\":" + leaf("1", "1") + "}");

    Collected off = read();
    assertThat(off.get("a", "x").value()).isEqualTo(Value.text("renamed"));
    assertThat(off.summary.tempFiles()).isEmpty();
    assertThat(off.summary.ignored()).anySatisfy(i -> assertThat(i).startsWith("radata-!-x7k.tmp"));

    Collected on = Collected.read(RadataReader.builder(dir).tempFiles(true).build());
    assertThat(on.get("a", "x").field()).isEqualTo(new Field(Value.text("newer"), 2));
    assertThat(on.get("a", "x").file()).isEqualTo("radata-!-x7k.tmp");
    assertThat(on.atoms).hasSize(1);
    assertThat(on.summary.tempFiles()).containsExactly("radata-!-x7k.tmp");
    assertThat(on.summary.ignored()).anySatisfy(i -> assertThat(i).contains("%1C index"));
    assertThat(on.summary.duplicates()).isEqualTo(1);
  }

  @Test
  void otherEntriesAreIgnoredAndListed() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    Files.createDirectory(dir.resolve("sub"));
    Collected c = read();
    assertThat(c.summary.ignored()).containsExactly("sub (not a regular file)");
    assertThat(c.summary.describe(5)).contains("ignored: sub");
  }

  @Test
  void emptyFolder() throws IOException {
    Collected c = read();
    assertThat(c.atoms).isEmpty();
    assertThat(c.summary.files()).isZero();
    assertThat(c.summary.clean()).isTrue();
  }

  @Test
  void missingFolderOrNotAFolder() throws IOException {
    assertThatThrownBy(() -> Collected.read(tmp.resolve("nope")))
        .isInstanceOf(NoSuchFileException.class);
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> Collected.read(file)).isInstanceOf(NotDirectoryException.class);
  }

  @Test
  void aFileRewrittenBetweenThePassesStopsTheRead() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + "}");
    write("b", "{\"b␛x\":" + leaf("2", "2") + "}");
    RadataVisitor rewriting =
        new RadataVisitor() {
          @Override
          public void atom(Atom atom) {}

          @Override
          public void progress(Progress p) throws IOException {
            if (p.phase() == Phase.SCAN && p.filesDone() == 2) {
              // '!' was scanned first: Gun.js rewrites it while we read
              write("!", "{\"a␛x\":" + leaf("1", "1") + ",\"a␛y\":" + leaf("3", "3") + "}");
            }
          }
        };
    assertThatThrownBy(() -> RadataReader.of(dir).read(rewriting))
        .isInstanceOf(RadataException.class)
        .hasMessageContaining("file ! changed while the folder was read");
  }

  @Test
  void tooManyStraysStopTheRead() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + ",\"z␛x\":" + leaf("2", "2") + "}");
    write("m", "{\"m␛x\":" + leaf("3", "3") + "}");
    assertThatThrownBy(() -> Collected.read(RadataReader.builder(dir).maxStrayAtoms(0).build()))
        .isInstanceOf(RadataException.class)
        .hasMessageContaining("maxStrayAtoms");
    assertThat(Collected.read(RadataReader.builder(dir).maxStrayAtoms(1).build()).atoms).hasSize(3);
  }

  @Test
  void damageRecordsAreCappedInTheSummaryButAllCountedAndVisited() throws IOException {
    write(
        "!",
        "{\"a\":" + leaf("1", "1") + ",\"b\":" + leaf("1", "1") + ",\"c\":" + leaf("1", "1") + "}");
    Collected c = Collected.read(RadataReader.builder(dir).maxReportedDamages(1).build());
    assertThat(c.damages).hasSize(3);
    assertThat(c.summary.damages()).hasSize(1);
    assertThat(c.summary.damagesTruncated()).isTrue();
    assertThat(c.summary.skippedEntries()).isEqualTo(3);
    assertThat(c.summary.describe(5)).contains("more damage than the report holds");
  }

  @Test
  void aVisitorExceptionStopsTheRead() throws IOException {
    write("!", "{\"a␛x\":" + leaf("1", "1") + ",\"b␛x\":" + leaf("2", "2") + "}");
    List<Atom> seen = new ArrayList<>();
    RadataVisitor failing =
        a -> {
          seen.add(a);
          throw new IOException("store full");
        };
    assertThatThrownBy(() -> RadataReader.of(dir).read(failing)).hasMessage("store full");
    assertThat(seen).hasSize(1);
  }

  @Test
  void builderValidates() {
    RadataReader.Builder b = RadataReader.builder(dir);
    assertThatThrownBy(() -> b.maxFileBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxStrayAtoms(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxReportedDamages(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.build().folder()).isEqualTo(dir);
  }
}
