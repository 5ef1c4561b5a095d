package io.jgun.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgun.dam.DamProtocol;
import io.jgun.testing.FakeWire;
import io.jgun.wire.Ids;
import io.jgun.wire.Message;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code ><} route (docs/protocol.md §4.7): the peers we name, and the part of theirs we read. */
class RoutesTest {
  private final Set<Peer> peers = new LinkedHashSet<>();
  private final Routes routes = new Routes(peers);

  private Peer peer(String url) {
    Peer p = new Peer(new FakeWire(url, null, true, url), Ids.secure());
    peers.add(p);
    return p;
  }

  private static Message get() {
    return Message.builder().id("msgid0001").build();
  }

  @Test
  void withOnePeerThereIsNoRoute() {
    peer("ws://a");
    assertThat(routes.withRoute(get()).route()).isNull();
  }

  @Test
  void theRouteNamesTheFirstSevenPeersInTheOrderTheyCame() {
    for (int i = 0; i < 9; i++) {
      peer("ws://p" + i);
    }
    assertThat(routes.withRoute(get()).route()).isEqualTo("ws://p0,ws://p1,ws://p2,ws://p3,ws://p4,ws://p5,ws://p6");
  }

  @Test
  void aRouteOnceSetIsKept() {
    peer("ws://a");
    peer("ws://b");
    Message m = Message.builder().id("msgid0001").route("x,y").build();
    assertThat(routes.withRoute(m).route()).isEqualTo("x,y");
  }

  @Test
  void aPeerIsExcludedByItsNameOrItsPidAsAWholeEntry() {
    Peer p = peer("ws://a");
    p.pid = "pidofa001";
    assertThat(Routes.excluded(p, "ws://b,ws://a")).isTrue();
    assertThat(Routes.excluded(p, "pidofa001")).isTrue();
    assertThat(Routes.excluded(p, "ws://ab,ws://b")).as("a prefix is not a match").isFalse();
    assertThat(Routes.excluded(p, null)).isFalse();
  }

  @Test
  void onlyTheFirstEntriesAndCharactersAreRead() {
    Peer p = peer("ws://a");
    String eightEntries = "e1,e2,e3,e4,e5,e6,e7,ws://a";
    assertThat(Routes.excluded(p, eightEntries)).as("the 8th entry is not read").isFalse();
    String pad = "x".repeat(DamProtocol.ROUTE_MAX_CHARS - 3);
    assertThat(Routes.excluded(p, pad + ",ws://a")).as("past the 99th character").isFalse();
    assertThat(Routes.excluded(p, "x".repeat(90) + ",ws://a")).isTrue();
  }
}
