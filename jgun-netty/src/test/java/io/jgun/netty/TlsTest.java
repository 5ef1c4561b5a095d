package io.jgun.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgun.mesh.Wire;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss with a self-signed certificate made by keytool and exported to PEM. */
class TlsTest {

  static {
    Leaks.install();
  }

  @TempDir static Path dir;
  private static TestCertificates certs;

  private final RecordingListener serverSide = new RecordingListener().echo().greet("secure hello");
  private final RecordingListener clientSide = new RecordingListener();

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.generate(dir);
  }

  @AfterEach
  void contract() {
    assertThat(serverSide.violations).isEmpty();
    assertThat(clientSide.violations).isEmpty();
    Leaks.assertNone();
  }

  private WebSocketServer server() throws Exception {
    return WebSocketServer.builder()
        .host("127.0.0.1")
        .port(0)
        .tls(certs.certificatePem(), certs.privateKeyPem())
        .build()
        .start(serverSide);
  }

  @Test
  void wssRoundTripWithATrustedCertificate() throws Exception {
    try (WebSocketServer server = server();
        WebSocketDialer dialer = WebSocketDialer.builder().trustManager(certs.trust()).build()) {
      assertThat(server.tls()).isTrue();
      Wire wire =
          dialer.dial("wss://localhost:" + server.port() + "/gun", clientSide)
              .get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("secure hello");
      wire.send("{\"put\":\"😀\"}");
      assertThat(serverSide.nextReceived()).isEqualTo("{\"put\":\"😀\"}");
      assertThat(clientSide.nextReceived()).isEqualTo("{\"put\":\"😀\"}");

      // https:// is rewritten to wss:// as Gun.js does
      Wire second =
          dialer.dial("https://127.0.0.1:" + server.port() + "/gun", clientSide)
              .get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("secure hello");
      second.close();
      assertThat(clientSide.nextClosed().cause()).isNull();
    }
  }

  @Test
  void theDefaultTrustStoreRejectsASelfSignedCertificate() throws Exception {
    try (WebSocketServer server = server();
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      assertThatThrownBy(
              () ->
                  dialer.dial("wss://localhost:" + server.port() + "/gun", clientSide)
                      .get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(DialException.class)
          .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
          .hasCauseInstanceOf(SSLException.class);
      assertThat(clientSide.opened).isEmpty();
    }
  }

  @Test
  void insecureTrustAllAcceptsAnything() throws Exception {
    try (WebSocketServer server = server();
        WebSocketDialer dialer = WebSocketDialer.builder().insecureTrustAll().build()) {
      Wire wire =
          dialer.dial("wss://127.0.0.1:" + server.port() + "/gun", clientSide)
              .get(10, TimeUnit.SECONDS);
      assertThat(clientSide.nextReceived()).isEqualTo("secure hello");
      assertThat(wire.isOpen()).isTrue();
    }
  }

  @Test
  void plainWsToATlsServerFailsCleanly() throws Exception {
    try (WebSocketServer server = server();
        WebSocketDialer dialer = WebSocketDialer.builder().build()) {
      assertThatThrownBy(
              () ->
                  dialer.dial("ws://127.0.0.1:" + server.port() + "/gun", clientSide)
                      .get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(DialException.class);
      assertThat(clientSide.opened).isEmpty();
    }
  }
}
