package io.jgun.relay;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a request to stop: the process ends when its main thread returns, with the
 * exit code it chooses, instead of the JVM's 143/130 after shutdown hooks. A platform that does not
 * have a signal keeps the JVM's default for it.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is reached by reflection: it is the
 * only way to handle a signal, and javac's warning for a direct use of it cannot be turned off on
 * Java 17, which the build's warnings-as-errors would refuse.
 */
final class StopSignals {
  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /** Runs {@code stop} (on a signal thread) when SIGTERM or SIGINT arrives. */
  static void onStop(Runnable stop) {
    Class<?> signalType;
    Class<?> handlerType;
    Method handle;
    try {
      signalType = Class.forName("sun.misc.Signal");
      handlerType = Class.forName("sun.misc.SignalHandler");
      handle = signalType.getMethod("handle", signalType, handlerType);
    } catch (ReflectiveOperationException e) {
      log.warn("signals cannot be handled on this JVM ({}): SIGTERM ends the relay without a drain", e.toString());
      return;
    }
    for (String name : new String[] {"TERM", "INT"}) {
      Object handler =
          Proxy.newProxyInstance(
              StopSignals.class.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "handle":
                    log.info("SIG{} received", name);
                    stop.run();
                    return null;
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  case "equals":
                    return proxy == args[0];
                  default:
                    return "StopSignals[SIG" + name + "]";
                }
              });
      try {
        handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
      } catch (InvocationTargetException e) {
        log.debug("SIG{} cannot be handled here: {}", name, String.valueOf(e.getCause()));
      } catch (ReflectiveOperationException e) {
        log.debug("SIG{} cannot be handled here: {}", name, e.toString());
      }
    }
  }
}
