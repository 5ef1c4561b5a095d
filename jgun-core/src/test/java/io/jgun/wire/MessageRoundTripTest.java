package io.jgun.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any valid message, written and read back, is the same message (and writes the same text). */
class MessageRoundTripTest {

  private static final MessageReader READER = new MessageReader();
  private static final Set<String> TYPED = Set.of("#", "@", "##", "put", "get", "ok", "err", "%", "dam", "pid", "><");

  @Property(tries = 500)
  void writeThenReadGivesTheSameMessage(@ForAll("messages") Message m) {
    String text = MessageWriter.write(m);
    Frame f = READER.read(text);
    assertThat(f.error()).as(text).isNull();
    assertThat(f.messages()).as(text).containsExactly(m);
    // Reading puts integer-like keys first, as JSON.parse does; after that the text is a fixpoint.
    String again = MessageWriter.write(f.messages().get(0));
    assertThat(READER.read(again).messages()).containsExactly(m);
    assertThat(MessageWriter.write(READER.read(again).messages().get(0))).isEqualTo(again);
  }

  @Property(tries = 100)
  void batchesRoundTrip(@ForAll("batches") List<Message> ms) {
    Frame f = READER.read(MessageWriter.writeBatch(ms));
    assertThat(f.error()).isNull();
    assertThat(f.messages()).isEqualTo(ms);
  }

  @Property(tries = 200)
  void canonicalPutIsTheSameWhateverTheOrderOfInsertion(@ForAll("graphs") Graph g) {
    Map<String, Node> reversed = new LinkedHashMap<>();
    List<String> souls = List.copyOf(g.nodes().keySet());
    for (int i = souls.size() - 1; i >= 0; i--) {
      Node n = g.node(souls.get(i));
      Map<String, Field> fields = new LinkedHashMap<>();
      List<String> keys = List.copyOf(n.fields().keySet());
      for (int k = keys.size() - 1; k >= 0; k--) {
        fields.put(keys.get(k), n.field(keys.get(k)));
      }
      reversed.put(n.soul(), new Node(n.soul(), fields));
    }
    assertThat(DamHash.canonicalJson(new Graph(reversed))).isEqualTo(DamHash.canonicalJson(g));
  }

  // --- generators ---------------------------------------------------------------------------

  @Provide
  Arbitrary<List<Message>> batches() {
    return messages().list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<Optional<String>> id = optional(nonEmpty());
    Arbitrary<Optional<String>> ack = optional(nonEmpty());
    Arbitrary<Optional<Integer>> hash = optional(Arbitraries.integers());
    Arbitrary<Optional<Graph>> put = optional(graphs());
    Arbitrary<Optional<Get>> get = optional(gets());
    Arbitrary<Optional<Json>> ok = optional(json(2));
    Arbitrary<Optional<Json>> err = optional(json(1));
    Arbitrary<Optional<Json>> more = optional(json(1));
    Arbitrary<Optional<String>> dam = optional(nonEmpty());
    Arbitrary<Optional<String>> pid = optional(strings());
    Arbitrary<Optional<String>> route = optional(strings());
    Arbitrary<Map<String, Json>> extra =
        Arbitraries.maps(strings().filter(k -> !TYPED.contains(k)), json(2)).ofMaxSize(3);
    Arbitrary<Message.Builder> head =
        Combinators.combine(id, ack, hash, put, get, ok, err, more)
            .as(
                (i, a, h, p, g, o, e, mo) ->
                    Message.builder()
                        .id(i.orElse(null))
                        .ack(a.orElse(null))
                        .hash(h.orElse(null))
                        .put(p.orElse(null))
                        .get(g.orElse(null))
                        .ok(o.orElse(null))
                        .err(e.orElse(null))
                        .more(mo.orElse(null)));
    return Combinators.combine(head, dam, pid, route, extra)
        .as(
            (b, d, p, r, x) -> {
              b.dam(d.orElse(null)).pid(p.orElse(null)).route(r.orElse(null));
              x.forEach(b::extra);
              return b.build();
            });
  }

