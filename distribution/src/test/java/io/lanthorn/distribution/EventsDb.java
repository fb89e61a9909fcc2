package io.lanthorn.distribution;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The agent's SQLite file read the way a user's tool reads it: read-only, plain SQL against the
 * documented {@code events} columns. Safe while the agent writes (WAL).
 */
final class EventsDb {
  private EventsDb() {}

  /** One row of {@code events}, the columns the tests check. */
  record Row(
      long timestampNs,
      long kernelTimeNs,
      String family,
      String srcAddr,
      int srcPort,
      String dstAddr,
      int dstPort,
      String outcome,
      int errno,
      Long handshakeNs,
      long pid,
      long tid,
      long uid,
      String processName,
      String processCmdline,
      long cgroupId,
      String cgroupName,
      String containerId,
      String containerName,
      String imageName,
      String imageId,
      String attributionStatus) {

    /** The columns every sink sees the same way: what identifies the attempt. */
    String identity() {
      return String.join(
          " ",
          Long.toString(timestampNs),
          Long.toString(kernelTimeNs),
          family,
          srcAddr + ":" + srcPort,
          dstAddr + ":" + dstPort,
          outcome,
          Long.toString(pid),
          Long.toString(tid),
          processName);
    }
  }

  private static final String COLUMNS =
      "timestamp_ns, kernel_time_ns, address_family, src_addr, src_port, dst_addr, dst_port,"
          + " outcome, errno, handshake_ns, pid, tid, uid, process_name, process_cmdline,"
          + " cgroup_id, cgroup_name, container_id, container_name, image_name, image_id,"
          + " attribution_status";

  /**
   * Outbound connection attempts ({@code tcp_connect} rows of {@code events}) matching {@code
   * where} (SQL with {@code ?} for the arguments). A connection between two processes of this host
   * also has a {@code tcp_accept} row with the same addresses: not one of these.
   */
  static List<Row> rows(Path db, String where, Object... args) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM events WHERE event_type = 'tcp_connect' AND ("
            + where
            + ") ORDER BY id";
    try (Connection connection = open(db);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      List<Row> rows = new ArrayList<>();
      try (ResultSet r = statement.executeQuery()) {
        while (r.next()) {
          rows.add(
              new Row(
                  r.getLong(1),
                  r.getLong(2),
                  r.getString(3),
                  r.getString(4),
                  r.getInt(5),
                  r.getString(6),
                  r.getInt(7),
                  r.getString(8),
                  r.getInt(9),
                  r.getObject(10, Long.class),
                  r.getLong(11),
                  r.getLong(12),
                  r.getLong(13),
                  r.getString(14),
                  r.getString(15),
                  r.getLong(16),
                  r.getString(17),
                  r.getString(18),
                  r.getString(19),
                  r.getString(20),
                  r.getString(21),
                  r.getString(22)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + db + ": " + e.getMessage(), e);
    }
  }

  /** Every row. */
  static List<Row> all(Path db) {
    return rows(db, "1 = 1");
  }

  /** The first column of every row, as text, e.g. {@code SELECT container_name FROM events}. */
  static List<String> texts(Path db, String sql, Object... args) {
    try (Connection connection = open(db);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet r = statement.executeQuery()) {
        while (r.next()) {
          values.add(r.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + db + ": " + e.getMessage(), e);
    }
  }

  /** A single number from SQL, e.g. {@code SELECT count(*) FROM events WHERE pid = ?}. */
  static long number(Path db, String sql, Object... args) {
    try (Connection connection = open(db);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet r = statement.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + db + ": " + e.getMessage(), e);
    }
  }

  /** {@code PRAGMA integrity_check}: {@code ok}, or SQLite's list of problems. */
  static String integrityCheck(Path db) {
    try (Connection connection = open(db);
        PreparedStatement statement = connection.prepareStatement("PRAGMA integrity_check");
        ResultSet r = statement.executeQuery()) {
      StringBuilder result = new StringBuilder();
      while (r.next()) {
        result.append(result.isEmpty() ? "" : "\n").append(r.getString(1));
      }
      return result.toString();
    } catch (SQLException e) {
      throw new IllegalStateException("checking " + db + ": " + e.getMessage(), e);
    }
  }

  private static Connection open(Path db) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
  }
}
