/** The durable store on PostgreSQL. */
// a library that names no module is required as an automatic module
@SuppressWarnings("requires-automatic")
module io.jgun.postgres {
  requires transitive io.jgun.core;
  requires transitive java.sql;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports io.jgun.postgres;
}
