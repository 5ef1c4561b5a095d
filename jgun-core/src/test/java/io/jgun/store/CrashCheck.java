package io.jgun.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.graph.Field;
import io.jgun.graph.Graph;
import io.jgun.graph.Node;
import io.jgun.graph.Value;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The two halves of a store's crash test, shared by every store: a child JVM writes unique fields
 * and prints {@code ACK soul key state} for each put whose future completed ({@link
 * #writeUntilKilled}); the test reads those lines, SIGKILLs the child with puts in flight ({@link
 * #ackedUntilKilled}), reopens the store and checks that every acknowledged field is there ({@link
 * #assertEveryAckedFieldStored}).
 */
public final class CrashCheck {
  private static final double FIRST_STATE = 1_795_520_969_763.0;

  private CrashCheck() {}

  /** Standard output as the child prints to it: UTF-8, flushed line by line by the writer. */
  public static PrintStream stdout() throws IOException {
    return new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
  }

  /**
   * In the child: prints {@code OPEN}, then writes field {@code k<i> = i} of soul {@code
   * <soulPrefix>w<thread>} from {@code threads} threads, 64 puts in flight each, printing each ack,
   * until killed (or, bounded, after 200,000 puts or 2 minutes); then closes the store and prints
   * {@code DONE}.
   */
  public static void writeUntilKilled(Store store, String soulPrefix, int threads, PrintStream out)
      throws Exception {
    out.println("OPEN");
    out.flush();
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      String soul = soulPrefix + "w" + t;
      ts[t] = new Thread(() -> {
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; i < 200_000 / threads && System.nanoTime() < end; i++) {
          inFlight.acquireUninterruptibly();
          String key = "k" + i;
          double state = FIRST_STATE + i;
          store.put(Graph.of(Node.builder(soul).put(key, Value.number(i), state).build()))
              .whenComplete((g, e) -> {
                inFlight.release();
                if (e == null && !g.isEmpty()) {
                  synchronized (out) {
                    out.println("ACK " + soul + " " + key + " " + state);
                    out.flush();
                  }
                }
              });
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    store.close();
    out.println("DONE");
    out.flush();
  }

  /**
   * In the test: the acks {@code child} printed, read until {@code target} of them came (then the
   * child is SIGKILLed with puts in flight) or {@code within} passed; waits for it to die.
   */
  public static List<String[]> ackedUntilKilled(Process child, int target, Duration within) throws Exception {
    List<String[]> acked = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      long deadline = System.nanoTime() + within.toNanos();
      while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4).split(" "));
          if (acked.size() >= target) {
            child.destroyForcibly(); // SIGKILL while puts are in flight
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).as("acks read from the child").hasSizeGreaterThanOrEqualTo(target);
    return acked;
  }

  /** Every acknowledged field is in {@code reopened}, at its state and with its value. */
  public static void assertEveryAckedFieldStored(Store reopened, List<String[]> acked, String round) {
    int missing = 0;
    for (String[] a : acked) {
      Field f = reopened.fieldNow(a[0], a[1]);
      double state = Double.parseDouble(a[2]);
      if (f == null || f.state() != state) {
        missing++;
      } else {
        assertThat(f.value()).isEqualTo(Value.number(Double.parseDouble(a[1].substring(1))));
      }
    }
    assertThat(missing).as("acked fields lost in %s of %d", round, acked.size()).isZero();
  }
}
