/**
 * The relay application: {@link io.jgun.relay.Relay} wires a WebSocket server, the mesh, the
 * RocksDB store and Prometheus metrics together, and {@link io.jgun.relay.RelayCommand} is its
 * {@code jgun relay} command (picocli). The {@code jgun} command line that runs it, with the client
 * and import commands, is the jgun-cli module.
 */
@NullMarked
package io.jgun.relay;

import org.jspecify.annotations.NullMarked;
