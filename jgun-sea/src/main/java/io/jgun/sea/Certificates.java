package io.jgun.sea;

import io.jgun.graph.Field;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import io.jgun.mesh.PutGuard;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The certificate check of a write into someone else's user graph (docs/protocol.md §10.6). */
final class Certificates {
  private Certificates() {}

  /**
   * Why the certificate {@code cert} does not let {@code writer} write {@code key} of {@code
   * soul} (owned by {@code owner}) at {@code state}; null if it does.
   */
  static @Nullable String check(
      Json.Obj cert,
      String writer,
      String owner,
      String soul,
      String key,
      double state,
      PutGuard.FieldReader graph,
      Sea.SignatureCheck signatures) {
    Optional<Json> verified = Sea.verify(cert, owner, signatures);
    if (verified.isEmpty() || !(verified.get() instanceof Json.Obj)) {
      return SeaFirewall.CERT_NOT_OWNER;
    }
    Json.Obj m = (Json.Obj) verified.get();
    Json e = m.get("e");
    if (e instanceof Json.Num && state > ((Json.Num) e).value()) {
      return SeaFirewall.CERT_EXPIRED;
    }
    Json c = m.get("c");
    // Gun.js looks for "*" only (its m.c.indexOf('*' || W)): a list of pubs never matches (G16).
    if (!(Json.of(writer).equals(c) || contains(c, "*"))) {
      return SeaFirewall.CERTIFICANT_NOT_ALLOWED;
    }
    int slash = soul.indexOf('/');
    String path = slash < 0 ? "" : soul.substring(slash + 1);
    Json w = m.get("w");
    List<Json> policies = w instanceof Json.Arr ? ((Json.Arr) w).items() : w == null ? List.of() : List.of(w);
    Json.Obj matched = null;
    boolean any = false;
    for (Json lex : policies) {
      if (allows(lex, path, key)) {
        any = true;
        matched = lex instanceof Json.Obj ? (Json.Obj) lex : null;
        break;
      }
    }
    if (!any) {
      return SeaFirewall.CERT_FAIL;
    }
    if (matched != null && contains(matched.get("+"), "*") && !path.contains(writer) && !key.contains(writer)) {
      return "Path \"" + path + "\" or key \"" + key + "\" must contain string \"" + writer + "\".";
    }
    Json wb = m.get("wb");
    if (wb != null && blocked(wb, writer, owner, graph)) {
      return "Certificant " + writer + " blocked.";
    }
    return null;
  }

  /** One write policy (a lex) against the soul's path and the key. */
  static boolean allows(Json lex, String path, String key) {
    Json hash = member(lex, "#");
    Json dot = member(lex, ".");
    if (match(path, hash) && match(key, dot)) {
      return true;
    }
    if (falsy(dot) && match(path, hash)) {
      return true;
    }
    if (falsy(hash) && match(key, dot)) {
      return true;
    }
    return match(path.isEmpty() ? key : path + "/" + key, falsy(hash) ? lex : hash);
  }

  /**
   * Gun's {@code String.match(t, o)}: a string pattern is equality; an object: {@code =} equality,
   * {@code *} prefix, {@code >}/{@code <} a lexical range (either end open).
   */
  static boolean match(String t, @Nullable Json o) {
    if (o instanceof Json.Str) {
      return t.equals(((Json.Str) o).value());
    }
    if (!(o instanceof Json.Obj)) {
      return false;
    }
    Json.Obj lex = (Json.Obj) o;
    Json eq = lex.get("=");
    Json star = lex.get("*");
    Json gt = lex.get(">");
    Json lt = lex.get("<");
    Json first = !falsy(eq) ? eq : !falsy(star) ? star : !falsy(gt) ? gt : lt;
    if (first instanceof Json.Str && t.equals(((Json.Str) first).value())) {
      return true;
    }
    if (eq != null) {
      return false;
    }
    Json prefix = !falsy(star) ? star : gt;
    if (prefix instanceof Json.Str && t.startsWith(((Json.Str) prefix).value())) {
      return true;
    }
    if (star != null) {
      return false;
    }
    if (gt instanceof Json.Str && lt instanceof Json.Str) {
      return t.compareTo(((Json.Str) gt).value()) >= 0 && t.compareTo(((Json.Str) lt).value()) <= 0;
    }
    if (gt instanceof Json.Str && t.compareTo(((Json.Str) gt).value()) >= 0) {
      return true;
    }
    return lt instanceof Json.Str && t.compareTo(((Json.Str) lt).value()) <= 0;
  }

  /** Whether the write block list {@code wb} holds {@code writer} as 1 or true (docs/protocol.md §10.6). */
  private static boolean blocked(Json wb, String writer, String owner, PutGuard.FieldReader graph) {
    String soul;
    if (wb instanceof Json.Obj && ((Json.Obj) wb).get("#") instanceof Json.Str) {
      soul = ((Json.Str) ((Json.Obj) wb).get("#")).value();
    } else if (wb instanceof Json.Str) {
      String path = ((Json.Str) wb).value();
      if (path.startsWith("~")) {
        soul = path;
      } else {
        // user.get(path) follows the owner's link when there is one; the chain's default soul otherwise
        String root = "~" + owner;
        Value link = unwrap(graph.field(root, path));
        soul = link instanceof Value.Link ? ((Value.Link) link).soul() : root + "/" + path;
      }
    } else {
      return false;
    }
    Value v = unwrap(graph.field(soul, writer));
    return (v instanceof Value.Number && ((Value.Number) v).value() == 1) || Value.bool(true).equals(v);
  }

  /** A stored field's plain value: signed values {@code {":":v,"~":..}} are unwrapped. */
  private static @Nullable Value unwrap(@Nullable Field f) {
    if (f == null) {
      return null;
    }
    if (!(f.value() instanceof Value.Text)) {
      return f.value();
    }
    Json parsed = SeaJson.tryParse(((Value.Text) f.value()).value());
    if (parsed instanceof Json.Obj && ((Json.Obj) parsed).get(":") != null) {
      Json v = ((Json.Obj) parsed).get(":");
      if (v instanceof Json.Num) {
        return Value.number(((Json.Num) v).value());
      }
      if (v instanceof Json.Bool) {
        return Value.bool(((Json.Bool) v).value());
      }
      if (v instanceof Json.Str) {
        return Value.text(((Json.Str) v).value());
      }
      if (v instanceof Json.Obj && ((Json.Obj) v).get("#") instanceof Json.Str) {
        String s = ((Json.Str) ((Json.Obj) v).get("#")).value();
        return s.isEmpty() ? null : Value.link(s);
      }
      return null;
    }
    return f.value();
  }

  private static @Nullable Json member(Json lex, String k) {
    return lex instanceof Json.Obj ? ((Json.Obj) lex).get(k) : null;
  }

  /** {@code x.indexOf(s) > -1} for a string (substring) or an array (element). */
  private static boolean contains(@Nullable Json x, String s) {
    if (x instanceof Json.Str) {
      return ((Json.Str) x).value().contains(s);
    }
    return x instanceof Json.Arr && ((Json.Arr) x).items().contains(Json.of(s));
  }

  /** JavaScript falsiness; null stands for undefined. */
  private static boolean falsy(@Nullable Json v) {
    if (v == null || v instanceof Json.Null) {
      return true;
    }
    if (v instanceof Json.Str) {
      return ((Json.Str) v).value().isEmpty();
    }
    if (v instanceof Json.Num) {
      return ((Json.Num) v).value() == 0;
    }
    if (v instanceof Json.Bool) {
      return !((Json.Bool) v).value();
    }
    return false;
  }
}
