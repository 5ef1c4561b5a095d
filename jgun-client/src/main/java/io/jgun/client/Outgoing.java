package io.jgun.client;

import io.jgun.graph.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A write in the {@link Outbox}: not yet acknowledged by any peer. Confined to the loop. */
final class Outgoing {
  final Graph graph;
  final String soul;
  final CompletableFuture<Ack> future;
  /** The ids of the puts that carried it, whose acks settle it. */
  final List<String> ids = new ArrayList<>();
  /** Its id in the journal; null without one. */
  final @Nullable String journalId;
  /** Completes once its journal record is forced (at once without a journal). */
  final CompletableFuture<Void> journaled = new CompletableFuture<>();
  /** Whether it may be sent: its journal record is on disk (or there is no journal). */
  boolean synced;
  /** Whether it was (or, replayed from the journal, may have been) sent to a peer before. */
  boolean sent;

  Outgoing(Graph graph, String soul, CompletableFuture<Ack> future, @Nullable String journalId) {
    this.graph = graph;
    this.soul = soul;
    this.future = future;
    this.journalId = journalId;
  }
}
