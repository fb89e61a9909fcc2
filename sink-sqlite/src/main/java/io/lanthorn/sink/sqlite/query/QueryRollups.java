package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE;
import static org.jooq.impl.DSL.min;

import io.lanthorn.sink.sqlite.schema.tables.RollupMinute;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.time.Instant;
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
 * the period's millions of events: its whole hours from {@code rollup_hour}, the minutes before the
 * first and after the last whole hour from {@code rollup_minute}. A period of up to {@link
 * #MINUTE_PRECISION} counts every minute it touches (from 08:17:30 counts from 08:17:00); a longer
 * one every hour it touches, so that its cost is bounded by its hours whatever the time of day.
 * Where the per-minute rollups are already gone (they are kept for less time than the hourly ones),
 * the period's first partial hour is counted whole.
 */
final class QueryRollups {
  static final long MINUTE_NS = 60_000_000_000L;
  static final long HOUR_NS = 60 * MINUTE_NS;

  /** Periods up to this long are counted to the minute, longer ones to the hour. */
  static final long MINUTE_PRECISION = 6 * HOUR_NS;

  /** The columns the questions read; both rollup tables have them. */
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

  /** Buckets: minutes before the whole hours, whole hours, minutes after them. */
  record Plan(long minutesFrom, long hoursFrom, long hoursTo, long minutesTo) {
    /**
     * The plan for [since, until), given the oldest per-minute bucket still kept ({@code null} when
     * there is none).
     */
    static Plan of(long sinceNs, long untilNs, Long oldestMinuteNs) {
      if (untilNs - sinceNs > MINUTE_PRECISION) {
        // Hours only: at most one hour of buckets beyond the period at either end.
        long from = Math.floorDiv(sinceNs, HOUR_NS) * HOUR_NS;
        long to = -Math.floorDiv(-untilNs, HOUR_NS) * HOUR_NS;
        return new Plan(from, from, to, to);
      }
      long from = Math.floorDiv(sinceNs, MINUTE_NS) * MINUTE_NS;
      long to = -Math.floorDiv(-untilNs, MINUTE_NS) * MINUTE_NS;
      long hourFrom = -Math.floorDiv(-from, HOUR_NS) * HOUR_NS;
      if (oldestMinuteNs == null || from < oldestMinuteNs) {
        // The minutes are gone: count the first partial hour whole from the hourly rollups.
        hourFrom = Math.floorDiv(from, HOUR_NS) * HOUR_NS;
        from = hourFrom;
      }
      long hourTo = Math.floorDiv(to, HOUR_NS) * HOUR_NS;
      if (oldestMinuteNs == null) {
        // No minutes at all: the last partial hour whole as well.
        hourTo = -Math.floorDiv(-to, HOUR_NS) * HOUR_NS;
        to = hourTo;
      }
      if (hourFrom >= hourTo) {
        // No whole hour: minutes only.
        return new Plan(from, to, to, to);
      }
      return new Plan(from, hourFrom, hourTo, to);
    }
  }

  private QueryRollups() {}

  /** The plan for the period, after asking the file for its oldest per-minute bucket. */
  static Plan plan(DSLContext dsl, Instant since, Instant until) {
    Long oldest =
        dsl.select(min(ROLLUP_MINUTE.BUCKET_NS)).from(ROLLUP_MINUTE).fetchOne(0, Long.class);
    return Plan.of(EpochNanos.of(since), EpochNanos.of(until), oldest);
  }

  /**
   * The period's rollup rows with the given columns (of those above) and condition, as a derived
   * table: three range scans of the tables' primary keys ({@code bucket_ns} first), concatenated.
   */
  static Table<Record> rows(
      DSLContext dsl, Plan plan, List<Field<?>> columns, Condition condition, String alias) {
    return rows(dsl, plan, ROLLUP_HOUR, ROLLUP_HOUR.BUCKET_NS, columns, condition, alias);
  }

  /**
   * The same, reading the whole hours from {@code rollup_hour_destinations}: for questions about
   * destinations that need neither the outcome nor the protocol (a fraction of the rows).
   */
  static Table<Record> destinationRows(
      DSLContext dsl, Plan plan, List<Field<?>> columns, Condition condition, String alias) {
    return rows(
        dsl,
        plan,
        ROLLUP_HOUR_DESTINATIONS,
        ROLLUP_HOUR_DESTINATIONS.BUCKET_NS,
        columns,
        condition,
        alias);
  }

  private static Table<Record> rows(
      DSLContext dsl,
      Plan plan,
      Table<?> hour,
      Field<Long> hourBucket,
      List<Field<?>> columns,
      Condition condition,
      String alias) {
    RollupMinute minute = ROLLUP_MINUTE;
    Select<Record> head =
        dsl.select(columns)
            .from(minute)
            .where(minute.BUCKET_NS.ge(plan.minutesFrom()))
            .and(minute.BUCKET_NS.lt(plan.hoursFrom()))
            .and(condition);
    Select<Record> body =
        dsl.select(columns)
            .from(hour)
            .where(hourBucket.ge(plan.hoursFrom()))
            .and(hourBucket.lt(plan.hoursTo()))
            .and(condition);
    Select<Record> tail =
        dsl.select(columns)
            .from(minute)
            .where(minute.BUCKET_NS.ge(plan.hoursTo()))
            .and(minute.BUCKET_NS.lt(plan.minutesTo()))
            .and(condition);
    return head.unionAll(body).unionAll(tail).asTable(alias);
  }

  /** Nanoseconds since the epoch as the views show times: {@code 2026-11-25T14:03:07.123Z}. */
  static Field<String> time(Field<Long> nanos) {
    return DSL.field(
        "strftime('%Y-%m-%dT%H:%M:%fZ', {0} / 1000000000.0, 'unixepoch')", String.class, nanos);
  }
}
