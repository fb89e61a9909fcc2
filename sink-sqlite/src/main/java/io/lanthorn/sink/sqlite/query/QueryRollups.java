package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_DAY;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_DAY_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_FIVE_MINUTE_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE;
import static org.jooq.impl.DSL.min;

import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The rollup rows that make up a period, so questions about a period read thousands of rows, not
 * the period's millions of events. A period of up to {@link #MINUTE_PRECISION} counts every minute
 * it touches (from 08:17:30 counts from 08:17:00), a longer one every hour it touches. The period
 * so rounded is read from the coarsest buckets that fit inside it: whole days in the middle, hours
 * at their edges, 5-minute buckets at the hours' edges, minutes at theirs ({@link Plan}); so a week
 * reads some 6 days and 30 hours instead of 168 hours, an hour some 12 five-minute buckets and 8
 * minutes instead of 60 minutes, and the answer is the same. Where a tier's rows are already gone
 * (the finer ones are kept for less time), the period's start counts from the next coarser one: the
 * first partial hour whole, or the first partial day.
 */
final class QueryRollups {
  static final long MINUTE_NS = 60_000_000_000L;
  static final long FIVE_MINUTES_NS = 5 * MINUTE_NS;
  static final long HOUR_NS = 60 * MINUTE_NS;
  static final long DAY_NS = 24 * HOUR_NS;

  /** Periods up to this long are counted to the minute, longer ones to the hour. */
  static final long MINUTE_PRECISION = 6 * HOUR_NS;

  /** The columns the questions read; every rollup table has them. */
  static final Field<String> CONTAINER_NAME = DSL.field(DSL.name("container_name"), String.class);

  static final Field<String> HOST_NAME = DSL.field(DSL.name("host_name"), String.class);
  static final Field<String> PROCESS_NAME = DSL.field(DSL.name("process_name"), String.class);
  static final Field<String> DST_ADDR = DSL.field(DSL.name("dst_addr"), String.class);
  static final Field<String> DOMAIN_NAME = DSL.field(DSL.name("domain_name"), String.class);
  static final Field<Integer> DST_PORT = DSL.field(DSL.name("dst_port"), Integer.class);
  static final Field<String> PROTOCOL = DSL.field(DSL.name("protocol"), String.class);
  static final Field<String> DIRECTION = DSL.field(DSL.name("direction"), String.class);
  static final Field<Long> CONNECTION_COUNT = DSL.field(DSL.name("connection_count"), Long.class);
  static final Field<Long> FAILED_COUNT = DSL.field(DSL.name("failed_count"), Long.class);
  static final Field<Long> FIRST_SEEN_NS = DSL.field(DSL.name("first_seen_ns"), Long.class);
  static final Field<Long> LAST_SEEN_NS = DSL.field(DSL.name("last_seen_ns"), Long.class);

  /** A rollup table: one tier of one family, finest first. */
  record Tier(Table<?> table, Field<Long> bucket, long bucketNs) {}

  /**
   * The full rows (every key column, with the outcome): per minute, hour and day. No 5-minute tier:
   * questions that need these columns are rarer and read minutes there.
   */
  static final List<Tier> FULL =
      List.of(
          new Tier(ROLLUP_MINUTE, ROLLUP_MINUTE.BUCKET_NS, MINUTE_NS),
          new Tier(ROLLUP_HOUR, ROLLUP_HOUR.BUCKET_NS, HOUR_NS),
          new Tier(ROLLUP_DAY, ROLLUP_DAY.BUCKET_NS, DAY_NS));

  /**
   * The destinations rows (no protocol, direction, kind or outcome) per 5 minutes, hour and day;
   * the few minutes at a period's edges from the full per-minute rows.
   */
  static final List<Tier> DESTINATIONS =
      List.of(
          new Tier(ROLLUP_MINUTE, ROLLUP_MINUTE.BUCKET_NS, MINUTE_NS),
          new Tier(
              ROLLUP_FIVE_MINUTE_DESTINATIONS,
              ROLLUP_FIVE_MINUTE_DESTINATIONS.BUCKET_NS,
              FIVE_MINUTES_NS),
          new Tier(ROLLUP_HOUR_DESTINATIONS, ROLLUP_HOUR_DESTINATIONS.BUCKET_NS, HOUR_NS),
          new Tier(ROLLUP_DAY_DESTINATIONS, ROLLUP_DAY_DESTINATIONS.BUCKET_NS, DAY_NS));

