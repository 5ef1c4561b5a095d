package io.jgun.sea;

import io.jgun.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The golden vectors written by real sea.js ({@code shared/golden/sea-vectors.json}). */
final class Vectors {
  private Vectors() {}

  private static Json.Obj root;

  static synchronized Json.Obj root() {
    if (root == null) {
      String dir = System.getProperty("jgun.shared.dir", "../../shared");
      try {
        String text = Files.readString(Path.of(dir, "golden", "sea-vectors.json"), StandardCharsets.UTF_8);
        root = (Json.Obj) SeaJson.parse(text);
      } catch (IOException | SeaJson.NotJson e) {
        throw new IllegalStateException("cannot read the SEA vectors under " + dir, e);
      }
    }
    return root;
  }

  static Json get(Json o, String... path) {
    Json cur = o;
    for (String p : path) {
      cur = ((Json.Obj) cur).get(p);
      if (cur == null) {
        throw new IllegalArgumentException("no " + String.join(".", path));
      }
    }
    return cur;
  }

  static Json get(String... path) {
    return get(root(), path);
  }

  static String str(Json o, String... path) {
    return ((Json.Str) get(o, path)).value();
  }

  static List<Json> list(String... path) {
    return ((Json.Arr) get(path)).items();
  }

  static KeyPair pair(String name) {
    Json p = get("pairs", name);
    return new KeyPair(str(p, "pub"), str(p, "priv"), str(p, "epub"), str(p, "epriv"));
  }

  /** A recorded JS result: {@code {"undefined":true}} is Gun's undefined, anything else a value. */
  static Optional<Json> result(Json v) {
    if (v instanceof Json.Obj && ((Json.Obj) v).fields().size() == 1 && Json.TRUE.equals(((Json.Obj) v).get("undefined"))) {
      return Optional.empty();
    }
    return Optional.of(v);
  }
}
