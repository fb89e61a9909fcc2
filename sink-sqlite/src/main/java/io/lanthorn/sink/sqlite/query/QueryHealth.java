package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.COLLECTION_HEALTH_HOURLY;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;
import org.jooq.ResultQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lanthorn query health}: how complete each hour's data is. */
@Command(
    name = "health",
    description =
        "Per hour: events received, written, still in flight at the hour's end, lost at the"
            + " source, dropped, failed in the sink, lost (the sum of those three), and"
            + " complete_pct = 100 * (received - dropped - sink_failed) / (received +"
            + " lost_at_source): 100 when nothing was lost. Hours without a row: the agent was not"
            + " running.")
final class QueryHealth implements QueryQuestion {
  // The view's "hour" column, e.g. 2026-11-25T14:00Z: fixed width, so text order is time order.
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:00'Z'").withZone(ZoneOffset.UTC);

  @Mixin QueryDatabaseOptions database;
  @Mixin QueryPeriodOptions period;

  @Override
  public QueryDatabaseOptions database() {
    return database;
  }

  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    var hourly = COLLECTION_HEALTH_HOURLY;
    return dsl.selectFrom(hourly)
        .where(hourly.HOUR.ge(hour(period.since)))
        .and(hourly.HOUR.le(hour(period.until.minusNanos(1))))
        .orderBy(hourly.HOUR);
  }

  /** The hour holding this instant: a period covers every hour it touches. */
  private static String hour(Instant instant) {
    return HOUR.format(instant.truncatedTo(ChronoUnit.HOURS));
  }
}
