package io.jgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jgun.graph.Field;
import io.jgun.graph.Node;
import io.jgun.radata.GunJs;
import io.jgun.radata.TestJson;
import io.jgun.relay.CliRun;
import io.jgun.relay.RawClient;
import io.jgun.relay.RelayProcess;
import io.jgun.rocksdb.RocksStore;
import io.jgun.wire.TreeJson;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import, end to end, on a folder that real Gun.js (npm gun@0.2020.1241) writes during the test:
 * jgun-radata's {@code gun-write-radata.js} (a few hundred nodes of every value type, unicode and odd
 * souls and keys, links, nulls, updates and deletes, files split at 8 KiB) reports every atom of its
 * graph; {@code jgun import-radata} reads the folder into a data directory; every atom must then be
 * in the store with its value and state — and nothing else — and a relay started on that directory
 * must serve each node (a relay process: {@code jgun relay --data DIR}), over a WebSocket, exactly as Gun.js reported it. Skipped when node is not
 * installed or with {@code -Djgun.interop.skip=true}.
 */
class ImportRadataGunJsLiveTest {
  @TempDir Path tmp;

  @Test
  void everyAtomGunJsWroteIsImportedAndServed() throws Exception {
    GunJs gun = GunJs.require();
    Path script = tmp.resolve("gun-write-radata.js");
    try (InputStream in = GunJs.class.getResourceAsStream("gun-write-radata.js")) {
      assertThat(in).as("gun-write-radata.js in jgun-radata's test-jar").isNotNull();
      Files.copy(in, script);
    }
    Path radata = tmp.resolve("radata");
    Path report = tmp.resolve("report.json");
    GunJs.Result r = gun.writeRadata(tmp, script, radata, report);
    assertThat(r.exit()).as("Gun.js writer:%n%s", r.output()).isZero();

    // soul -> key -> field, as Gun.js reports its graph
    Map<String, Map<String, Field>> written = new TreeMap<>();
    @SuppressWarnings("unchecked")
    List<List<Object>> atoms = (List<List<Object>>) ((Map<String, Object>) TestJson.parse(report)).get("atoms");
    for (List<Object> a : atoms) {
      written.computeIfAbsent((String) a.get(0), s -> new HashMap<>()).put((String) a.get(1), TestJson.field(a.get(2), a.get(3)));
    }
    long atomCount = written.values().stream().mapToLong(Map::size).sum();
    assertThat(atomCount).isGreaterThan(3000);

    Path data = tmp.resolve("jgun-data");
    CliRun run = CliRun.of(Main::run, "import-radata", radata.toString(), "--data", data.toString(), "--quiet");
    assertThat(run.exit()).as("import-radata:%n%s%n%s", run.out(), run.err()).isZero();
    assertThat(run.out()).contains(String.format("imported %,d fields", atomCount));

    // 1. the store holds every atom with its value and state, and nothing else
    try (RocksStore store = RocksStore.builder(data).open()) {
      for (Map.Entry<String, Map<String, Field>> soul : written.entrySet()) {
        for (Map.Entry<String, Field> f : soul.getValue().entrySet()) {
          assertThat(store.fieldNow(soul.getKey(), f.getKey())).as("%s . %s", soul.getKey(), f.getKey()).isEqualTo(f.getValue());
        }
        Node node = store.nodeNow(soul.getKey());
        assertThat(node).as(soul.getKey()).isNotNull();
        assertThat(node.fields()).as(soul.getKey()).isEqualTo(soul.getValue());
      }
    }

    // 2. a relay on that directory serves every node as Gun.js wrote it
    try (RelayProcess relay = RelayProcess.start(List.of(), "--data", data.toString());
        RawClient c = new RawClient(relay.port())) {
      Map<String, String> ids = new LinkedHashMap<>(); // GET id -> soul
      for (String soul : written.keySet()) {
        String id = "imp" + ids.size();
        ids.put(id, soul);
        c.send("{\"#\":\"" + id + "\",\"get\":{\"#\":" + io.jgun.json.JsonText.quote(soul) + "}}");
      }
      Map<String, Map<String, Object>> answers = new HashMap<>(); // GET id -> the put of its answer
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
        for (String frame : c.frames) {
          for (Map<String, Object> m : messages(frame)) {
            if (m.get("@") instanceof String at && ids.containsKey(at)) {
              @SuppressWarnings("unchecked")
              Map<String, Object> put = (Map<String, Object>) m.get("put");
              answers.putIfAbsent(at, put);
            }
          }
        }
        return answers.keySet().containsAll(ids.keySet());
      });
      for (Map.Entry<String, String> e : ids.entrySet()) {
        String soul = e.getValue();
        Map<String, Object> put = answers.get(e.getKey());
        assertThat(put).as("answer for %s", soul).isNotNull().containsOnlyKeys(soul);
        assertThat(served(put, soul)).as(soul).isEqualTo(written.get(soul));
      }
    }
  }

  /** The messages of a frame (one message, or a batch as a JSON array). */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> messages(String frame) {
    Object json = TreeJson.parse(frame);
    List<Map<String, Object>> out = new ArrayList<>();
    if (json instanceof List<?> list) {
      for (Object o : list) {
        out.add((Map<String, Object>) o);
      }
    } else {
      out.add((Map<String, Object>) json);
    }
    return out;
  }

  /** The fields of a node in a GET answer: each value with its state from {@code _.>}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Field> served(Map<String, Object> put, String soul) {
    Map<String, Object> node = (Map<String, Object>) put.get(soul);
    Map<String, Object> meta = (Map<String, Object>) node.get("_");
    assertThat(meta.get("#")).isEqualTo(soul);
    Map<String, Object> states = (Map<String, Object>) meta.get(">");
    Map<String, Field> fields = new HashMap<>();
    node.forEach((k, v) -> {
      if (!k.equals("_")) {
        fields.put(k, TestJson.field(v, states.get(k)));
      }
    });
    assertThat(states.keySet()).isEqualTo(fields.keySet());
    return fields;
  }
}
