package io.jgun.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks TCP ports that are free right now, for relays the harness starts. */
final class FreePorts {

  private FreePorts() {}

  /**
   * A port nothing listens on at this moment (the kernel's pick for an ephemeral bind). Another
   * process could take it before the relay binds; the relay then fails to start with a clear error.
   */
  static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
