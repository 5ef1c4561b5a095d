package io.jgun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchHelpersTest {

  @Test
  void ceilingAnswersPutsAndGetsByTheirId() {
    assertThat(CeilingServer.requestId("{\"#\":\"abc123\",\"put\":{\"s\":{}}}")).isEqualTo("abc123");
    assertThat(CeilingServer.requestId("{\"#\":\"x\",\"get\":{\"#\":\"s\"}}")).isEqualTo("x");
  }

  @Test
  void ceilingIgnoresEverythingElse() {
    assertThat(CeilingServer.requestId("{\"dam\":\"?\",\"pid\":\"p\",\"@\":\"a\",\"#\":\"b\"}")).isNull();
    assertThat(CeilingServer.requestId("{\"#\":\"a\",\"@\":\"b\",\"ok\":1}")).isNull();
    assertThat(CeilingServer.requestId("[{\"#\":\"a\",\"put\":{}}]")).isNull();
    assertThat(CeilingServer.requestId("{\"#\":\"unterminated")).isNull();
    assertThat(CeilingServer.requestId("[]")).isNull();
  }

  @Test
  void routingBenchSetUpDeliversOnePushPerSubscriber() {
    RoutingBench b = new RoutingBench();
    b.subscribers = 10;
    b.engine = "memory";
    b.setUp(); // throws unless the check put reached all 10 subscribers and was acked once
    RoutingBench.Deliveries d = new RoutingBench.Deliveries();
    b.routePut(d);
    b.routePut(d);
    assertThat(d.deliveries).isEqualTo(20);
    b.tearDown();
  }
}
