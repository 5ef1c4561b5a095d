/**
 * The protocol without network, native code or databind: the graph and HAM, JSON, the wire codec,
 * the store contract, and the DAM engine the relay and the client share. The graph, JSON and store
 * packages are the API; the protocol engine is exported only to the modules built on it.
 */
// the modules named in qualified exports are built after this one, so javac cannot see them yet
@SuppressWarnings("module")
module io.jgun.core {
  requires transitive org.jspecify;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports io.jgun.graph;
  exports io.jgun.json;
  exports io.jgun.store;

  exports io.jgun.dam to io.jgun.netty, io.jgun.client;
  exports io.jgun.engine to io.jgun.client, io.jgun.relay;
  exports io.jgun.mesh to io.jgun.netty, io.jgun.sea, io.jgun.client, io.jgun.relay;
  exports io.jgun.wire to io.jgun.sea, io.jgun.client, io.jgun.relay;
  exports io.jgun.rules to io.jgun.sea, io.jgun.relay;
}
