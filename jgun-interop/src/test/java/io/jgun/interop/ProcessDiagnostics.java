package io.jgun.interop;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a test fails, logs what every still-running child process (relays, Gun.js clients) printed
 * lately, before the test's fixtures close them.
 */
final class ProcessDiagnostics implements AfterTestExecutionCallback {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessDiagnostics.class);

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()
        || context.getExecutionException().get() instanceof TestAbortedException) {
      return; // passed, or skipped by an assumption
    }
    StringBuilder out = new StringBuilder("child processes of failed test ")
        .append(context.getDisplayName()).append(":\n");
    ManagedProcess.live().forEach(p -> out.append(p.diagnostics()));
    LOG.error("{}", out);
  }
}
