package io.jgun.mesh;

import org.jspecify.annotations.Nullable;

/**
 * Text a peer chose (message ids, pids, souls, error texts), clipped before it is logged: a hostile
 * peer must not turn one frame into a megabyte log line.
 */
final class LogText {
  /** How much of a peer's text a log line shows. */
  static final int MAX_CHARS = 64;

  private LogText() {}

  /** {@code text} as it is when short; else its start and how long it was. */
  static String clip(@Nullable Object text) {
    String s = String.valueOf(text);
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "…(" + s.length() + " chars)";
  }
}
