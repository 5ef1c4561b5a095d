package example;

import io.jgun.client.Gun;
import io.jgun.client.Subscription;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writes, reads and listens through a relay (docs/java-api.md's first program): run a relay
 * ({@code bin/jgun relay}), then {@code mvn -q compile exec:java}.
 */
public final class FirstProgram {
  public static void main(String[] args) throws InterruptedException {
    String relay = args.length > 0 ? args[0] : "ws://localhost:8765/gun";
    try (Gun gun = Gun.builder().peers(relay).build()) {
      // write a node (nested maps become linked nodes) and wait for the relay's acknowledgement
      gun.get("hello/world").put(Map.of("greeting", "Hello", "from", Map.of("lang", "Java"))).join();

      // read it back: a field, then a field through a link
      Optional<Object> greeting = gun.get("hello/world").get("greeting").once().join();
      Optional<Object> lang = gun.get("hello/world").get("from").get("lang").once().join();
      System.out.println(greeting.orElse("?") + " from " + lang.orElse("?"));

      // listen: called with the current value, then on every change (from any peer)
      CountDownLatch changed = new CountDownLatch(1);
      Subscription sub =
          gun.get("hello/world").get("greeting").on((value, key) -> {
            System.out.println(key + " = " + value);
            if ("Bonjour".equals(value)) {
              changed.countDown();
            }
          });
      gun.get("hello/world").get("greeting").put("Bonjour").join();
      changed.await(5, TimeUnit.SECONDS);
      sub.off();
    }
  }
}
