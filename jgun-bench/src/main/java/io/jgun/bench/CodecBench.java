package io.jgun.bench;

import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame parsing and serialization: the golden frames captured from a real Gun.js relay (one
 * benchmark op = all of them) and a 1,000-node put. Divide the frames' total characters
 * ({@link #goldenChars}) by the time per op for MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBench {
  private final MessageReader reader = new MessageReader(MessageReader.GUN_MAX_FRAME_CHARS, 64, 10_000);
  private List<String> golden;
  private List<Message> goldenMessages;
  private String bigPut;
  private Message bigPutMessage;
  /** Characters in all golden frames together (printed at setup, for MB/s). */
  public long goldenChars;

  @Setup
  public void setup() {
    golden = Fixtures.goldenFrames();
    goldenMessages = new ArrayList<>();
    for (String f : golden) {
      goldenChars += f.length();
      goldenMessages.addAll(reader.read(f).messages());
    }
    bigPutMessage = Message.builder().id("bigput001").put(thousandNodes()).build();
    bigPut = MessageWriter.write(bigPutMessage);
    System.err.printf("golden: %d frames, %d chars, %d messages; 1,000-node put: %d chars%n",
        golden.size(), goldenChars, goldenMessages.size(), bigPut.length());
  }

  static Graph thousandNodes() {
    Map<String, Node> nodes = new LinkedHashMap<>();
    double state = 1795520877934.001;
    for (int i = 0; i < 1000; i++) {
      String soul = "bench/item/" + i;
      nodes.put(soul, Node.builder(soul)
          .put("name", Value.text("item number " + i), state)
          .put("count", Value.number(i), state)
          .put("price", Value.number(i * 1.25), state)
          .put("active", Value.bool(i % 2 == 0), state)
          .put("owner", Value.link("bench/user/" + (i % 17)), state)
          .build());
    }
    return new Graph(nodes);
  }

  @Benchmark
  public void parseGolden(Blackhole bh) {
    for (String f : golden) {
      bh.consume(reader.read(f));
    }
  }

  @Benchmark
  public void writeGolden(Blackhole bh) {
    for (Message m : goldenMessages) {
      bh.consume(MessageWriter.write(m));
    }
  }

  @Benchmark
  public Frame parseThousandNodePut() {
    return reader.read(bigPut);
  }

  @Benchmark
  public String writeThousandNodePut() {
    return MessageWriter.write(bigPutMessage);
  }

  /** Golden frames, loaded from the classpath copy made at build time. */
  static final class Fixtures {
    static List<String> goldenFrames() {
      try (InputStream in = CodecBench.class.getResourceAsStream("/golden-frames.txt")) {
        if (in == null) {
          throw new IllegalStateException("golden-frames.txt missing from the benchmark jar");
        }
        String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : all.split("\n")) {
          if (!line.isEmpty()) {
            out.add(line);
          }
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
