-- One row per field. Strings are UTF-16BE bytea (see Utf16.java): byte order = JavaScript string order.
-- val is the JSON.stringify text of the value (HAM's equal-state tie-break compares it), num the
-- number itself for a number (NULL otherwise: the text of -0 is 0). seq is the change sequence the
-- change feed reads (a relay that missed notifications catches up with seq > last seen); origin is
-- the store instance that wrote the row, so a feed can skip its own writes.
CREATE TABLE jgun_field (
  soul   bytea            NOT NULL,
  key    bytea            NOT NULL,
  state  double precision NOT NULL,
  val    bytea            NOT NULL,
  num    double precision,
  seq    bigint           NOT NULL,
  origin bigint           NOT NULL,
  PRIMARY KEY (soul, key)
);
-- CACHE 1 (the default, spelled out): sessions that cached blocks of numbers would hand them out
-- out of commit order, and the change feed relies on seq order being commit order.
CREATE SEQUENCE jgun_change_seq CACHE 1;
CREATE INDEX jgun_field_seq ON jgun_field (seq);
