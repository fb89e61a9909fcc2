package io.lanthorn.sink.sqlite.store;

import static io.lanthorn.sink.sqlite.schema.Tables.COLLECTION_HEALTH;
import static io.lanthorn.sink.sqlite.schema.Tables.CONTAINERS;
import static io.lanthorn.sink.sqlite.schema.Tables.DNS_EVENTS;
import static io.lanthorn.sink.sqlite.schema.Tables.DOMAINS;
import static io.lanthorn.sink.sqlite.schema.Tables.EVENT_ROWS;
import static io.lanthorn.sink.sqlite.schema.Tables.PROCESSES;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_DAY;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_DAY_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_FIVE_MINUTE_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE_TOTALS;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Deletes events older than the retention period, a small chunk per transaction, so the write lock
 * is never held for long and the sink's batches slip in between chunks. Summaries are kept; health
 * rows and DNS answers go with the events of their time, and so do {@code containers} and {@code
 * processes} rows that no remaining event can refer to. Rollups have retentions of their own,
 * longer than the events' (two tiers: raw events for days, hourly rollups for months).
 */
public final class Retention {
  // A statement deletes at most this much time of rollups: the write lock is held briefly.
  private static final long TEN_MINUTES_NS = Duration.ofMinutes(10).toNanos();
  private static final long SIX_HOURS_NS = Duration.ofHours(6).toNanos();
  private static final long SEVEN_DAYS_NS = Duration.ofDays(7).toNanos();

  private final DSLContext dsl;
  private final int chunk;

  public Retention(DSLContext dsl, int chunk) {
    this.dsl = dsl;
    this.chunk = chunk;
  }

  /**
   * Deletes everything older than the cutoff, chunk by chunk.
   *
   * @param cutoffNanos wall-clock nanoseconds since the epoch; older rows go
   * @param keepGoing checked between chunks, so shutdown need not wait for a large backlog
   * @return the number of events deleted
   */
  public long deleteOlderThan(long cutoffNanos, BooleanSupplier keepGoing) {
    long deleted = 0;
    int last;
    do {
      // Oldest first through the timestamp index; each execute() is its own transaction.
      last =
          dsl.deleteFrom(EVENT_ROWS)
              .where(
                  EVENT_ROWS.ID.in(
                      dsl.select(EVENT_ROWS.ID)
                          .from(EVENT_ROWS)
                          .where(EVENT_ROWS.TIMESTAMP_NS.lt(cutoffNanos))
                          .orderBy(EVENT_ROWS.TIMESTAMP_NS)
                          .limit(chunk)))
              .execute();
      deleted += last;
    } while (last == chunk && keepGoing.getAsBoolean());
    if (last < chunk) {
      // Every event older than the cutoff is gone, and with it every event that could refer to a
      // set of facts last seen before it; except one a batch committed since, with an old
      // timestamp. So each statement deletes only rows no event refers to, checked in the same
      // statement: SQLite runs it atomically, and a batch committed after it writes again the
      // rows of every set it uses (FactTable), so no event ever points at a missing row.
      deleteUnreferenced(
          PROCESSES, PROCESSES.ID, PROCESSES.LAST_SEEN_NS, EVENT_ROWS.PROCESS_REF, cutoffNanos);
      deleteUnreferenced(
          CONTAINERS,
          CONTAINERS.ID,
          CONTAINERS.LAST_SEEN_NS,
          EVENT_ROWS.CONTAINER_REF,
          cutoffNanos);
      deleteUnreferenced(
          DOMAINS, DOMAINS.ID, DOMAINS.LAST_SEEN_NS, EVENT_ROWS.DOMAIN_REF, cutoffNanos);
    }
    // DNS answers are few beside connections: one statement, through their timestamp index.
    dsl.deleteFrom(DNS_EVENTS).where(DNS_EVENTS.TIMESTAMP_NS.lt(cutoffNanos)).execute();
    dsl.deleteFrom(COLLECTION_HEALTH)
        .where(COLLECTION_HEALTH.INTERVAL_END_NS.lt(cutoffNanos))
        .execute();
    return deleted;
  }

