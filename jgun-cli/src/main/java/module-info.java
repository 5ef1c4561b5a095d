/** The {@code jgun} command line: the relay and the client commands. */
module io.jgun.cli {
  requires io.jgun.client;
  requires io.jgun.radata;
  requires io.jgun.relay;
  requires io.jgun.rocksdb;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;

  // picocli sets the commands' option fields by reflection
  opens io.jgun.cli to info.picocli;
}
