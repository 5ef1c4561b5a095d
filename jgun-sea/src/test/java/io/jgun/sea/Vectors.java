package io.jgun.sea;

import io.jgun.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The golden vectors written by real sea.js (test resource {@code io/jgun/sea/golden/sea-vectors.json}). */
final class Vectors {
  private Vectors() {}

  private static final String RESOURCE = "golden/sea-vectors.json";

  private static Json.Obj root;

  static synchronized Json.Obj root() {
    if (root == null) {
      try (InputStream in = Vectors.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("no test resource io/jgun/sea/" + RESOURCE);
        }
        root = (Json.Obj) SeaJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException | SeaJson.NotJson e) {
        throw new IllegalStateException("cannot read the SEA vectors io/jgun/sea/" + RESOURCE, e);
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
