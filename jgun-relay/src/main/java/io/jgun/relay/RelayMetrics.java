package io.jgun.relay;

import io.jgun.mesh.Mesh;
import io.jgun.mesh.MeshStats;
import io.jgun.netty.HttpRoute;
import io.jgun.postgres.ChangeFeed;
import io.jgun.postgres.PostgresStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** The relay's metrics, in Prometheus text format at {@code GET /metrics}. */
final class RelayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  RelayMetrics(Mesh mesh) {
    MeshStats s = mesh.stats();
    counter("jgun.frames.in", "text frames received", s, x -> x.framesIn);
    counter("jgun.frames.rejected", "frames rejected whole (not JSON, too big, too deep)", s, x -> x.framesRejected);
    counter("jgun.frames.out", "frames sent", s, x -> x.framesOut);
    counter("jgun.messages.in", "messages received", s, x -> x.messagesIn);
    counter("jgun.messages.duplicate", "messages dropped as duplicates", s, x -> x.duplicates);
    counter("jgun.puts.accepted", "puts with at least one accepted field", s, x -> x.putsAccepted);
    counter("jgun.puts.invalid", "puts rejected as invalid graphs", s, x -> x.putsInvalid);
    counter("jgun.puts.forbidden", "puts refused by the SEA firewall or the access rules (err ack, not stored or relayed)", s, x -> x.putsForbidden);
    counter("jgun.puts.noop", "puts that changed nothing (same or older)", s, x -> x.putsNoop);
    counter("jgun.fields.accepted", "fields written", s, x -> x.fieldsAccepted);
    counter("jgun.fields.deferred", "future fields held until their time", s, x -> x.fieldsDeferred);
    counter("jgun.fields.refused", "future fields refused (queue full or too far ahead)", s, x -> x.deferralsRefused);
    counter("jgun.gets.found", "GETs answered with data", s, x -> x.getsFound);
    counter("jgun.gets.notfound", "GETs answered not-found", s, x -> x.getsNotFound);
    counter("jgun.connections.refused", "connections closed at once: their IP had too many open", s, x -> x.connectionsRefused);
    counter("jgun.clients.slowed", "frames after which a client over its rate had its reading paused", s, x -> x.clientsSlowed);
    counter("jgun.clients.told", "clients told to slow down (dam '!') after staying over their rate", s, x -> x.clientsTold);
    counter("jgun.clients.disconnected", "clients disconnected after staying over their rate too long", s, x -> x.clientsDisconnected);
    counter("jgun.subscriptions.refused", "subscriptions not made: the connection was at its cap", s, x -> x.subscriptionsRefused);
    counter("jgun.gets.forbidden", "GETs refused by the access rules (answered with err), and nodes left out of lex answers", s, x -> x.readsForbidden);
    counter("jgun.gets.failed", "GETs the store failed to read (answered with err)", s, x -> x.readsFailed);
    counter("jgun.writes.failed", "accepted writes the store failed to make durable (err ack)", s, x -> x.writesFailed);
    counter("jgun.gets.queued", "GETs that waited for the store to have room", s, x -> x.getsQueued);
    counter("jgun.reading.paused", "times a connection's reading was paused: too many of its GETs waiting", s, x -> x.readingPaused);
    counter("jgun.gets.forwarded", "GETs forwarded to other peers", s, x -> x.getsForwarded);
    counter("jgun.pushes", "push messages of accepted writes to subscribed peers", s, x -> x.pushes);
    counter("jgun.pushes.conflated", "pushes not sent to a subscriber over its outbound bound (its fields are sent at their latest once it drains)", s, x -> x.pushesConflated);
    counter("jgun.replies.routed", "replies and acks routed to the asker", s, x -> x.repliesRouted);
    counter("jgun.replies.dropped", "replies nobody waited for", s, x -> x.repliesDropped);
    counter("jgun.peers.dropped", "peers disconnected for flooding or reading too slowly", s, x -> x.peersDropped);
    counter("jgun.connections.opened", "connections opened", s, x -> x.connectionsOpened);
    counter("jgun.connections.closed", "connections closed", s, x -> x.connectionsClosed);
    Gauge.builder("jgun.connections", mesh, Mesh::connections).description("open connections").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** The PostgreSQL store's and its change feed's figures, for relays started with {@code --postgres}. */
  void postgres(PostgresStore store, ChangeFeed feed) {
    Gauge.builder("jgun.postgres.reachable", store, s -> s.isReachable() ? 1 : 0)
        .description("1 while the store's reads reach PostgreSQL, 0 from a read that found it unreachable until a probe connects")
        .register(registry);
    Gauge.builder("jgun.postgres.pending.fields", store, PostgresStore::pendingFields)
        .description("fields queued for the writer, not yet committed").register(registry);
    FunctionCounter.builder("jgun.postgres.batches", store, PostgresStore::batchesWritten)
        .description("write transactions run (group commits), failed ones included").register(registry);
    FunctionCounter.builder("jgun.postgres.feed.delivered", feed, ChangeFeed::delivered)
        .description("field writes of other relays the change feed pushed to this relay's subscribers").register(registry);
    FunctionCounter.builder("jgun.postgres.feed.fell.behind", feed, ChangeFeed::fellBehind)
        .description("catch-ups from the fields' latest values: the feed was away longer than the change log keeps writes")
        .register(registry);
    Gauge.builder("jgun.postgres.feed.last.seq", feed, ChangeFeed::lastSeq)
        .description("the last change sequence number the feed has read").register(registry);
  }

  private void counter(String name, String help, MeshStats s, Function<MeshStats, LongAdder> f) {
    LongAdder a = f.apply(s);
    FunctionCounter.builder(name, a, LongAdder::sum).description(help).register(registry);
  }

  HttpRoute route() {
    return req -> {
      if (!req.path().equals("/metrics")) {
        return null;
      }
      return new HttpRoute.Reply(
          200,
          "text/plain; version=0.0.4; charset=utf-8",
          registry.scrape().getBytes(StandardCharsets.UTF_8),
          Map.of());
    };
  }
}
