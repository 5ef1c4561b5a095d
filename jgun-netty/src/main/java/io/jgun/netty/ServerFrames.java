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
 * {@link #text(ByteBufAllocator, String)} encodes it once and hands each connection a duplicate
 * of the same bytes.
 */
final class ServerFrames {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PONG = 0xA;

  /** Control frames carry at most 125 bytes (RFC 6455 §5.5). */
  private static final int MAX_CONTROL_PAYLOAD = 125;

  /** Frames up to this payload are kept for the next send of the same string on this thread. */
  static final int SHARE_MAX_BYTES = 64 * 1024;

  /** The last text frame this thread encoded, and the string it was made from. */
  private static final class Last {
    @Nullable String source;
    @Nullable ByteBuf frame;

    void set(String s, ByteBuf f) {
      clear();
      source = s;
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
   * A text frame of {@code frame} (lone surrogates sent as U+FFFD, as browsers and Node do): encoded
   * once per string per thread. The same string instance sent again from this thread, as a fan-out
   * does to every subscriber, gets a retained duplicate of the bytes encoded the first time.
   */
  static ByteBuf text(ByteBufAllocator alloc, String frame) {
    Last last = LAST.get();
    ByteBuf shared = last.frame;
    if (last.source == frame && shared != null) {
      return shared.retainedDuplicate();
    }
    String text = Utf8Text.wellFormed(frame);
    int payload = ByteBufUtil.utf8Bytes(text);
    ByteBuf encoded = text(alloc, text, payload);
    if (payload > SHARE_MAX_BYTES) {
      return encoded;
    }
    // The kept frame is never written itself (a write moves its reader index): only duplicates.
    last.set(frame, encoded);
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
