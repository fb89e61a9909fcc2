package io.lanthorn.sink.sqlite;

import static io.lanthorn.sink.sqlite.schema.Tables.COLLECTION_HEALTH;
import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS;

import java.util.function.BooleanSupplier;
import org.jooq.DSLContext;

/**
 * Deletes events older than the retention period, a small chunk per transaction, so the write lock
 * is never held for long and the sink's batches slip in between chunks. Summaries are kept; health
 * rows go with the events they describe.
 */
final class Retention {
  private final DSLContext dsl;
  private final int chunk;

  Retention(DSLContext dsl, int chunk) {
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
  long deleteOlderThan(long cutoffNanos, BooleanSupplier keepGoing) {
    long deleted = 0;
    int last;
    do {
      // Oldest first through the timestamp index; each execute() is its own transaction.
      last =
          dsl.deleteFrom(EVENTS)
              .where(
                  EVENTS.ID.in(
                      dsl.select(EVENTS.ID)
                          .from(EVENTS)
                          .where(EVENTS.TIMESTAMP_NS.lt(cutoffNanos))
                          .orderBy(EVENTS.TIMESTAMP_NS)
                          .limit(chunk)))
              .execute();
      deleted += last;
    } while (last == chunk && keepGoing.getAsBoolean());
    dsl.deleteFrom(COLLECTION_HEALTH)
        .where(COLLECTION_HEALTH.INTERVAL_END_NS.lt(cutoffNanos))
        .execute();
    return deleted;
  }
}
