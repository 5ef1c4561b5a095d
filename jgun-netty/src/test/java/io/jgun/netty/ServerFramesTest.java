package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  @Test
  void textFramesUseTheShortestLengthField() {
    for (int n : new int[] {0, 125, 126, 65_535, 65_536}) {
      String text = "a".repeat(n);
      ByteBuf f = ServerFrames.text(alloc, text, n);
      try {
        assertThat(f.readableBytes()).isEqualTo(ServerFrames.size(n));
        assertThat((int) f.getUnsignedByte(0)).isEqualTo(0x81); // FIN + text, never masked
        int len7 = f.getUnsignedByte(1);
        if (n < 126) {
          assertThat(len7).isEqualTo(n);
          assertThat(f.readableBytes()).isEqualTo(2 + n);
        } else if (n <= 65_535) {
          assertThat(len7).isEqualTo(126);
          assertThat(f.getUnsignedShort(2)).isEqualTo(n);
        } else {
          assertThat(len7).isEqualTo(127);
          assertThat(f.getLong(2)).isEqualTo(n);
        }
      } finally {
        f.release();
      }
    }
  }

  @Test
  void closeReasonsAreCutToAControlFrameOnACharacterBoundary() {
    String reason = "é".repeat(100); // 200 bytes of two-byte characters
    ByteBuf f = ServerFrames.close(alloc, 1008, reason);
    try {
      assertThat((int) f.getUnsignedByte(0)).isEqualTo(0x88);
      int len = f.getUnsignedByte(1);
      assertThat(len).isLessThanOrEqualTo(125);
      assertThat(f.getUnsignedShort(2)).isEqualTo(1008);
      String cut = f.toString(4, len - 2, StandardCharsets.UTF_8);
      assertThat(cut).isEqualTo("é".repeat(61)); // 122 bytes: 123 would split a character
    } finally {
      f.release();
    }
    ByteBuf empty = ServerFrames.close(alloc, -1, "ignored");
    try {
      assertThat(empty.readableBytes()).isEqualTo(2);
      assertThat((int) empty.getUnsignedByte(1)).isZero();
    } finally {
      empty.release();
    }
  }

  @Test
  void pongsEchoThePingPayload() {
    ByteBuf ping = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    ByteBuf f = ServerFrames.pong(alloc, ping);
    try {
      assertThat((int) f.getUnsignedByte(0)).isEqualTo(0x8A);
      assertThat((int) f.getUnsignedByte(1)).isEqualTo(3);
      assertThat(f.getByte(4)).isEqualTo((byte) 3);
      assertThat(ping.readableBytes()).isEqualTo(3); // not consumed
    } finally {
      f.release();
    }
  }

  @Test
  void theSameStringSentAgainFromOneThreadSharesOneEncodingAndEachCopyReadsOnItsOwn() {
    String text = "{\"#\":\"abc\",\"put\":{}}";
    ByteBuf first = ServerFrames.text(alloc, text);
    assertThat(first.refCnt()).isEqualTo(1); // sent once so far: nothing kept
    ByteBuf second = ServerFrames.text(alloc, text);
    ByteBuf third = ServerFrames.text(alloc, text);
    try {
      // From the second send on, one kept encoding and a duplicate of it per send.
      assertThat(second.refCnt()).isEqualTo(3);
      assertThat(third.refCnt()).isEqualTo(3);
      byte[] written = new byte[second.readableBytes()];
      second.readBytes(written); // what a channel write does to the copy it writes
      assertThat(third.readableBytes()).isEqualTo(written.length);
      assertThat(third.toString(2, third.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo(text);
      assertThat(first.toString(2, first.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo(text);
    } finally {
      first.release();
      second.release();
      third.release();
    }
    ByteBuf fourth = ServerFrames.text(alloc, text); // still kept after the copies went out
    try {
      assertThat(fourth.refCnt()).isEqualTo(2);
      assertThat(fourth.toString(2, fourth.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo(text);
    } finally {
      fourth.release();
    }
    ByteBuf other = ServerFrames.text(alloc, new String(text)); // equal, not the same instance
    try {
      assertThat(other.refCnt()).isEqualTo(1); // its first send: not kept
      assertThat(fourth.refCnt()).isZero(); // and the kept frame was let go
    } finally {
      other.release();
    }
  }

  @Test
  void sharedTextIsWellFormedAndLargeFramesAreNotKept() {
    ByteBuf f = ServerFrames.text(alloc, "a\uD800b");
    try {
      assertThat(f.toString(2, f.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo("a\uFFFDb");
    } finally {
      f.release();
    }
    String big = "x".repeat(ServerFrames.SHARE_MAX_BYTES + 1);
    for (int i = 0; i < 2; i++) { // sent twice: still not kept
      ByteBuf b = ServerFrames.text(alloc, big);
      try {
        assertThat(b.readableBytes()).isEqualTo(ServerFrames.size(big.length()));
        assertThat(b.refCnt()).isEqualTo(1); // ours alone: nothing kept a reference
      } finally {
        b.release();
      }
    }
  }
}
