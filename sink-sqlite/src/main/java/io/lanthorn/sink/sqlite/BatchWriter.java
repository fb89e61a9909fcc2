package io.lanthorn.sink.sqlite;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS;

import io.lanthorn.api.ConnectionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Writes a batch of events, and the summary rows it changes, in one transaction.
 *
 * <p>jOOQ renders both statements once from the generated table references and manages the
 * transaction; the rows are bound to plain JDBC batches, which is several times faster than
 * building jOOQ records or queries per row (see README, "Benchmark").
 */
final class BatchWriter implements AutoCloseable {
  private final Connection connection;
  private final DSLContext dsl;
  private final PreparedStatement insertEvent;
  private final PreparedStatement upsertSummary;

  BatchWriter(Connection connection) throws SQLException {
    this.connection = connection;
    this.dsl = Jooq.using(connection);
    this.insertEvent =
        connection.prepareStatement(dsl.render(Column.insert(dsl, EVENTS, EventColumns.ALL)));
    this.upsertSummary = connection.prepareStatement(dsl.render(Summaries.upsert(dsl)));
  }

  /**
   * Commits the batch, or throws having written none of it.
   *
   * @throws org.jooq.exception.DataAccessException wrapping SQLite's failure
   */
  void write(List<ConnectionEvent> batch) throws SQLException {
    try {
      dsl.transaction(
          transaction -> {
            // Statements prepared on the same connection join the transaction jOOQ began.
            for (ConnectionEvent event : batch) {
              Column.bind(insertEvent, EventColumns.ALL, event);
              insertEvent.addBatch();
            }
            insertEvent.executeBatch();
            for (Summaries.Tally tally : Summaries.tally(batch)) {
              Summaries.bind(upsertSummary, tally);
              upsertSummary.addBatch();
            }
            upsertSummary.executeBatch();
          });
    } finally {
      // After a failure, rows bound but not executed must not leak into the next batch.
      insertEvent.clearBatch();
      upsertSummary.clearBatch();
    }
  }

  @Override
  public void close() throws SQLException {
    try (connection;
        insertEvent;
        upsertSummary) {
      // Closing the last connection checkpoints the WAL into the database file.
    }
  }
}
