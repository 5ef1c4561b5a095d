package io.jgun.radata;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Gun.js (npm gun@0.2020.1241) writes a radata folder during the test (resources
 * io/jgun/radata/gun-write-radata.js: a few hundred nodes of every value type, unicode and odd
 * souls and keys, links, nulls, fractions, a 500-field node, a set, updates and deletes, an 8 KiB
 * chunk so that files split), waits for every ack and for radisk to go idle, and reports every atom
 * of its graph. The reader must find exactly those atoms, states included.
 */
class RadataGunJsLiveTest {
  private static final char ESC = '\u001b';

  @TempDir Path tmp;

  @Test
  void readsExactlyWhatGunJsWrote() throws Exception {
    GunJs gun = GunJs.require();
    Path script = Path.of(getClass().getResource("gun-write-radata.js").toURI());
    Path dir = tmp.resolve("radata");
    Path report = tmp.resolve("report.json");
    GunJs.Result r = gun.writeRadata(tmp, script, dir, report);
    assertThat(r.exit()).as("Gun.js writer:%n%s", r.output()).isZero();

    Map<String, Field> written = new HashMap<>();
    Set<String> souls = new HashSet<>();
    @SuppressWarnings("unchecked")
    List<List<Object>> atoms =
        (List<List<Object>>) ((Map<String, Object>) TestJson.parse(report)).get("atoms");
    for (List<Object> a : atoms) {
      String soul = (String) a.get(0);
      written.put(soul + ESC + a.get(1), TestJson.field(a.get(2), a.get(3)));
      souls.add(soul);
    }
    assertThat(written).hasSizeGreaterThan(3000);

    Collected c = Collected.read(dir);

    assertThat(c.damages).isEmpty();
    Map<String, Field> read = new HashMap<>();
    c.atoms.forEach((k, a) -> read.put(k, a.field()));
    assertThat(read.keySet()).isEqualTo(written.keySet());
    for (Map.Entry<String, Field> e : written.entrySet()) {
      assertThat(read.get(e.getKey())).as(e.getKey().replace(ESC, '|')).isEqualTo(e.getValue());
    }
    assertThat(c.summary.atoms()).isEqualTo(written.size());
    assertThat(c.summary.souls()).isEqualTo(souls.size());
    assertThat(c.summary.duplicates()).isZero();

    // the data really was split: many files, the 500-field node over several of them, and radix
    // labels ending inside a surrogate pair (JSON.stringify writes them as lone \ud83d escapes)
    assertThat(c.summary.files()).isGreaterThan(10);
    Set<String> bigFiles =
        c.atoms.values().stream()
            .filter(a -> a.soul().equals("big"))
            .map(Atom::file)
            .collect(Collectors.toSet());
    assertThat(bigFiles).hasSizeGreaterThan(1);
    boolean loneSurrogateLabel;
    try (Stream<Path> files = Files.list(dir)) {
      loneSurrogateLabel =
          files.anyMatch(
              p -> {
                try {
                  return Files.readString(p).contains("\\ud83d\":");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    }
    assertThat(loneSurrogateLabel).isTrue();
  }
}
