/** The Java client: {@code Gun}, its chains, users, and its durable outbox. */
module io.jgun.client {
  requires transitive io.jgun.core;
  requires io.jgun.netty;
  // the API takes SEA key pairs and gives its Jackson mapper
  requires transitive io.jgun.sea;
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.jgun.client;
}
