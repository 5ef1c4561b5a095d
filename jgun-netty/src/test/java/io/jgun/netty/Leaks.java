package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns Netty's buffer leak reports into test failures. Netty only notices a leak when the leaked
 * buffer has been garbage-collected and another buffer is tracked, so a leak may be blamed on a
 * later test; a pass is no proof, but a report is always a real leak. Every test class calls
 * {@link #install} in a static initializer, before any buffer exists.
 */
final class Leaks {

  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.valueOf(System.getProperty("jgun.test.leakLevel", "PARANOID")));
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
  }

  private Leaks() {}

  static void install() {
    // the static initializer did it
  }

  static void assertNone() {
    assertThat(REPORTS).as("Netty buffer leaks").isEmpty();
  }

  private static final class Factory extends ResourceLeakDetectorFactory {
    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new Detector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      return new Detector<>(resource, samplingInterval);
    }
  }

  private static final class Detector<T> extends ResourceLeakDetector<T> {
    Detector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      REPORTS.add(resourceType + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      REPORTS.add(resourceType);
      super.reportUntracedLeak(resourceType);
    }
  }
}
