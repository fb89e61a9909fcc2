package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.DNS_EVENTS;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Adds {@code dns_events} rows: bound to one prepared statement, executed as one JDBC batch inside
 * the caller's transaction (the sink's batch), like the connection rows. Not thread-safe.
 */
final class DnsEventWriter implements AutoCloseable {
  private final PreparedStatement insert;

  DnsEventWriter(Connection connection, DSLContext dsl) throws SQLException {
    this.insert =
        connection.prepareStatement(
            dsl.render(Column.insert(dsl, DNS_EVENTS, DnsEventColumns.ALL)));
  }

  /** Binds and executes the rows; on failure binds nothing into the next call. */
  void write(List<DnsRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try {
      for (DnsRow row : rows) {
        Column.bind(insert, DnsEventColumns.ALL, row);
        insert.addBatch();
      }
      insert.executeBatch();
    } finally {
      insert.clearBatch();
    }
  }

  @Override
  public void close() throws SQLException {
    insert.close();
  }
}
