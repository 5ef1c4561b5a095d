package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebSocketUrlTest {

  @Test
  void httpBecomesWsAndHttpsBecomesWss() {
    WebSocketUrl plain = WebSocketUrl.parse("http://relay.example:8765/gun");
    assertThat(plain.uri()).hasToString("ws://relay.example:8765/gun");
    assertThat(plain.secure()).isFalse();
    assertThat(plain.host()).isEqualTo("relay.example");
    assertThat(plain.port()).isEqualTo(8765);

    WebSocketUrl secure = WebSocketUrl.parse("HTTPS://relay.example/gun?x=1#frag");
    assertThat(secure.uri()).hasToString("wss://relay.example:443/gun?x=1");
    assertThat(secure.secure()).isTrue();
    assertThat(secure.port()).isEqualTo(443);
  }

  @Test
  void defaultsAndIpv6() {
    assertThat(WebSocketUrl.parse("ws://h").uri()).hasToString("ws://h:80/");
    assertThat(WebSocketUrl.parse("wss://h:9/").uri()).hasToString("wss://h:9/");
    WebSocketUrl v6 = WebSocketUrl.parse("ws://[::1]:8765/gun");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.uri()).hasToString("ws://[::1]:8765/gun");
  }

  @Test
  void rejectsWhatCannotBeDialed() {
    for (String bad : new String[] {"ftp://h/gun", "h:8765/gun", "ws:///gun", "ws://h/ g"}) {
      assertThatThrownBy(() -> WebSocketUrl.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
