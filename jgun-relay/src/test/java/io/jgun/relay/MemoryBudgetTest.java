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
    MemoryBudget big = MemoryBudget.parse("2g");
    assertThat(big.heapBytes() >> 20).isEqualTo(921);
    assertThat(big.cacheMb()).isEqualTo(128);
    assertThat(big.directBytes() >> 20).isEqualTo(256);
    assertThat(big.serialGc()).isFalse();
  }
}