  /** Buckets [{@code fromNs}, {@code toNs}) of the tier at {@code tier} in its family. */
  record Range(int tier, long fromNs, long toNs) {}

  /** The ranges of buckets that make up a period, in time order. */
  record Plan(List<Range> ranges) {
    /**
     * The plan for [since, until).
     *
     * @param bucketNs each tier's bucket length, finest first; the first is a minute, and the
     *     minute, hour and day are among them
     * @param oldestNs each tier's oldest bucket still kept; {@code null} where it has none
     */
    static Plan of(long sinceNs, long untilNs, long[] bucketNs, Long[] oldestNs) {
      long unit = untilNs - sinceNs > MINUTE_PRECISION ? HOUR_NS : MINUTE_NS;
      long from = floor(sinceNs, unit);
      long to = ceil(untilNs, unit);
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
      return new Plan(List.copyOf(ranges));
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
      long first = ceil(from, bucketNs[tier]);
      if (oldestNs[tier] == null) {
        first = Long.MAX_VALUE;
      } else {
        first = Math.max(first, ceil(oldestNs[tier], bucketNs[tier]));
      }
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
  }

  private QueryRollups() {}

  /** The plan for the period in a family of tables, after asking each for its oldest bucket. */
  static Plan plan(DSLContext dsl, List<Tier> tiers, Instant since, Instant until) {
    long[] bucketNs = new long[tiers.size()];
    Long[] oldestNs = new Long[tiers.size()];
    for (int i = 0; i < tiers.size(); i++) {
      Tier tier = tiers.get(i);
      bucketNs[i] = tier.bucketNs();
      oldestNs[i] = dsl.select(min(tier.bucket())).from(tier.table()).fetchOne(0, Long.class);
    }
    return Plan.of(EpochNanos.of(since), EpochNanos.of(until), bucketNs, oldestNs);
  }

  /**
   * The period's full rollup rows with the given columns (of those above) and condition, as a
   * derived table: a range scan of a table's primary key ({@code bucket_ns} first) per range of the
   * plan, concatenated.
   */
  static Table<Record> rows(
      DSLContext dsl,
      Instant since,
      Instant until,
      List<Field<?>> columns,
      Condition condition,
      String alias) {
    return rows(dsl, FULL, since, until, columns, condition, alias);
  }

  /**
   * The same from the destinations tables: for questions about destinations that need neither the
   * outcome nor the protocol (a fraction of the rows, and a 5-minute tier).
   */
  static Table<Record> destinationRows(
      DSLContext dsl,
      Instant since,
      Instant until,
      List<Field<?>> columns,
      Condition condition,
      String alias) {
    return rows(dsl, DESTINATIONS, since, until, columns, condition, alias);
  }

  private static Table<Record> rows(
      DSLContext dsl,
      List<Tier> tiers,
      Instant since,
      Instant until,
      List<Field<?>> columns,
      Condition condition,
      String alias) {
    List<Range> ranges = plan(dsl, tiers, since, until).ranges();
    if (ranges.isEmpty()) {
      // An empty period still needs a table of the right columns.
      long at = EpochNanos.of(since);
      ranges = List.of(new Range(0, at, at));
    }
    Select<Record> all = null;
    for (Range range : ranges) {
      Tier tier = tiers.get(range.tier());
      Select<Record> part =
          dsl.select(columns)
              .from(tier.table())
              .where(tier.bucket().ge(range.fromNs()))
              .and(tier.bucket().lt(range.toNs()))
              .and(condition);
      all = all == null ? part : all.unionAll(part);
    }
    return all.asTable(alias);
  }

  static long floor(long nanos, long unit) {
    return Math.floorDiv(nanos, unit) * unit;
  }

  static long ceil(long nanos, long unit) {
    return -Math.floorDiv(-nanos, unit) * unit;
  }

  /** Nanoseconds since the epoch as the views show times: {@code 2026-11-25T14:03:07.123Z}. */
  static Field<String> time(Field<Long> nanos) {
    return DSL.field(
        "strftime('%Y-%m-%dT%H:%M:%fZ', {0} / 1000000000.0, 'unixepoch')", String.class, nanos);
  }
}
