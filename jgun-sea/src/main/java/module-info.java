/**
 * SEA: key pairs, signatures and encryption, and the firewall that checks signed writes (a put
 * guard, usable by the modules that run a mesh).
 */
module io.jgun.sea {
  requires transitive io.jgun.core;

  exports io.jgun.sea;
}
