package io.jgun.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 frames as a server writes them: final, unmasked, encoded straight into one buffer. A
 * server connection's pipeline has no frame encoder (one handler context and one encoder less per
 * idle connection); a client's frames must be masked and still go through Netty's encoder.
 */
final class ServerFrames {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PONG = 0xA;

  /** Control frames carry at most 125 bytes (RFC 6455 §5.5). */
  private static final int MAX_CONTROL_PAYLOAD = 125;

  private ServerFrames() {}

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
