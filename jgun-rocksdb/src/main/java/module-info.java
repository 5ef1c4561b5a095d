/** The durable store on RocksDB. */
// a library that names no module is required as an automatic module
@SuppressWarnings("requires-automatic")
module io.jgun.rocksdb {
  requires transitive io.jgun.core;
  // rocksdbjni names no module: this is its file name, as an automatic module
  requires rocksdbjni;
  requires org.slf4j;

  exports io.jgun.rocksdb;
}
