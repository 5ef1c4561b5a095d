/**
 * The {@code jgun} command line and the relay application: {@link io.jgun.relay.Main} (picocli),
 * {@code jgun relay} (a WebSocket server, the mesh, the RocksDB store and Prometheus metrics wired
 * together in {@link io.jgun.relay.Relay}) and {@code jgun import-radata}. The only place in jgun
 * that may call {@code System.exit}.
 */
@NullMarked
package io.jgun.relay;

import org.jspecify.annotations.NullMarked;
