package io.jgun.postgres;

import io.jgun.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL answers, as the store's reads and writes last found it: once one fails for
 * want of a connection, every read fails at once, naming the cause, until a probe gets a
 * connection again. (The writer goes on trying each batch: a batch holds every put queued
 * meanwhile, so it waits once for all of them.)
 *
 * <p>Why: a relay reads the stored fields on its mesh loop (HAM's decision, SEA certificates,
 * rules); each such read waits for a connection up to the connection timeout, or for an answer up to
 * the socket timeout. With PostgreSQL down, every put would hold the loop, and so every other
 * peer, for that long. With this, only the read that finds it down waits; the rest get their
 * {@code err} at once, and a probe thread, not the loop, waits for PostgreSQL to come back.
 */
final class Reachability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reachability.class);

  private final String name;
  private final DataSource pool;
  private final long probeMillis;
  private final ScheduledExecutorService prober;
  private final LongSupplier nanoTime;
  private volatile @Nullable String down; // why, while unreachable
  private volatile long downSince;

  Reachability(String name, DataSource pool, Duration probeEvery, String threadName, LongSupplier nanoTime) {
    this.name = name;
    this.nanoTime = nanoTime;
    this.pool = pool;
    this.probeMillis = Math.max(1, probeEvery.toMillis());
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Throws at once while PostgreSQL is known to be unreachable. */
  void check(String what) {
    String why = down;
    if (why != null) {
      long seconds = TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - downSince);
      throw new StoreException(name + ": " + what + " failed: PostgreSQL unreachable for " + seconds + " s ("
          + why + "); failing at once until it answers again");
    }
  }

  /** Whether PostgreSQL is known to be unreachable now. */
  boolean isDown() {
    return down != null;
  }

  /** Notes a failed read: a lost or refused connection marks PostgreSQL unreachable. */
  void failed(SQLException e) {
    if (!isConnectivity(e)) {
      return;
    }
    synchronized (this) {
      if (down != null || prober.isShutdown()) {
        return;
      }
      downSince = nanoTime.getAsLong();
      down = PostgresStore.describe(e);
      log.warn("{}: PostgreSQL unreachable ({}); reads fail at once until a probe connects again", name, down);
      prober.schedule(this::probe, probeMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void probe() {
    try (Connection c = pool.getConnection()) {
      if (c.isValid(5)) {
        synchronized (this) {
          down = null;
        }
        log.info("{}: PostgreSQL reachable again", name);
        return;
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("{}: probe: {}", name, e.toString());
    }
    if (!prober.isShutdown()) {
      prober.schedule(this::probe, probeMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A connection that could not be made, was lost or timed out (SQLSTATE class 08), the server
   * shutting down or starting (57P01–57P03), or the pool's wait for a connection running out.
   */
  static boolean isConnectivity(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
