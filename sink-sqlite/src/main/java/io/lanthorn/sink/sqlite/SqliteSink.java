package io.lanthorn.sink.sqlite;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Sink;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import io.lanthorn.sink.sqlite.store.DatabaseLock;
import io.lanthorn.sink.sqlite.store.SchemaMigrator;
import io.lanthorn.sink.sqlite.store.SqliteErrors;
import io.lanthorn.sink.sqlite.write.BatchWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;

/**
 * Keeps every connection event in a SQLite file that users query with {@code sqlite3} or {@code
 * lanthorn query}: the {@code events} table, the {@code connection_aggregations} summary updated in
 * the same transaction, periodic {@code collection_health} rows, and retention.
 *
 * <p>Configured by the {@code sink-sqlite} section (see {@code reference.conf}). Each {@link
 * #write} is one transaction; it returns once committed (WAL, {@code synchronous=NORMAL}) or throws
 * having written nothing, counting the events in {@code sink-sqlite.events.failed}.
 */
public final class SqliteSink implements Sink {
  /** The plugin's name and configuration section. */
  public static final String NAME = "sink-sqlite";

  private final SinkSettings settings;
  private final BatchWriter writer;
  private final Maintenance maintenance;
  private final Counter written;
  private final Counter failed;
  private final Counter duplicates;
  private final DatabaseLock lock;
  private final Logger logger;

  private SqliteSink(
      SinkSettings settings,
      BatchWriter writer,
      Maintenance maintenance,
      Counter written,
      Counter failed,
      Counter duplicates,
      DatabaseLock lock,
      Logger logger) {
    this.settings = settings;
    this.writer = writer;
    this.maintenance = maintenance;
    this.written = written;
    this.failed = failed;
    this.duplicates = duplicates;
    this.lock = lock;
    this.logger = logger;
  }

  /** Opens (creating and migrating) the file and starts maintenance. */
  static SqliteSink open(SinkSettings settings, PluginContext context) throws Exception {
    Counter written =
        context.metrics().counter("events.written", "events committed to the SQLite file");
    Counter failed =
        context
            .metrics()
            .counter("events.failed", "events in batches that failed to commit (not written)");
    Counter duplicates =
        context
            .metrics()
            .counter(
                "events.duplicates",
                "copies of events already stored (same lanthorn.event.id), not stored again");
    DatabaseFile file = DatabaseFile.forWriting(settings.path(), settings.busyTimeout());
    // Before anything is written, migrations included: a second agent changes nothing.
    DatabaseLock lock = DatabaseLock.acquire(file.path());
    BatchWriter writer;
    Maintenance maintenance;
    SchemaMigrator.Outcome schema;
    try {
      schema = new SchemaMigrator(file).migrate();
      file.useWal();
      writer = open(file, settings);
      try {
        BatchWriter flushing = writer;
        maintenance =
            new Maintenance(file.connect(), settings, context, written, () -> flushIfDue(flushing));
        maintenance.start();
      } catch (Exception | Error e) {
        writer.close();
        throw e;
      }
    } catch (Exception | Error e) {
      // Refused or failed: the file is free again for whoever fixes the cause.
      lock.close();
      throw e;
    }
    context
        .logger()
        .info(
            "sink-sqlite writing to {} (schema {}, retention {})",
            file.path(),
            schema.version(),
            settings.retentionEnabled() ? context.config().getString("retention") : "off");
    return new SqliteSink(
        settings, writer, maintenance, written, failed, duplicates, lock, context.logger());
  }

  /**
   * Connection attempts ({@code events}), DNS answers ({@code dns_events}) and the threat feeds
   * they were matched with ({@code threat_ip_feed}, {@code threat_domain_feed}, {@code
   * threat_feeds}).
   */
  @Override
  public Set<EventKind> kinds() {
    return Set.of(
        EventKind.TCP_CONNECT,
        EventKind.DNS_ANSWER,
        EventKind.TCP_ACCEPT,
        EventKind.TCP_CLOSE,
        EventKind.UDP_SEND,
        EventKind.THREAT_FEED);
  }

  @Override
  public void write(List<? extends Event> batch) throws PluginException {
    if (batch.isEmpty()) {
      return;
    }
    int repeated;
    try {
      // The maintenance thread may be adding waiting rollup tallies (flushIfDue).
      synchronized (writer) {
        repeated = writer.write(batch);
      }
    } catch (SQLException | RuntimeException e) {
      failed.add(batch.size());
      throw new PluginException(SqliteErrors.explain(settings.path(), e, "write to"), e);
    }
    written.add(batch.size() - repeated);
    duplicates.add(repeated);
  }

  @Override
  public void close() throws Exception {
    // The lock goes last: until everything is written and closed, the file is still this agent's.
    try (DatabaseLock closingLock = lock;
        BatchWriter closingWriter = writer) {
      maintenance.close();
      try {
        writer.flushWaitingRollups();
      } catch (SQLException | RuntimeException e) {
        // The events are committed; only their rollup tallies could not be added (a full disk).
        logger.warn(
            "sink-sqlite could not add the last rollup tallies to {} ({}): they are counted from"
                + " the stored events at the next start",
            settings.path(),
            SqliteErrors.explain(settings.path(), e, "write to"));
      }
    }
  }

  /** For the maintenance thread: waiting rollup tallies that no batch came to add. */
  private static void flushIfDue(BatchWriter writer) {
    synchronized (writer) {
      try {
        writer.flushRollupsIfDue();
      } catch (SQLException e) {
        throw new DataAccessException("adding the waiting rollup tallies failed", e);
      }
    }
  }

  private static BatchWriter open(DatabaseFile file, SinkSettings settings)
      throws PluginException, SQLException {
    Connection connection = file.connect();
    try {
      return new BatchWriter(connection, settings.rollupFlushInterval());
    } catch (SQLException e) {
      connection.close();
      throw new PluginException(SqliteErrors.explain(file.path(), e, "prepare statements on"), e);
    }
  }
}
