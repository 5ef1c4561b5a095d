package io.jgun.bench;

import io.jgun.graph.Graph;
import io.jgun.graph.MemoryGraph;
import io.jgun.graph.MergeResult;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HAM merges per second: batches of {@value #BATCH} single-field updates over 10,000 souls, with
 * rising states (every update accepted) and with a replay of the same updates (every update a
 * same-state no-op, the tie-break path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HamBench {
  static final int BATCH = 1_000;
  private List<Graph> updates;
  private MemoryGraph graph;
  private double state = 1795520877934.0;

  @Setup(Level.Iteration)
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    updates = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      String soul = "s/" + r.nextInt(10_000);
      updates.add(Graph.of(Node.builder(soul).put("k" + r.nextInt(8), Value.text("v" + r.nextInt()), state).build()));
    }
    graph = new MemoryGraph();
    for (Graph g : updates) {
      graph.merge(g, Double.POSITIVE_INFINITY);
    }
  }

  /** Each field is new or newer: accepted. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int mergeAccepted() {
    state += 1;
    int n = 0;
    for (Graph g : updates) {
      Node node = g.nodes().values().iterator().next();
      String key = node.fields().keySet().iterator().next();
      Graph newer = Graph.of(Node.builder(node.soul()).put(key, node.field(key).value(), state).build());
      MergeResult res = graph.merge(newer, Double.POSITIVE_INFINITY);
      n += res.acceptedCount();
    }
    return n;
  }

  /** Each field is already there with the same state and value: dropped. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int mergeSameState() {
    int n = 0;
    for (Graph g : updates) {
      n += graph.merge(g, Double.POSITIVE_INFINITY).acceptedCount();
    }
    return n;
  }
}
