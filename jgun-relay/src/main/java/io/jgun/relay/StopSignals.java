package io.jgun.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop: the process ends when its main thread returns, with the
 * exit code it chooses, instead of the JVM's 143/130 after shutdown hooks. A platform that does not
 * have a signal keeps the JVM's default for it.
 */
final class StopSignals {
  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /** Runs {@code stop} (on a signal thread) when SIGTERM or SIGINT arrives. */
  static void onStop(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          log.info("SIG{} received", s.getName());
          stop.run();
        });
      } catch (IllegalArgumentException e) {
        log.debug("SIG{} cannot be handled here: {}", name, e.getMessage());
      }
    }
  }
}
