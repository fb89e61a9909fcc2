package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENT_ROWS;

import io.lanthorn.api.ConnectionCloseEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Stores a {@link ConnectionCloseEvent} as an update of the row that opened the connection (a
 * {@code tcp_connect} or {@code tcp_accept} row): its duration, bytes each way and {@code closed =
 * 1}. The row is found by the opening event's host, kernel time, kind and two ports, through the
 * partial index on open rows. The bytes are also added to the per-minute and per-hour rollups,
 * under the opening row's key and bucket (so a period's bytes are those of the connections it
 * counts): in the tables when the opening row is already counted there, else to its tally still
 * waiting in {@link Rollups}. Runs inside the caller's transaction, after the batch's inserts, so a
 * close in the same batch as its opening finds it. Not thread-safe.
 */
final class CloseWriter implements AutoCloseable {
  private final PreparedStatement update;
  private final PreparedStatement minuteBytes;
  private final PreparedStatement hourBytes;
  private final PreparedStatement findOpening;
  private final Rollups rollups;
  private long unmatched;

  CloseWriter(Connection connection, DSLContext dsl, Rollups rollups) throws SQLException {
    this.rollups = rollups;
    this.findOpening =
        connection.prepareStatement(
            "SELECT "
                + Rollups.STORED_COLUMNS
                + " FROM events WHERE closed = 0 AND kernel_time_ns = ? AND event_type_code = ?"
                + " AND src_port = ? AND dst_port = ? AND host_name IS ?");
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
                    .and(EVENT_ROWS.KIND.eq(DSL.param("kind", Integer.class)))
                    .and(EVENT_ROWS.SRC_PORT.eq(DSL.param("src", Integer.class)))
                    .and(EVENT_ROWS.DST_PORT.eq(DSL.param("dst", Integer.class)))
                    // A central agent's file holds several hosts' rows.
                    .and(EVENT_ROWS.HOST_NAME.isNotDistinctFrom(DSL.param("host", String.class)))));
    this.minuteBytes = connection.prepareStatement(addBytes("rollup_minute", Rollups.MINUTE_NS));
    this.hourBytes = connection.prepareStatement(addBytes("rollup_hour", Rollups.HOUR_NS));
  }

  /**
   * Adds a close's bytes (parameters 1, 2) to the rollup row of its opening row (found as by {@link
   * #update}, parameters 3 to 7; 8: only rows already in the rollup tables, see {@link
   * #addedToWaitingTally}), creating it with no connections if retention removed it. The key is
   * worked out as {@link Rollups} does for the opening event, from the {@code events} view, which
   * decodes the row's codes and facts into the same text; its conditions are on the stored columns,
   * so the open-rows index finds the row.
   */
  private static String addBytes(String table, long bucketNs) {
    return "INSERT INTO "
        + table
        + " (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,"
        + " protocol, direction, event_type, outcome, connection_count, failed_count,"
        + " first_seen_ns, last_seen_ns, handshake_count, handshake_sum_ns, handshake_max_ns,"
        + " bytes_sent, bytes_received)"
        + " SELECT timestamp_ns - timestamp_ns % "
        + bucketNs
        + ", coalesce(host_name, ''), coalesce(container_name, ''), process_name, dst_addr,"
        + " coalesce(domain_name, ''), dst_port, protocol, direction, event_type,"
        + " outcome, 0, 0, timestamp_ns, timestamp_ns, 0, 0, 0, ?, ?"
        + " FROM events WHERE closed = 0 AND kernel_time_ns = ? AND event_type_code = ?"
        + " AND src_port = ? AND dst_port = ? AND host_name IS ? AND id <= ?"
        + " ON CONFLICT (bucket_ns, host_name, container_name, process_name, dst_addr,"
        + " domain_name, dst_port, protocol, direction, event_type, outcome) DO UPDATE SET"
        + " bytes_sent = bytes_sent + excluded.bytes_sent,"
        + " bytes_received = bytes_received + excluded.bytes_received";
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
        update.setInt(5, kind(close));
        update.setInt(6, close.inbound() ? close.remotePort() : close.localPort());
        update.setInt(7, close.inbound() ? close.localPort() : close.remotePort());
        update.setString(8, close.hostName());
        update.addBatch();
        if (close.bytesSent() == 0 && close.bytesReceived() == 0) {
          continue; // nothing to add (most of a connect storm's closes): statements saved
        }
        if (addedToWaitingTally(close)) {
          continue;
        }
        for (PreparedStatement rollup : List.of(minuteBytes, hourBytes)) {
          rollup.setLong(1, close.bytesSent());
          rollup.setLong(2, close.bytesReceived());
          rollup.setLong(3, close.openedKernelTimeNanos());
          rollup.setInt(4, kind(close));
          rollup.setInt(5, close.inbound() ? close.remotePort() : close.localPort());
          rollup.setInt(6, close.inbound() ? close.localPort() : close.remotePort());
          rollup.setString(7, close.hostName());
          rollup.setLong(8, rollups.flushedThrough());
          rollup.addBatch();
        }
      }
      // Before the update: they find the opening row while it is still open.
      minuteBytes.executeBatch();
      hourBytes.executeBatch();
      for (int count : update.executeBatch()) {
        if (count == 0) {
          unmatched++;
        }
      }
    } finally {
      update.clearBatch();
      minuteBytes.clearBatch();
      hourBytes.clearBatch();
    }
  }

  /**
   * Adds the close's bytes to the waiting tally of each opening row newer than the rollup tables
   * ({@link Rollups#flushedThrough}), and says whether every opening row was such a row; older ones
   * get them through {@link #minuteBytes} and {@link #hourBytes} (which skip the newer).
   */
  private boolean addedToWaitingTally(ConnectionCloseEvent close) throws SQLException {
    findOpening.setLong(1, close.openedKernelTimeNanos());
    findOpening.setInt(2, kind(close));
    findOpening.setInt(3, close.inbound() ? close.remotePort() : close.localPort());
    findOpening.setInt(4, close.inbound() ? close.localPort() : close.remotePort());
    findOpening.setString(5, close.hostName());
    boolean allWaiting = true;
    try (ResultSet opening = findOpening.executeQuery()) {
      while (opening.next()) {
        if (opening.getLong("id") > rollups.flushedThrough()) {
          rollups.addBytes(opening, close.bytesSent(), close.bytesReceived());
        } else {
          allWaiting = false;
        }
      }
    }
    return allWaiting;
  }

  /** The kind of the row a close closes. */
  private static int kind(ConnectionCloseEvent close) {
    return close.inbound() ? EventCodes.ACCEPT : EventCodes.CONNECT;
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
    minuteBytes.close();
    hourBytes.close();
    findOpening.close();
    update.close();
  }
}
