package io.jgun.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends one huge WebSocket text message over a plain socket, streaming the masked payload from a small
 * buffer so the test itself never holds it: either as a single frame whose length is announced in its
 * header (RFC 6455 64-bit length; a relay can refuse it from the header alone), or as a text frame
 * followed by continuation frames (the relay must cap the message as a whole).
 */
final class BigFrameSender {

  /** What happened to the frame. */
  enum Result {
    /** Every byte was written and the relay still had the connection open afterwards. */
    SENT_CONNECTION_OPEN,
    /** The relay closed the connection (close frame, reset or EOF) before or after the frame was out. */
    CLOSED
  }

  private BigFrameSender() {}

  /**
   * Opens a WebSocket to {@code relay}, sends {@code head + filler × n + tail} ({@code size} bytes,
   * ASCII only) as one text message — a single frame when {@code fragment} is 0, else frames of
   * {@code fragment} bytes — then waits up to {@code settle} for the relay to close the connection or
   * answer a GET sent after it.
   */
  static Result send(Relay relay, String head, char filler, String tail, long size, int fragment,
      Duration settle) throws IOException {
    if (size < head.length() + tail.length()) {
      throw new IllegalArgumentException("size smaller than head and tail");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 10_000);
      socket.setSoTimeout((int) settle.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      handshake(out, in, relay.port());
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      try {
        Payload payload = new Payload(head.getBytes(StandardCharsets.US_ASCII), (byte) filler,
            size - head.length() - tail.length(), tail.getBytes(StandardCharsets.US_ASCII));
        if (fragment <= 0) {
          out.write(header(0x1, true, size, mask));
          payload.write(out, size, new Masker(mask));
        } else {
          long left = size;
          boolean first = true;
          while (left > 0) {
            int n = (int) Math.min(fragment, left);
            left -= n;
            out.write(header(first ? 0x1 : 0x0, left == 0, n, mask));
            payload.write(out, n, new Masker(mask));
            first = false;
          }
        }
        out.flush();
      } catch (IOException e) {
        return Result.CLOSED; // the relay hung up on the frame: a clean refusal
      }
      // The frame is out. Ask for something and see whether the relay answers or hangs up.
      String probe = RawSocket.freshId("bigprobe");
      try {
        byte[] get = ("{\"#\":\"" + probe + "\",\"get\":{\"#\":\"jgun-interop/probe/" + probe + "\"}}")
            .getBytes(StandardCharsets.US_ASCII);
        out.write(header(0x1, true, get.length, mask));
        new Masker(mask).write(out, get);
        out.flush();
      } catch (IOException e) {
        return Result.CLOSED;
      }
      return readUntilAnswerOrClose(in, probe);
    }
  }

  private static Result readUntilAnswerOrClose(InputStream in, String probe) throws IOException {
    try {
      while (true) {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
          return Result.CLOSED;
        }
        long len = b1 & 0x7f;
        if (len == 126) {
          len = ((long) in.read() << 8) | in.read();
        } else if (len == 127) {
          len = 0;
          for (int i = 0; i < 8; i++) {
            len = (len << 8) | in.read();
          }
        }
        int opcode = b0 & 0x0f;
        if (opcode == 0x8) {
          return Result.CLOSED;
        }
        byte[] payload = in.readNBytes((int) Math.min(len, 1 << 20));
        in.skipNBytes(len - payload.length);
        if (new String(payload, StandardCharsets.UTF_8).contains("\"@\":\"" + probe + "\"")) {
          return Result.SENT_CONNECTION_OPEN;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("after the big frame the relay neither answered a GET nor closed the connection", e);
    } catch (IOException e) {
      return Result.CLOSED;
    }
  }

  private static void handshake(OutputStream out, InputStream in, int port) throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET /gun HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    while (!response.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0 || response.size() > 8192) {
        throw new IOException("no WebSocket handshake answer: " + response.toString(StandardCharsets.US_ASCII));
      }
      response.write(b);
    }
    String status = response.toString(StandardCharsets.US_ASCII);
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("WebSocket upgrade refused: " + status);
    }
  }

  private static byte[] header(int opcode, boolean fin, long length, byte[] mask) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      h.write(0x80 | (int) length);
    } else if (length <= 0xffff) {
      h.write(0x80 | 126);
      h.write((int) (length >>> 8) & 0xff);
      h.write((int) length & 0xff);
    } else {
      h.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        h.write((int) (length >>> shift) & 0xff);
      }
    }
    h.writeBytes(mask);
    return h.toByteArray();
  }

  /** The message bytes, produced in order on demand: head, then filler, then tail. */
  private static final class Payload {
    private final byte[] head;
    private final byte[] filler = new byte[64 * 1024];
    private final byte[] tail;
    private final long fill;
    private long position;

    Payload(byte[] head, byte filler, long fill, byte[] tail) {
      this.head = head;
      Arrays.fill(this.filler, filler);
      this.fill = fill;
      this.tail = tail;
    }

    /** Writes the next {@code count} bytes of the message through {@code masker}. */
    void write(OutputStream out, long count, Masker masker) throws IOException {
      long end = position + count;
      while (position < end) {
        byte[] piece;
        int from;
        long limit;
        if (position < head.length) {
          piece = head;
          from = (int) position;
          limit = head.length - position;
        } else if (position < head.length + fill) {
          piece = filler;
          from = 0;
          limit = Math.min(filler.length, head.length + fill - position);
        } else {
          piece = tail;
          from = (int) (position - head.length - fill);
          limit = tail.length - from;
        }
        int n = (int) Math.min(limit, end - position);
        masker.write(out, Arrays.copyOfRange(piece, from, from + n));
        position += n;
      }
    }
  }

  /** Applies the client mask across successive writes of one frame's payload. */
  private static final class Masker {
    private final byte[] mask;
    private long position;

    Masker(byte[] mask) {
      this.mask = mask;
    }

    void write(OutputStream out, byte[] data) throws IOException {
      byte[] masked = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        masked[i] = (byte) (data[i] ^ mask[(int) ((position + i) & 3)]);
      }
      position += data.length;
      out.write(masked);
    }
  }
}
