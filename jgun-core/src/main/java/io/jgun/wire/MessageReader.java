package io.jgun.wire;

/**
 * Reads WebSocket text frames into {@link Message}s with Jackson's streaming parser (spec §3,
 * §4.1), with limits on size, depth and message count, validating {@code put} graphs (§3.3).
 * Never throws on bad input: problems are reported in the returned {@link Frame}.
 */
public final class MessageReader {
  /** Gun.js's own frame limit, in characters (spec §4.1: opt.max). */
  public static final int GUN_MAX_FRAME_CHARS = 90_000_000;

  private final int maxFrameChars;
  private final int maxDepth;
  private final int maxMessages;

  public MessageReader(int maxFrameChars, int maxDepth, int maxMessages) {
    this.maxFrameChars = maxFrameChars;
    this.maxDepth = maxDepth;
    this.maxMessages = maxMessages;
  }

  /** Reads one frame. */
  public Frame read(String frame) {
    throw new UnsupportedOperationException("not yet written: " + maxFrameChars + maxDepth + maxMessages + frame.length());
  }
}
