package io.lanthorn.web.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollup rows (sink-sqlite's rollup tables, schemas 11 and 13) that make up a period, so a page
 * reads thousands of rows instead of the period's millions of events. A period of up to six hours
 * counts every minute it touches, a longer one every hour it touches; the period so rounded is read
 * from the coarsest buckets that fit inside it: whole days in the middle, hours at their edges,
 * 5-minute buckets (destinations only) at the hours' edges, minutes at theirs. Where a tier's rows
 * are already gone (the finer ones are kept for less time), the start counts from the next coarser
 * one. The same plan as {@code lanthorn query top} ({@code QueryRollups} in sink-sqlite, which this
 * plugin does not load; {@code RollupPeriodTest} checks the same cases).
 *
 * @param tiers the family's tables, finest first
 * @param ranges the buckets to read, in time order
 */
record RollupPeriod(Family tiers, List<Range> ranges) {
  static final long MINUTE_NS = 60_000_000_000L;
  static final long FIVE_MINUTES_NS = 5 * MINUTE_NS;
  static final long HOUR_NS = 60 * MINUTE_NS;
  static final long DAY_NS = 24 * HOUR_NS;
  static final long MINUTE_PRECISION = 6 * HOUR_NS;

  /**
   * A family of rollup tables with the same columns, finest first, and their bucket lengths.
   *
   * @param tables the tables, finest first
   * @param bucketNs each one's bucket length
   */
  record Family(List<String> tables, List<Long> bucketNs) {
    /** Every key column, with the outcome. */
    static final Family FULL =
        new Family(
            List.of("rollup_minute", "rollup_hour", "rollup_day"),
            List.of(MINUTE_NS, HOUR_NS, DAY_NS));

    /**
     * No protocol, direction, kind or outcome, for ranking destinations; the few minutes at a
     * period's edges from the full per-minute rows.
     */
    static final Family DESTINATIONS =
        new Family(
            List.of(
                "rollup_minute",
                "rollup_five_minute_destinations",
                "rollup_hour_destinations",
                "rollup_day_destinations"),
            List.of(MINUTE_NS, FIVE_MINUTES_NS, HOUR_NS, DAY_NS));
  }

  /** Buckets [{@code fromNs}, {@code toNs}) of the family's table at {@code tier}. */
  record Range(int tier, long fromNs, long toNs) {}

  /**
   * The ranges for [from, to), given each tier's bucket length and oldest bucket kept ({@code
   * null}: none).
   */
  static List<Range> plan(long fromNs, long toNs, long[] bucketNs, Long[] oldestNs) {
    long unit = toNs - fromNs > MINUTE_PRECISION ? HOUR_NS : MINUTE_NS;
    long from = floor(fromNs, unit);
    long to = ceil(toNs, unit);
    // Start where the rows are still kept: minutes, else hours, else days.
    for (long precision = unit; precision != DAY_NS; ) {
      Long oldest = oldestNs[tierOf(bucketNs, precision)];
      if (oldest != null && from >= oldest) {
        break;
      }
      precision = coarser(precision);
      from = floor(from, precision);
    }
    // A tier with no rows at all cannot end the period either.
    for (long precision = unit;
        precision != DAY_NS && oldestNs[tierOf(bucketNs, precision)] == null; ) {
      precision = coarser(precision);
      to = ceil(to, precision);
    }
    List<Range> ranges = new ArrayList<>();
    split(from, to, bucketNs.length - 1, bucketNs, oldestNs, ranges);
    return List.copyOf(ranges);
  }

  /**
   * Adds [from, to) as the whole buckets of this tier that fit inside it and are still kept, and
   * what is left at either end from the finer tiers.
   */
  private static void split(
      long from, long to, int tier, long[] bucketNs, Long[] oldestNs, List<Range> ranges) {
    if (from >= to) {
      return;
    }
    if (tier == 0) {
      ranges.add(new Range(0, from, to));
      return;
    }
    long first =
        oldestNs[tier] == null
            ? Long.MAX_VALUE
            : Math.max(ceil(from, bucketNs[tier]), ceil(oldestNs[tier], bucketNs[tier]));
    long last = floor(to, bucketNs[tier]);
    if (first >= last) {
      split(from, to, tier - 1, bucketNs, oldestNs, ranges);
      return;
    }
    split(from, first, tier - 1, bucketNs, oldestNs, ranges);
    ranges.add(new Range(tier, first, last));
    split(last, to, tier - 1, bucketNs, oldestNs, ranges);
  }

  /** Minutes, hours and days decide how a period is counted; 5-minute buckets only speed it. */
  private static long coarser(long precision) {
    return precision == MINUTE_NS ? HOUR_NS : DAY_NS;
  }

  private static int tierOf(long[] bucketNs, long unit) {
    for (int tier = 0; tier < bucketNs.length; tier++) {
      if (bucketNs[tier] == unit) {
        return tier;
      }
    }
    throw new IllegalArgumentException("no tier of " + unit + " ns");
  }

  /** The plan for the period in a family, after asking each of its tables for its oldest bucket. */
  static RollupPeriod of(Connection connection, Period period, Family family) throws SQLException {
    Long[] oldest = new Long[family.tables().size()];
    for (int i = 0; i < oldest.length; i++) {
      try (PreparedStatement statement =
              connection.prepareStatement("SELECT min(bucket_ns) FROM " + family.tables().get(i));
          ResultSet result = statement.executeQuery()) {
        result.next();
        long value = result.getLong(1);
        oldest[i] = result.wasNull() ? null : value;
      }
    }
    long[] bucketNs = family.bucketNs().stream().mapToLong(Long::longValue).toArray();
    List<Range> ranges = plan(period.fromNanos(), period.toNanos(), bucketNs, oldest);
    if (ranges.isEmpty()) {
      // An empty period still needs a derived table of the right columns.
      ranges = List.of(new Range(0, period.fromNanos(), period.fromNanos()));
    }
    return new RollupPeriod(family, ranges);
  }

  /**
   * A derived table of the period's rollup rows with the given columns, filtered by a fixed
   * condition: a range scan of a table's primary key per range. Bind {@link #parameters()} in its
   * place.
   */
  String rows(String columns, String condition) {
    String where = condition.isEmpty() ? "" : " AND (" + condition + ")";
    List<String> parts = new ArrayList<>();
    for (Range range : ranges) {
      parts.add(
          "SELECT "
              + columns
              + " FROM "
              + tiers.tables().get(range.tier())
              + " WHERE bucket_ns >= ? AND bucket_ns < ?"
              + where);
    }
    return "(" + String.join(" UNION ALL ", parts) + ")";
  }

  /** The values {@link #rows} binds, in order. */
  List<Object> parameters() {
    return parameters(List.of());
  }

  /** The same when the condition binds {@code values}: they follow each part's bucket range. */
  List<Object> parameters(List<Object> values) {
    List<Object> all = new ArrayList<>();
    for (Range range : ranges) {
      all.add(range.fromNs());
      all.add(range.toNs());
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
