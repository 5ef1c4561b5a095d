package io.jgun.relay;

/** The version jgun reports ({@code jgun --version}, the status page). */
public final class JgunVersion {
  private JgunVersion() {}

  /** "jgun 1.2.3", or "jgun (development build)" when not run from the packaged jar. */
  public static String text() {
    String v = JgunVersion.class.getPackage().getImplementationVersion();
    return "jgun " + (v == null ? "(development build)" : v);
  }
}
