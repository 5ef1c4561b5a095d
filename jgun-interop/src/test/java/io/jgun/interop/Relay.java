package io.jgun.interop;

import java.time.Duration;
import java.util.OptionalLong;

/** A running relay process (Gun.js or jgun) that Gun.js peers connect to over loopback. */
interface Relay extends AutoCloseable {

  RelayKind kind();

  int port();

  /** The URL peers dial: {@code ws://127.0.0.1:<port>/gun}. */
  default String url() {
    return "ws://127.0.0.1:" + port() + "/gun";
  }

  /** The options it was started with, e.g. to restart it on the same port and data. */
  RelayOptions options();

  boolean isAlive();

  /** Resident memory of the relay process tree, where /proc exists. */
  OptionalLong rssBytes();

  /**
   * Stops the relay with SIGTERM, waiting up to {@code grace} before killing it. Returns true when it
   * exited on SIGTERM alone.
   */
  boolean stop(Duration grace);

  /** What it printed lately and whether it is still running, for failure messages. */
  String diagnostics();

  /** Stops it (if running) and removes its temporary data folder. Idempotent. */
  @Override
  void close();
}
