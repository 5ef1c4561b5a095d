-- Every field write PostgreSQL accepted, in commit order (seq), for the change feed. jgun_field keeps
-- only a field's latest value, so a feed that read it would miss the values a fast-changing field
-- had between two of its reads; this log keeps each one. The writers trim it by age (ChangeLogTrim),
-- oldest first, and record in jgun_change_horizon the greatest seq trimmed: a feed whose last seen
-- seq is below the horizon may have missed rows, and catches up from jgun_field (latest values)
-- instead.
CREATE TABLE jgun_change (
  seq    bigint           PRIMARY KEY,
  origin bigint           NOT NULL,
  soul   bytea            NOT NULL,
  key    bytea            NOT NULL,
  state  double precision NOT NULL,
  val    bytea            NOT NULL,
  num    double precision
);
CREATE TABLE jgun_change_horizon (
  only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  trimmed_upto bigint  NOT NULL
);
-- A database written before this version has no log of those writes: they count as trimmed.
INSERT INTO jgun_change_horizon (trimmed_upto) SELECT coalesce(max(seq), 0) FROM jgun_field;
-- The log now answers "what changed after seq n" (its primary key); without this index an update
-- of a field changes no indexed column, so PostgreSQL can update it in place (a HOT update), and
-- a write costs one index insert less. The rare catch-up from jgun_field reads it in one pass.
DROP INDEX jgun_field_seq;
