package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Large messages on their way in: every read is reported before the message is complete (so a
 * listener can pause the connection mid-message), and what all connections hold for messages being
 * assembled stays under the server's shared cap: the connection that would pass it is refused with
 * 1009, the others complete.
 */
class FrameAssemblyTest {

  static {
    Leaks.install();
  }

  private static final String TOO_BIG = "{\"dam\":\"!\",\"err\":\"Message too big!\"}";

  private final RecordingListener serverSide = new RecordingListener().echo().answerOversized(TOO_BIG);

  @AfterEach
  void contract() {
    assertThat(serverSide.violations).isEmpty();
    Leaks.assertNone();
  }

  @Test
  void readsAreReportedAsTheyArriveBeforeTheMessageIsComplete() throws Exception {
    try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).build().start(serverSide);
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      ws.sendHeader(RawWebSocket.TEXT, true, 1_000_000, new byte[4]); // zero mask: payload as is
      ws.write(new byte[500_000]);
      await().until(() -> serverSide.bytesRead.get() >= 500_000);
      assertThat(serverSide.received).as("nothing delivered before the message is whole").isEmpty();

      ws.write(new byte[500_000]);
      assertThat(serverSide.nextReceived()).hasSize(1_000_000);
      assertThat(serverSide.bytesRead.get()).isBetween(1_000_000L, 1_000_100L);
    }
  }

  @Test
  void aMessageThatWouldTakeTheSharedCapIsRefusedWhileOthersComplete() throws Exception {
    int frame = 400_000;
    try (WebSocketServer server =
            WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .maxFrameBytes(frame)
                .maxAssemblyBytes(3L * frame + 300_000)
                .closeTimeout(Duration.ofMillis(200))
                .build()
                .start(serverSide);
        RawWebSocket first = RawWebSocket.connect(server.port(), "/gun");
        RawWebSocket second = RawWebSocket.connect(server.port(), "/gun");
        RawWebSocket small = RawWebSocket.connect(server.port(), "/gun")) {
      serverSide.nextOpened();
      serverSide.nextOpened();
      serverSide.nextOpened();
      // the first holds 3 × 300,000 of the cap's 1,500,000 once this is read
      first.sendHeader(RawWebSocket.TEXT, true, frame, new byte[4]);
      first.write(new byte[300_000]);
      await().until(() -> serverSide.bytesRead.get() >= 300_000);

      // the second may take only what is left (about 200,000 bytes' worth): refused with 1009
      second.sendHeader(RawWebSocket.TEXT, true, frame, new byte[4]);
      second.write(new byte[300_000]);
      RawWebSocket.Frame answer = second.readFrame();
      assertThat(answer.text()).isEqualTo(TOO_BIG);
      assertThat(second.readFrame().closeStatus()).isEqualTo(1009);
      assertThat(serverSide.nextOversized()).isBetween(1L, 300_000L);
      assertThat(second.readsToEnd(0)).isTrue();
      serverSide.nextClosed();

      // small messages are never refused, and the first completes
      small.sendText("hi");
      assertThat(small.readFrame().text()).isEqualTo("hi");
      first.write(new byte[frame - 300_000]);
      assertThat(serverSide.nextReceived()).isEqualTo("hi");
      assertThat(serverSide.nextReceived()).hasSize(frame);
      assertThat(first.readFrame().payload()).hasSize(frame);
    }
  }

  @Test
  void aLargeMessageIsRefusedWhenDirectMemoryIsNearlyGoneEvenUnderTheCap() {
    long[] used = {0};
    FrameAssembly a = new FrameAssembly(10_000_000, () -> used[0], 8_000_000); // 7,000,000 usable
    assertThat(a.resize(0, 3_000_000)).isTrue();
    used[0] = 5_000_000; // pooled chunks the buffers do not fill
    assertThat(a.resize(0, 3_000_000)).as("5 + 3 MB of 7 usable").isFalse();
    assertThat(a.resize(0, 200_000)).as("small: always").isTrue();
    assertThat(a.held()).isEqualTo(3_200_000);
    assertThat(a.resize(3_000_000, 0)).as("shrinking: always").isTrue();
    assertThat(a.held()).isEqualTo(200_000);
  }

  @Test
  void theCapMustHoldTheLargestMessage() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WebSocketServer.builder().maxFrameBytes(1_000_000).maxAssemblyBytes(2_999_999).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAssemblyBytes");
  }
}
