package io.jgun.dam;

import io.jgun.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DAM protocol's constants (docs/protocol.md §3.5, §4): the {@code dam} message types, the
 * error texts peers send each other, the heartbeat, the {@code ok} budgets and the limits of a
 * {@code ><} route. The values are Gun.js's (gun@0.2020.1241); a peer that sends other ones is not
 * understood by Gun.js peers, so they are not options.
 */
public final class DamProtocol {

  /** The heartbeat: an empty batch, sent to idle connections to keep proxies from closing them. */
  public static final String HEARTBEAT = "[]";

  /**
   * {@code dam:'?'}: the handshake (§4.2). The accepting side sends it with its {@code pid} first;
   * the dialing side answers with an ack carrying its own.
   */
  public static final String DAM_HANDSHAKE = "?";

  /** {@code dam:'!'}: an error about a frame, its text in {@code err} (§4.1). */
  public static final String DAM_ERROR = "!";

  /** The {@code err} of {@code dam:'!'} for a frame over the size limit (Gun.js's {@code opt.max}). */
  public static final String TOO_BIG = "Message too big!";

  /** The start of the {@code err} of an ack to a GET the graph could not read. */
  public static final String READ_FAILED = "Error: read failed: ";

  /** The start of the {@code err} of an ack to a put the graph could not write. */
  public static final String WRITE_FAILED = "Error: write failed: ";

  /**
   * The {@code @} of the {@code ok} budget a relay puts on the writes it pushes (§3.5): Gun.js's
   * mesh starts a relayed put at 2.
   */
  public static final int OK_BUDGET_RELAYED = 2;

  /**
   * The {@code @} of the {@code ok} budget of a write made by the peer itself (§3.5): a Gun.js
   * chain with a callback asks for that many acks, {@code {"@":9,"/":1}} from a browser.
   */
  public static final int OK_BUDGET_OWN = 9;

  /** A {@code ><} route names at most this many peers (§4.7). */
  public static final int ROUTE_MAX_PEERS = 7;

  /** Receivers read at most this many characters of a {@code ><} route (§4.7). */
  public static final int ROUTE_MAX_CHARS = 99;

  private DamProtocol() {}

  /** The {@code ok} object of a write: {@code {"@": acks, "/": peers}} (§3.5). */
  public static Json.Obj okBudget(int acks, int peers) {
    Map<String, Json> ok = new LinkedHashMap<>();
    ok.put("@", Json.of(acks));
    ok.put("/", Json.of(peers));
    return new Json.Obj(ok);
  }
}
