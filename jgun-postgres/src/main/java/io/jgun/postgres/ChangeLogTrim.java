package io.jgun.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Keeps {@code jgun_change} to about {@link PostgresStore.Builder#changeRetention} of writes: the
 * change log a relay's feed reads so that every intermediate value reaches its subscribers.
 *
 * <p>After each batch it commits, the writer tells this how far the change sequence has got. Every
 * so often (a tenth of the retention) that is noted with the time; once a note is older than the
 * retention, rows up to its seq are deleted, oldest first, at most {@link #CHUNK} rows after each
 * batch, so a long backlog never stalls the writer for long. Each delete raises {@code
 * jgun_change_horizon.trimmed_upto} in the same transaction, so a feed that reads the horizon and
 * the log in one statement always knows whether rows it has not seen were trimmed. Every relay's
 * writer trims; deleting rows another already deleted is harmless.
 *
 * <p>Confined to the writer's thread.
 */
final class ChangeLogTrim {
  /** The most rows one trim deletes. */
  static final int CHUNK = 10_000;

  /** The seq that ends the oldest chunk of rows at or below a target, if there are more than a chunk. */
  static final String CHUNK_END_SQL =
      "SELECT seq FROM jgun_change WHERE seq <= ? ORDER BY seq OFFSET " + (CHUNK - 1) + " LIMIT 1";

  /**
   * Deletes the rows up to {@code upto} and raises the horizon to it. The bound is written into the
   * statement rather than bound as a parameter: a generic plan would guess that a third of the
   * table matches and scan all of it, where the actual bound makes an index range scan.
   */
  static String trimSql(long upto) {
    return "WITH d AS (DELETE FROM jgun_change WHERE seq <= " + upto + " RETURNING 1)"
        + " UPDATE jgun_change_horizon SET trimmed_upto = greatest(trimmed_upto, " + upto + ")"
        + " RETURNING (SELECT count(*) FROM d)";
  }

  private record Mark(long nanos, long seq) {}

  private final long retentionNanos;
  private final long noteEveryNanos;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  private long target; // trim up to here; rows up to it may remain after a chunk
  private long trimmed;

  ChangeLogTrim(Duration retention, LongSupplier nanoTime) {
    this.retentionNanos = retention.toNanos();
    this.noteEveryNanos = retentionNanos / 10;
    this.nanoTime = nanoTime;
  }

  /**
   * Called by the writer after a committed batch whose greatest seq is {@code seq} (outside any
   * transaction of its own): notes it, and deletes a chunk of rows past the retention if there are
   * any. Returns the rows deleted.
   */
  int afterCommit(Connection c, long seq) throws SQLException {
    long now = nanoTime.getAsLong();
    Mark last = marks.peekLast();
    if (last == null || now - last.nanos() >= noteEveryNanos) {
      marks.addLast(new Mark(now, seq));
    }
    for (Mark m = marks.peekFirst(); m != null && now - m.nanos() >= retentionNanos; m = marks.peekFirst()) {
      target = Math.max(target, m.seq());
      marks.removeFirst();
    }
    if (target <= trimmed) {
      return 0;
    }
    int deleted = 0;
    long upto = target;
    try {
      try (PreparedStatement end = c.prepareStatement(CHUNK_END_SQL)) {
        end.setLong(1, target);
        try (ResultSet rs = end.executeQuery()) {
          if (rs.next()) {
            upto = rs.getLong(1);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(trimSql(upto));
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          deleted = rs.getInt(1);
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
    trimmed = upto; // the rest up to the target, if any, after the next batch
    return deleted;
  }
}