  @Provide
  Arbitrary<Graph> graphs() {
    return nodes().list().ofMaxSize(4).map(ns -> Graph.of(ns.toArray(new Node[0])));
  }

  private Arbitrary<Node> nodes() {
    Arbitrary<Field> field = Combinators.combine(values(), states()).as(Field::new);
    Arbitrary<Map<String, Field>> fields =
        Arbitraries.maps(strings().filter(k -> !k.equals("_")), field).ofMaxSize(6);
    return Combinators.combine(nonEmpty(), fields).as(Node::new);
  }

  private Arbitrary<Value> values() {
    return Arbitraries.oneOf(
        strings().map(Value::text),
        numbers().map(Value::number),
        Arbitraries.of(true, false).map(Value::bool),
        Arbitraries.just(Value.NULL),
        nonEmpty().map(Value::link));
  }

  /** States: finite, often clock-like with fractions, never -0 (it reads back as 0). */
  private Arbitrary<Double> states() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1_500_000_000_000L, 1_900_000_000_000L).map(l -> l + 0.0),
        Arbitraries.longs()
            .between(1_500_000_000_000_000L, 1_900_000_000_000_000L)
            .map(l -> l / 1000.0),
        numbers());
  }

  private Arbitrary<Double> numbers() {
    return Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.integers().map(i -> i + 0.0),
            Arbitraries.longs().map(l -> Double.longBitsToDouble(l)),
            Arbitraries.of(0.0, 1e21, 1e-7, 5e-324, Double.MAX_VALUE, -Double.MIN_NORMAL, 0.1, 1.5))
        .filter(Double::isFinite)
        .map(d -> d + 0.0);
  }

  private Arbitrary<Get> gets() {
    Arbitrary<Json> lexObject =
        Arbitraries.maps(Arbitraries.of("=", "*", ">", "<", "%", "-", "+"), json(0)).ofMaxSize(4).map(Json.Obj::new);
    Arbitrary<Json> lex = Arbitraries.oneOf(strings().map(Json::of), lexObject);
    Arbitrary<Map<String, Json>> raw =
        Combinators.combine(optional(lex), optional(lex), optional(json(0)), optional(json(0)), optional(json(1)))
            .as(
                (soul, key, limit, reverse, other) -> {
                  Map<String, Json> m = new LinkedHashMap<>();
                  soul.ifPresent(v -> m.put("#", v));
                  key.ifPresent(v -> m.put(".", v));
                  limit.ifPresent(v -> m.put("%", v));
                  reverse.ifPresent(v -> m.put("-", v));
                  other.ifPresent(v -> m.put("x", v));
                  return m;
                });
    return raw.map(m -> Get.of(new Json.Obj(m)));
  }

  private Arbitrary<Json> json(int depth) {
    Arbitrary<Json> scalar =
        Arbitraries.oneOf(
            strings().map(Json::of),
            numbers().map(Json::of),
            Arbitraries.of(Json.TRUE, Json.FALSE, Json.NULL));
    if (depth == 0) {
      return scalar;
    }
    return Arbitraries.oneOf(
        scalar,
        json(depth - 1).list().ofMaxSize(3).map(Json.Arr::new),
        Arbitraries.maps(strings(), json(depth - 1)).ofMaxSize(3).map(Json.Obj::new));
  }

  /** Any UTF-16 string, lone surrogates and control characters included; some integer-like. */
  private Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withCharRange('a', 'e').withChars('_', '#', '/', 'A', 'Z').ofMaxLength(4),
        Arbitraries.integers().between(0, 20).map(String::valueOf));
  }

  private Arbitrary<String> nonEmpty() {
    return strings().filter(s -> !s.isEmpty());
  }

  private static <T> Arbitrary<Optional<T>> optional(Arbitrary<T> a) {
    return a.optional(0.5);
  }
}
