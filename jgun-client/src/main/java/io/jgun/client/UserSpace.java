package io.jgun.client;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.sea.KeyPair;
import io.jgun.sea.SeaWrites;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * User souls as the chain API sees them (docs/protocol.md §10.4, §10.6): which pub owns a soul, the
 * signing of a logged-in user's writes into its own souls, and the unwrapping of signed field
 * values ({@code {":":v,"~":sig}} strings) into the plain values reads return.
 */
final class UserSpace {
  private UserSpace() {}

  /** The owner pub of a user soul, or null: {@link SeaWrites#ownerPub}. */
  static @Nullable String pubOf(String soul) {
    return SeaWrites.ownerPub(soul);
  }

  /**
   * {@code put} with every field in a soul owned by {@code signer} signed as Gun.js's SEA signs a
   * logged-in user's writes (docs/protocol.md §10.6); the unsigned {@code pub} field of {@code
   * ~pub} and all other souls are left as they are.
   */
  static Graph sign(Graph put, KeyPair signer) {
    return sign(put, signer, null);
  }

  /**
   * {@link #sign(Graph, KeyPair)}, and with {@code cert} also every field in a soul owned by
   * another user signed by {@code signer} with the certificate attached (docs/protocol.md §10.5,
   * §10.6: {@code {"*":signer,"+":cert,":":v,"~":sig}}).
   *
   * @throws io.jgun.sea.SeaException when {@code cert} is not a certificate
   */
  static Graph sign(Graph put, KeyPair signer, @Nullable String cert) {
    Map<String, Node> out = new LinkedHashMap<>();
    boolean changed = false;
    for (Node n : put.nodes().values()) {
      String owner = pubOf(n.soul());
      boolean own = signer.pub().equals(owner);
      if (owner == null || (!own && cert == null)) {
        out.put(n.soul(), n);
        continue;
      }
      changed = true;
      Map<String, Field> fields = new LinkedHashMap<>();
      boolean root = own && n.soul().equals("~" + signer.pub());
      n.fields().forEach((key, f) -> {
        if (root && key.equals("pub")) {
          fields.put(key, f);
        } else {
          String signed =
              own
                  ? SeaWrites.signedValue(n.soul(), key, json(f.value()), f.state(), signer)
                  : SeaWrites.certifiedValue(n.soul(), key, json(f.value()), f.state(), signer, java.util.Objects.requireNonNull(cert));
          fields.put(key, new Field(Value.text(signed), f.state()));
        }
      });
      out.put(n.soul(), new Node(n.soul(), fields));
    }
    return changed ? new Graph(out) : put;
  }

  /** The value the API shows for a field of {@code soul}: a signed value in a user soul unwrapped, anything else as stored. */
  static Value view(String soul, Value v) {
    if (!(v instanceof Value.Text t) || !t.value().startsWith("{") || pubOf(soul) == null) {
      return v;
    }
    Optional<Json> inner = SeaWrites.unwrap(t.value());
    if (inner.isEmpty()) {
      return v;
    }
    Value plain = value(inner.get());
    return plain != null ? plain : v;
  }

  /** {@link #view} of a field, keeping its state. */
  static @Nullable Field view(String soul, @Nullable Field f) {
    if (f == null) {
      return null;
    }
    Value v = view(soul, f.value());
    return v == f.value() ? f : new Field(v, f.state());
  }

  /** A field value as the JSON a signature covers. */
  static Json json(Value v) {
    if (v instanceof Value.Text t) {
      return Json.of(t.value());
    }
    if (v instanceof Value.Number n) {
      return Json.of(n.value());
    }
    if (v instanceof Value.Bool b) {
      return Json.of(b.value());
    }
    if (v instanceof Value.Link l) {
      Map<String, Json> m = new LinkedHashMap<>();
      m.put("#", Json.of(l.soul()));
      return new Json.Obj(m);
    }
    return Json.NULL;
  }

  /** The field value of a JSON value, or null when it is not one (an array, an object other than a link). */
  static @Nullable Value value(Json j) {
    if (j instanceof Json.Str s) {
      return Value.text(s.value());
    }
    if (j instanceof Json.Num n) {
      return Value.number(n.value());
    }
    if (j instanceof Json.Bool b) {
      return Value.bool(b.value());
    }
    if (j instanceof Json.Obj o) {
      Json soul = o.get("#");
      return o.fields().size() == 1 && soul instanceof Json.Str s ? Value.link(s.value()) : null;
    }
    return j == Json.NULL ? Value.NULL : null;
  }
}
