package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void shortTextIsShownWhole() {
    assertThat(LogText.clip("abc")).isEqualTo("abc");
    assertThat(LogText.clip(null)).isEqualTo("null");
  }

  @Test
  void longTextIsClippedAndItsLengthSaid() {
    String id = "x".repeat(1_000_000);
    assertThat(LogText.clip(id)).hasSize(LogText.MAX_CHARS + "…(1000000 chars)".length()).endsWith("…(1000000 chars)");
  }
}
