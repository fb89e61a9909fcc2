package io.lanthorn.sink.sqlite;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Counter;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Sink;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;

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

  private SinkSettings settings;
  private BatchWriter writer;
  private Maintenance maintenance;
  private Counter written;
  private Counter failed;
  private Counter duplicates;

  /** Does nothing: work starts in {@link #start}. */
  public SqliteSink() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(PluginContext context) throws Exception {
    settings = SinkSettings.from(context.config());
    written = context.metrics().counter("events.written", "events committed to the SQLite file");
    failed =
        context
            .metrics()
            .counter("events.failed", "events in batches that failed to commit (not written)");
    duplicates =
        context
            .metrics()
            .counter(
                "events.duplicates",
                "copies of events already stored (same lanthorn.event.id), not stored again");
    DatabaseFile file = DatabaseFile.forWriting(settings.path(), settings.busyTimeout());
    MigrationVersion version = new SchemaMigrator(file).migrate();
    file.useWal();
    writer = open(file);
    maintenance = new Maintenance(file.connect(), settings, context, written);
    maintenance.start();
    context
        .logger()
        .info(
            "sink-sqlite writing to {} (schema {}, retention {})",
            file.path(),
            version,
            settings.retentionEnabled() ? context.config().getString("retention") : "off");
  }

  @Override
  public void write(List<ConnectionEvent> batch) throws PluginException {
    if (writer == null) {
      throw new IllegalStateException("sink-sqlite: write before start");
    }
    if (batch.isEmpty()) {
      return;
    }
    int repeated;
    try {
      repeated = writer.write(batch);
    } catch (SQLException | RuntimeException e) {
      failed.add(batch.size());
      throw new PluginException(SqliteErrors.explain(settings.path(), e, "write to"), e);
    }
    written.add(batch.size() - repeated);
    duplicates.add(repeated);
  }

  @Override
  public void close() throws Exception {
    try (BatchWriter closingWriter = writer) {
      if (maintenance != null) {
        maintenance.close();
      }
    }
  }

  private static BatchWriter open(DatabaseFile file) throws PluginException, SQLException {
    Connection connection = file.connect();
    try {
      return new BatchWriter(connection);
    } catch (SQLException e) {
      connection.close();
      throw new PluginException(SqliteErrors.explain(file.path(), e, "prepare statements on"), e);
    }
  }
}