  /**
   * Deletes per-minute rollups (their totals, and the 5-minute destinations, kept as long) older
   * than the cutoff, ten minutes a time.
   */
  public void deleteMinuteRollupsOlderThan(long cutoffNanos, BooleanSupplier keepGoing) {
    deleteBuckets(
        ROLLUP_FIVE_MINUTE_DESTINATIONS,
        ROLLUP_FIVE_MINUTE_DESTINATIONS.BUCKET_NS,
        cutoffNanos,
        TEN_MINUTES_NS,
        keepGoing);
    deleteBuckets(ROLLUP_MINUTE, ROLLUP_MINUTE.BUCKET_NS, cutoffNanos, TEN_MINUTES_NS, keepGoing);
    deleteBuckets(
        ROLLUP_MINUTE_TOTALS,
        ROLLUP_MINUTE_TOTALS.BUCKET_NS,
        cutoffNanos,
        TEN_MINUTES_NS,
        keepGoing);
  }

  /** Deletes per-hour rollups (and destinations) older than the cutoff, six hours a time. */
  public void deleteHourRollupsOlderThan(long cutoffNanos, BooleanSupplier keepGoing) {
    deleteBuckets(ROLLUP_HOUR, ROLLUP_HOUR.BUCKET_NS, cutoffNanos, SIX_HOURS_NS, keepGoing);
    deleteBuckets(
        ROLLUP_HOUR_DESTINATIONS,
        ROLLUP_HOUR_DESTINATIONS.BUCKET_NS,
        cutoffNanos,
        SIX_HOURS_NS,
        keepGoing);
  }

  /** Deletes daily rollups (and destinations) older than the cutoff, a week a time. */
  public void deleteDayRollupsOlderThan(long cutoffNanos, BooleanSupplier keepGoing) {
    deleteBuckets(ROLLUP_DAY, ROLLUP_DAY.BUCKET_NS, cutoffNanos, SEVEN_DAYS_NS, keepGoing);
    deleteBuckets(
        ROLLUP_DAY_DESTINATIONS,
        ROLLUP_DAY_DESTINATIONS.BUCKET_NS,
        cutoffNanos,
        SEVEN_DAYS_NS,
        keepGoing);
  }

  /**
   * Deletes the buckets before the cutoff, oldest first, {@code step} of time per statement (each
   * its own transaction), so the lock is held briefly even when a backlog of months goes at once.
   * Each step starts at the oldest bucket left (the primary key's first column: one seek), so a gap
   * of years between buckets costs one statement, not one per empty step.
   */
  private void deleteBuckets(
      Table<?> table, Field<Long> bucket, long cutoffNanos, long step, BooleanSupplier keepGoing) {
    do {
      Long oldest = dsl.select(DSL.min(bucket)).from(table).fetchOne(0, Long.class);
      if (oldest == null || oldest >= cutoffNanos) {
        return;
      }
      long bound = oldest > cutoffNanos - step ? cutoffNanos : oldest + step;
      dsl.deleteFrom(table).where(bucket.lt(bound)).execute();
    } while (keepGoing.getAsBoolean());
  }

  private void deleteUnreferenced(
      Table<?> facts, Field<Long> id, Field<Long> lastSeen, Field<Long> ref, long cutoffNanos) {
    // An event refers to a set of facts only if it is no newer than the set's last_seen_ns, so
    // the check reads the few events older than the cutoff through the timestamp index.
    dsl.deleteFrom(facts)
        .where(lastSeen.lt(cutoffNanos))
        .andNotExists(
            dsl.selectOne()
                .from(EVENT_ROWS)
                .where(EVENT_ROWS.TIMESTAMP_NS.lt(cutoffNanos))
                .and(ref.eq(id)))
        .execute();
  }
}
