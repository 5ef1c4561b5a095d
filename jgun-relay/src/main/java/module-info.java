/** The relay: its wiring, options, HTTP routes and metrics, and the {@code relay} command. */
// the modules named in qualified exports are built after this one, so javac cannot see them yet;
// micrometer names its modules only in its manifests (automatic modules)
@SuppressWarnings({"module", "requires-automatic"})
module io.jgun.relay {
  requires io.jgun.core;
  requires io.jgun.netty;
  requires io.jgun.rocksdb;
  requires io.jgun.postgres;
  requires io.jgun.sea;
  requires info.picocli;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires org.slf4j;

  exports io.jgun.relay to io.jgun.cli;
  // picocli sets the command's option fields by reflection
  opens io.jgun.relay to info.picocli;
}
