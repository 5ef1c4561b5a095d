package io.jgun.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RelayCommandTest {
  @Test
  void thePeerIdIsSetByPeerIdOrItsOldAliasPid() {
    RelayCommand named = new RelayCommand();
    new CommandLine(named).parseArgs("--peer-id", "relay-a");
    assertThat(named.peerId).isEqualTo("relay-a");
    RelayCommand alias = new RelayCommand();
    new CommandLine(alias).parseArgs("--pid", "relay-b");
    assertThat(alias.peerId).isEqualTo("relay-b");
    assertThat(new CommandLine(new RelayCommand()).getUsageMessage()).contains("--peer-id").contains("GUN peer id");
  }
}
