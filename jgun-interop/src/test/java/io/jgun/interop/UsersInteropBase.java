package io.jgun.interop;

import io.jgun.client.Gun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The set-up of the interop tests between Java users (jgun-client) and Gun.js users: each test
 * class runs once per relay kind (a stock Gun.js relay and a jgun relay), on one relay started for
 * the class; the Java clients a test makes ({@link #java}) are closed after it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RelayKind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ProcessDiagnostics.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
abstract class UsersInteropBase {
  static final String PASS = "correct horse battery staple";

  @Parameter RelayKind kind;
  Relay relay;
  private final JavaClients javas = new JavaClients();

  /** bin/jgun's first-use build happens here, outside any test's time limit. */
  @BeforeAll
  static void buildJgunFirst() {
    JgunRelay.warmUp();
  }

  @BeforeEach
  void startRelay() {
    kind.assumeAvailable();
    if (relay == null) {
      relay = kind.start(RelayOptions.onFreePort());
    }
  }

  @AfterEach
  void closeClients() {
    javas.closeAll();
  }

  @AfterParameterizedClassInvocation
  void stopRelay() {
    Fixtures.closeAll(relay);
    relay = null;
  }

  /** A Java client of the relay, once connected, its states as the other interop tests run them (see {@link RelayKind#clientClockDriftMs}). */
  Gun java() throws Exception {
    return javas.connect(relay, kind);
  }
}
