package io.jgun.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jgun.graph.Deferrals;
import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.MemoryGraph;
import io.jgun.graph.Node;
import io.jgun.wire.Frame;
import io.jgun.wire.Message;
import io.jgun.wire.MessageReader;
import io.jgun.wire.MessageWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile frames ({@link HostileFrames}) through the frame reader, the writer and HAM. The frame
 * reader never throws (bad input is a {@link Frame#error}); what it accepts writes back and reads
 * again to the same messages, and merges into a graph without an exception, twice (the second
 * merge changes nothing), all within a bound of time (a hang detector, not a speed test).
 *
 * <p>CI runs jqwik's default number of tries (1,000, a few seconds); a longer run: {@code mvn -B -pl
 * jgun-core -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * -Djqwik.tries.default=200000}.
 */
class WireFuzzTest {
  private static final Duration HANG = Duration.ofSeconds(20);
  private static final MessageReader READER = new MessageReader();

  /** A seed frame's index: with a drawn long it makes the frame, so a failure reports two numbers. */
  @Provide
  Arbitrary<Integer> seedFrame() {
    return Arbitraries.integers().between(0, HostileFrames.seeds().size() - 1);
  }

  @Property
  void readerNeverThrowsAndWhatItAcceptsRoundTrips(@ForAll("seedFrame") int which, @ForAll long seed) {
    String frame = HostileFrames.mutate(HostileFrames.seeds().get(which), new Random(seed));
    assertTimeoutPreemptively(HANG, () -> {
      Frame f = READER.read(frame);
      assertThat(f.messages().size()).isLessThanOrEqualTo(MessageReader.Limits.DEFAULT_MAX_MESSAGES);
      for (Message m : f.messages()) {
        String out = MessageWriter.write(m);
        // bounded output: nothing a reader accepts grows much when written back
        assertThat((long) out.length()).isLessThanOrEqualTo(6L * frame.length() + 64);
        Frame again = READER.read(out);
        assertThat(again.error()).as("re-reading %s", out).isNull();
        assertThat(again.messages()).hasSize(1);
        assertThat(again.messages().get(0).put()).isEqualTo(m.put());
        assertThat(again.messages().get(0).get()).isEqualTo(m.get());
      }
    });
  }

  @Property
  void hamMergesWhatTheReaderAcceptsAndIsIdempotent(@ForAll("seedFrame") int which, @ForAll long seed) {
    String frame = HostileFrames.mutate(HostileFrames.seeds().get(which), new Random(seed));
    assertTimeoutPreemptively(HANG, () -> {
      MemoryGraph g = new MemoryGraph(new Deferrals());
      double now = 1_795_520_872_832.0;
      for (Message m : READER.read(frame).messages()) {
        Graph put = m.put();
        if (put == null) {
          continue;
        }
        g.merge(put, now);
        Graph before = g.snapshot();
        assertThat(g.merge(put, now).accepted().isEmpty()).as("merging %s again changes nothing", put).isTrue();
        assertThat(g.snapshot()).isEqualTo(before);
        for (Node n : put.nodes().values()) {
          for (Map.Entry<String, Field> e : n.fields().entrySet()) {
            if (e.getValue().state() <= now) {
              assertThat(g.field(n.soul(), e.getKey())).as("%s.%s", n.soul(), e.getKey()).isNotNull();
            }
          }
        }
      }
    });
  }
}
