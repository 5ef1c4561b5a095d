package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void parsesSizesAsTheLauncherDoes() {
    assertThat(MemoryBudget.parse("256m").bytes()).isEqualTo(256L << 20);
    assertThat(MemoryBudget.parse("2g").bytes()).isEqualTo(2L << 30);
    assertThat(MemoryBudget.parse("512MiB").bytes()).isEqualTo(512L << 20);
    assertThat(MemoryBudget.parse("268435456").bytes()).isEqualTo(256L << 20); // bin/jgun exports bytes
    assertThatThrownBy(() -> MemoryBudget.parse("lots")).hasMessageContaining("not a size: 'lots'");
    assertThatThrownBy(() -> MemoryBudget.parse("64m")).hasMessageContaining("at least 128m");
    assertThatThrownBy(() -> MemoryBudget.parse("99999999999t")).hasMessageContaining("too big");
  }

  @Test
  void sharesTheBudgetOut() {
    MemoryBudget small = MemoryBudget.parse("256m");
    assertThat(small.heapBytes() >> 20).isEqualTo(115); // as bin/jgun's -Xmx115m
    assertThat(small.cacheMb()).isEqualTo(16);
    assertThat(small.serialGc()).isTrue();
    // frames: 1/64 of the budget, and three of the largest (buffer growth and copy) fit in half the
    // direct memory, which the WebSocket server lets all frames being assembled hold
    assertThat(small.maxFrameBytes()).isEqualTo(4 << 20);
    assertThat(3L * small.maxFrameBytes()).isLessThanOrEqualTo(small.directBytes() / 2);
    assertThat(MemoryBudget.parse("128m").maxFrameBytes()).isEqualTo(2 << 20);
    assertThat(MemoryBudget.parse("512m").maxFrameBytes()).isEqualTo(8 << 20);
    // the queues and buffers that matter at this size
    assertThat(small.writeBufferBytes()).as("RocksDB memtable, two at most").isEqualTo(8L << 20);
    assertThat(small.outboundCapBytes()).as("queued for one connection: an eighth of the direct memory").isEqualTo(4L << 20);
    assertThat(small.dedupMax()).as("about 16 MiB of the 115 MiB heap").isEqualTo(117_964);
    MemoryBudget big = MemoryBudget.parse("2g");
    assertThat(big.heapBytes() >> 20).isEqualTo(921);
    assertThat(big.cacheMb()).isEqualTo(128);
    assertThat(big.directBytes() >> 20).isEqualTo(256);
    assertThat(big.serialGc()).isFalse();
    assertThat(big.maxFrameBytes()).as("at most 10 MiB").isEqualTo(10 << 20);
    assertThat(big.writeBufferBytes()).isEqualTo(16L << 20);
    assertThat(big.outboundCapBytes()).as("OkHttp's 16 MiB").isEqualTo(16L << 20);
    assertThat(big.dedupMax()).isEqualTo(200_000);
  }
}
