package io.jgun.bench;

import io.jgun.mesh.Wire;
import io.jgun.mesh.WireListener;
import io.jgun.netty.WebSocketServer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport ceiling: jgun's WebSocket server (jgun-netty, the relay's own transport) with a
 * listener that does no GUN work at all. It greets each connection with {@code dam:'?'} as a relay
 * does, and answers every frame that starts {@code {"#":"ID"} and holds a put or a get with {@code
 * {"@":"ID","ok":1,"#":"N"}} straight from the I/O thread: no parsing, no graph, no mesh loop, no
 * storage. What a load tool reaches against it is the machine's and the tool's limit; a relay's
 * figure divided by this one is how close the relay gets to it.
 *
 * <pre>java -cp jgun-bench/target/jgun-bench.jar io.jgun.bench.CeilingServer [--host 127.0.0.1] [--port 8765]</pre>
 */
public final class CeilingServer implements WireListener {
  private static final Logger log = LoggerFactory.getLogger(CeilingServer.class);
  private final AtomicLong ids = new AtomicLong();

  private CeilingServer() {}

  /** Runs until killed. */
  public static void main(String[] args) throws IOException, InterruptedException {
    String host = "127.0.0.1";
    int port = 8765;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--host" -> host = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--host H --port P)");
      }
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --host H --port P");
    }
    WebSocketServer server = WebSocketServer.builder().host(host).port(port).build();
    server.start(new CeilingServer());
    log.info("ceiling server listening on ws://{}:{}{}", host, server.port(), server.path());
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ceiling-shutdown"));
    forever.await();
  }

  @Override
  public void opened(Wire wire) {
    wire.send("{\"#\":\"c" + ids.incrementAndGet() + "\",\"dam\":\"?\",\"pid\":\"ceiling\"}");
  }

  @Override
  public void received(Wire wire, String frame) {
    String id = requestId(frame);
    if (id != null) {
      wire.send("{\"@\":\"" + id + "\",\"ok\":1,\"#\":\"c" + ids.incrementAndGet() + "\"}");
    }
  }

  /** The id of a frame {@code {"#":"ID",...}} holding a put or a get; null otherwise. */
  static @Nullable String requestId(String frame) {
    if (!frame.startsWith("{\"#\":\"")) {
      return null;
    }
    int end = frame.indexOf('"', 6);
    if (end < 0 || !(frame.startsWith(",\"put\"", end + 1) || frame.startsWith(",\"get\"", end + 1))) {
      return null;
    }
    return frame.substring(6, end);
  }

  @Override
  public void closed(Wire wire, @Nullable Throwable cause) {
    // nothing held per connection
  }
}
