package io.jgun.wire;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of reading one WebSocket text frame: the messages it held (a frame is one JSON object
 * or an array of them, docs/protocol.md §4.1), and the problems found. A frame that is not JSON at
 * all, or is too large or too deep, yields no messages and an {@link #error}; an array may yield
 * some messages and skip elements that are not messages (counted in {@link #skipped}).
 *
 * @param messages the messages, in frame order
 * @param error why the frame as a whole was rejected, or null
 * @param skipped how many array elements were not valid messages and were dropped
 */
public record Frame(List<Message> messages, @Nullable FrameError error, int skipped) {
  public Frame {
    messages = List.copyOf(messages);
  }

  /** Why a frame was rejected. {@link #text} is what a peer is told in {@code dam:'!'}. */
  public record FrameError(Kind kind, String text) {}

  /** The kinds of frame rejection. */
  public enum Kind {
    /** Not JSON, or not an object or array of objects ("DAM JSON parse error."). */
    MALFORMED,
    /** Longer than the configured maximum ("Message too big!"). */
    TOO_BIG,
    /** Nested deeper than the configured maximum. */
    TOO_DEEP,
    /** An array with more messages than the configured maximum. */
    TOO_MANY
  }
}
