package io.lanthorn.web.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollup rows (sink-sqlite's {@code rollup_minute} and {@code rollup_hour}, schema 11) that
 * make up a period: its whole hours from the hourly table, the minutes before and after them from
 * the per-minute one, so a page reads thousands of rows instead of the period's millions of events.
 * A period of up to six hours counts every minute it touches, a longer one every hour it touches
 * (its cost is then bounded by its hours whatever the time of day); where the per-minute rows are
 * already gone (they are kept for less time), the first partial hour counts whole. The same plan as
 * {@code lanthorn query top} ({@code QueryRollups} in sink-sqlite, which this plugin does not
 * load).
 *
 * @param minutesFrom first per-minute bucket before the whole hours
 * @param hoursFrom first whole hour (and end of the leading minutes)
 * @param hoursTo end of the whole hours (and start of the trailing minutes)
 * @param minutesTo end of the trailing minutes
 */
record RollupPeriod(long minutesFrom, long hoursFrom, long hoursTo, long minutesTo) {
  static final long MINUTE_NS = 60_000_000_000L;
  static final long HOUR_NS = 60 * MINUTE_NS;
  static final long MINUTE_PRECISION = 6 * HOUR_NS;

  /** The plan for [from, to), given the oldest per-minute bucket kept ({@code null}: none). */
  static RollupPeriod of(long fromNs, long toNs, Long oldestMinuteNs) {
    if (toNs - fromNs > MINUTE_PRECISION) {
      long from = floor(fromNs, HOUR_NS);
      long to = ceil(toNs, HOUR_NS);
      return new RollupPeriod(from, from, to, to);
    }
    long from = floor(fromNs, MINUTE_NS);
    long to = ceil(toNs, MINUTE_NS);
    long hourFrom = ceil(from, HOUR_NS);
    if (oldestMinuteNs == null || from < oldestMinuteNs) {
      hourFrom = floor(from, HOUR_NS);
      from = hourFrom;
    }
    long hourTo = floor(to, HOUR_NS);
    if (oldestMinuteNs == null) {
      hourTo = ceil(to, HOUR_NS);
      to = hourTo;
    }
    return hourFrom >= hourTo
        ? new RollupPeriod(from, to, to, to)
        : new RollupPeriod(from, hourFrom, hourTo, to);
  }

  /** The plan for the period, after asking the file for its oldest per-minute bucket. */
  static RollupPeriod of(Connection connection, Period period) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT min(bucket_ns) FROM rollup_minute");
        ResultSet result = statement.executeQuery()) {
      result.next();
      long oldest = result.getLong(1);
      return of(period.fromNanos(), period.toNanos(), result.wasNull() ? null : oldest);
    }
  }

  /**
   * A derived table of the period's rollup rows with the given columns, filtered by a fixed
   * condition: three range scans of the tables' primary keys. Bind {@link #parameters()} in its
   * place.
   */
  String rows(String columns, String condition) {
    return rows("rollup_hour", columns, condition);
  }

  /**
   * The same with the whole hours from another table with the same bucket: {@code
   * rollup_hour_destinations} for questions that need neither the outcome nor the protocol.
   */
  String rows(String hourTable, String columns, String condition) {
    String where = condition.isEmpty() ? "" : " AND (" + condition + ")";
    return "(SELECT "
        + columns
        + " FROM rollup_minute WHERE bucket_ns >= ? AND bucket_ns < ?"
        + where
        + " UNION ALL SELECT "
        + columns
        + " FROM "
        + hourTable
        + " WHERE bucket_ns >= ? AND bucket_ns < ?"
        + where
        + " UNION ALL SELECT "
        + columns
        + " FROM rollup_minute WHERE bucket_ns >= ? AND bucket_ns < ?"
        + where
        + ")";
  }

  /** The values {@link #rows} binds, in order. */
  List<Object> parameters() {
    return parameters(List.of());
  }

  /** The same when the condition binds {@code values}: they follow each part's bucket range. */
  List<Object> parameters(List<Object> values) {
    List<Object> all = new ArrayList<>();
    for (long[] range :
        new long[][] {{minutesFrom, hoursFrom}, {hoursFrom, hoursTo}, {hoursTo, minutesTo}}) {
      all.add(range[0]);
      all.add(range[1]);
      all.addAll(values);
    }
    return all;
  }

  private static long floor(long nanos, long unit) {
    return Math.floorDiv(nanos, unit) * unit;
  }

  private static long ceil(long nanos, long unit) {
    return -Math.floorDiv(-nanos, unit) * unit;
  }
}
