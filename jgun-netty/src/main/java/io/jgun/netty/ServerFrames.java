package io.jgun.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * RFC 6455 frames as a server writes them: final, unmasked, encoded straight into one buffer. A
 * server connection's pipeline has no frame encoder (one handler context and one encoder less per
 * idle connection); a client's frames must be masked and still go through Netty's encoder.
 *
 * <p>A fan-out sends the same string to many connections, one after the other from one thread:
 * {@link #text(ByteBufAllocator, String)} encodes it at most twice and hands the connections after
 * the first duplicates of the same bytes.
 */
final class ServerFrames {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PONG = 0xA;

  /** Control frames carry at most 125 bytes (RFC 6455 §5.5). */
  private static final int MAX_CONTROL_PAYLOAD = 125;

  /** Frames up to this payload are shared between sends of the same string on one thread. */
  static final int SHARE_MAX_BYTES = 64 * 1024;

  /**
   * The last string this thread sent (at most {@link #SHARE_MAX_BYTES} of it), and the frame kept
   * for it once it was sent a second time.
   */
  private static final class Last {
    @Nullable String source;
    @Nullable ByteBuf frame;

    void remember(String s) {
      clear();
      source = s;
    }

    void keep(ByteBuf f) {
      frame = f;
    }

    void clear() {
      ByteBuf f = frame;
      frame = null;
      source = null;
      if (f != null) {
        f.release();
      }
    }
  }

  private static final FastThreadLocal<Last> LAST =
      new FastThreadLocal<>() {
        @Override
        protected Last initialValue() {
          return new Last();
        }

        @Override
        protected void onRemoval(Last last) {
          last.clear();
        }
      };

  private ServerFrames() {}

  /**
   * A text frame of {@code frame} (lone surrogates sent as U+FFFD, as browsers and Node do). When
   * this thread sends the same string instance again, as a fan-out does to every subscriber, the
   * second send encodes it into a frame that is kept, and that send and the ones after it get
   * retained duplicates of those bytes. A string sent once (an ack, a reply) is never kept, so it
   * pins no pooled memory.
   */
  static ByteBuf text(ByteBufAllocator alloc, String frame) {
    Last last = LAST.get();
    ByteBuf shared = last.frame;
    if (last.source == frame && shared != null) {
      return shared.retainedDuplicate();
    }
    boolean again = last.source == frame;
    String text = Utf8Text.wellFormed(frame);
    int payload = ByteBufUtil.utf8Bytes(text);
    ByteBuf encoded = text(alloc, text, payload);
    if (payload > SHARE_MAX_BYTES) {
      last.clear();
      return encoded;
    }
    if (!again) {
      last.remember(frame);
      return encoded;
    }
    // The kept frame is never written itself (a write moves its reader index): only duplicates.
    last.keep(encoded);
    return encoded.retainedDuplicate();
  }

  /** The size of a frame carrying {@code payload} bytes: header plus payload. */
  static int size(int payload) {
    return headerSize(payload) + payload;
  }

  /** A text frame; {@code utf8Bytes} is the UTF-8 length of the well-formed {@code text}. */
  static ByteBuf text(ByteBufAllocator alloc, String text, int utf8Bytes) {
    ByteBuf buf = alloc.buffer(size(utf8Bytes));
    writeHeader(buf, TEXT, utf8Bytes);
    ByteBufUtil.reserveAndWriteUtf8(buf, text, utf8Bytes);
    return buf;
  }

  /**
   * A close frame with {@code status} and {@code reason} (cut to fit a control frame), or with an
   * empty body when {@code status} is -1.
   */
  static ByteBuf close(ByteBufAllocator alloc, int status, String reason) {
    if (status == -1) {
      ByteBuf buf = alloc.buffer(2);
      writeHeader(buf, CLOSE, 0);
      return buf;
    }
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
    while (n > 0 && n < text.length && (text[n] & 0xC0) == 0x80) {
      n--; // never cut inside a character
    }
    ByteBuf buf = alloc.buffer(2 + 2 + n);
    writeHeader(buf, CLOSE, 2 + n);
    buf.writeShort(status);
    buf.writeBytes(text, 0, n);
    return buf;
  }

  /** A pong echoing a ping's payload (at most 125 bytes, as the decoder enforces for pings). */
  static ByteBuf pong(ByteBufAllocator alloc, ByteBuf payload) {
    int n = Math.min(payload.readableBytes(), MAX_CONTROL_PAYLOAD);
    ByteBuf buf = alloc.buffer(2 + n);
    writeHeader(buf, PONG, n);
    buf.writeBytes(payload, payload.readerIndex(), n);
    return buf;
  }

  private static int headerSize(int payload) {
    return payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10;
  }

  private static void writeHeader(ByteBuf buf, int opcode, int payload) {
    buf.writeByte(0x80 | opcode);
    if (payload < 126) {
      buf.writeByte(payload);
    } else if (payload <= 0xFFFF) {
      buf.writeByte(126);
      buf.writeShort(payload);
    } else {
      buf.writeByte(127);
      buf.writeLong(payload);
    }
  }
}
