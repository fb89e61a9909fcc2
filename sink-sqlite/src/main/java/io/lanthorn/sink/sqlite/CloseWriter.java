package io.lanthorn.sink.sqlite;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENT_ROWS;

import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.EventKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Stores a {@link ConnectionCloseEvent} as an update of the row that opened the connection (a
 * {@code tcp_connect} or {@code tcp_accept} row): its duration, bytes each way and {@code closed =
 * 1}. The row is found by the opening event's kernel time, its kind and its two ports, through the
 * partial index on open rows. Runs inside the caller's transaction, after the batch's inserts, so a
 * close in the same batch as its opening finds it. Not thread-safe.
 */
final class CloseWriter implements AutoCloseable {
  private static final String CONNECT = EventKind.TCP_CONNECT.label();
  private static final String ACCEPT = EventKind.TCP_ACCEPT.label();

  private final PreparedStatement update;
  private long unmatched;

  CloseWriter(Connection connection, DSLContext dsl) throws SQLException {
    this.update =
        connection.prepareStatement(
            dsl.render(
                dsl.update(EVENT_ROWS)
                    .set(EVENT_ROWS.DURATION_NS, DSL.param("duration", Long.class))
                    .set(EVENT_ROWS.BYTES_SENT, DSL.param("sent", Long.class))
                    .set(EVENT_ROWS.BYTES_RECEIVED, DSL.param("received", Long.class))
                    .set(EVENT_ROWS.CLOSED, DSL.inline(true))
                    .where(EVENT_ROWS.CLOSED.eq(DSL.inline(false)))
                    .and(EVENT_ROWS.KERNEL_TIME_NS.eq(DSL.param("opened", Long.class)))
                    .and(EVENT_ROWS.EVENT_TYPE.eq(DSL.param("type", String.class)))
                    .and(EVENT_ROWS.SRC_PORT.eq(DSL.param("src", Integer.class)))
                    .and(EVENT_ROWS.DST_PORT.eq(DSL.param("dst", Integer.class)))));
  }

  /** Updates the rows; closes whose row is not (or no longer) there are counted, not stored. */
  void write(List<ConnectionCloseEvent> closes) throws SQLException {
    if (closes.isEmpty()) {
      return;
    }
    try {
      for (ConnectionCloseEvent close : closes) {
        update.setLong(1, close.durationNanos());
        update.setLong(2, close.bytesSent());
        update.setLong(3, close.bytesReceived());
        update.setLong(4, close.openedKernelTimeNanos());
        // The row's source is the end that opened the connection.
        update.setString(5, close.inbound() ? ACCEPT : CONNECT);
        update.setInt(6, close.inbound() ? close.remotePort() : close.localPort());
        update.setInt(7, close.inbound() ? close.localPort() : close.remotePort());
        update.addBatch();
      }
      for (int count : update.executeBatch()) {
        if (count == 0) {
          unmatched++;
        }
      }
    } finally {
      update.clearBatch();
    }
  }

  /**
   * Closes that found no open row: its connection was established before the agent started, or
   * retention deleted it.
   */
  long unmatched() {
    return unmatched;
  }

  @Override
  public void close() throws SQLException {
    update.close();
  }
}
