package io.jgun.wire;

import java.util.List;

/**
 * Writes {@link Message}s as JavaScript's {@code JSON.stringify} would (spec §3, §7): JS number
 * formatting, JS string escaping, and, for replies that carry a {@code ##}, key-sorted nodes.
 */
public final class MessageWriter {
  private MessageWriter() {}

  /** The text of one message. */
  public static String write(Message message) {
    throw new UnsupportedOperationException("not yet written" + message);
  }

  /** The text of a batch: a JSON array of the messages. */
  public static String writeBatch(List<Message> messages) {
    throw new UnsupportedOperationException("not yet written" + messages);
  }
}
