package io.jgun.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The differential tester ({@code node/diff/run.js}): seeded random scenarios of Gun.js peers and raw
 * WebSocket peers, each run twice against a stock Gun.js relay and once against a jgun relay; every
 * observation of every peer must be the same, except the deliberate differences of
 * docs/compatibility.md. A bounded number of seeds here (a couple of minutes); longer runs:
 *
 * <pre>
 *   mvn -B -pl jgun-interop verify -Dtest=DifferentialTest -Djgun.diff.seeds=500 -Djgun.diff.budgetSeconds=0
 *   node jgun-interop/node/diff/run.js --seeds 500             (from the repository root)
 *   node jgun-interop/node/diff/run.js --seed 17               (one seed, as a failure prints it)
 * </pre>
 *
 * Properties: {@code jgun.diff.seeds} (default 8), {@code jgun.diff.from} (first seed, default 1),
 * {@code jgun.diff.seed} (just that seed), {@code jgun.diff.budgetSeconds} (start no seed after this,
 * default 150; 0: no limit), {@code jgun.diff.knownBugs} (operations left out for known jgun bugs,
 * default {@code none}),
 * {@code jgun.diff.retries} (a differing seed is run again this many times, default 1; one whose
 * rerun is the same is reported as flaky and does not fail).
 */
class DifferentialTest {

  private static final Logger LOG = LoggerFactory.getLogger(DifferentialTest.class);

  @Test
  void gunJsAndJgunRelaysLookTheSameToEveryPeer() throws Exception {
    assumeTrue(InteropEnvironment.selectedRelays().containsAll(List.of("gunjs", "jgun")),
        "the differential tester needs both relays (-Djgun.interop.relays)");
    RelayKind.JGUN.assumeAvailable();
    NodeModules.ensureInstalled();
    JgunRelay.warmUp(); // bin/jgun's first-use build, outside the tester's budget

    long budget = Long.getLong("jgun.diff.budgetSeconds", 150);
    List<String> command = new ArrayList<>(List.of("node", "diff/run.js",
        "--jgun", JgunRelay.launcher().toString(),
        "--known-bugs", System.getProperty("jgun.diff.knownBugs", "none"),
        "--budget", Long.toString(budget),
        // a seed that differs once and not on its rerun is timing on a loaded machine: reported, not failed
        "--retries", Integer.toString(Integer.getInteger("jgun.diff.retries", 1))));
    String seed = System.getProperty("jgun.diff.seed", "");
    if (!seed.isBlank()) {
      command.addAll(List.of("--seed", seed.trim()));
    } else {
      command.addAll(List.of("--seeds", Integer.toString(Integer.getInteger("jgun.diff.seeds", 8)),
          "--from", Integer.toString(Integer.getInteger("jgun.diff.from", 1))));
    }
    StringBuilder report = new StringBuilder();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    // JGUN_DIFF_WATCH_STDIN: the tester (and its relays) end when this JVM dies and closes its stdin
    try (ManagedProcess tester = ManagedProcess.start("diff", command, InteropEnvironment.nodeDir(),
        Map.of("JGUN_DIFF_WATCH_STDIN", "1"),
        line -> {
          LOG.info("{}", line);
          synchronized (report) {
            report.append(line).append('\n');
          }
        },
        line -> LOG.debug("diff stderr: {}", line),
        () -> ended.complete(null))) {
      // a seed takes ~15 s; the budget bounds when the last one starts
      long limit = (budget > 0 ? budget + 120 : 3600);
      try {
        ended.get(limit, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the differential tester did not end within " + limit + " s:\n" + report
            + tester.diagnostics(), e);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (tester.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      String text;
      synchronized (report) {
        text = report.toString();
      }
      assertThat(text).as("the tester's report").contains("seed(s) run in");
      assertThat(text).as("differences between Gun.js and jgun (each failing seed prints a replay command)")
          .contains(" 0 different").doesNotContain("diff: error");
    }
  }
}
