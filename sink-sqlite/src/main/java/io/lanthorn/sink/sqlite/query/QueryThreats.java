package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.THREAT_EVENTS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;

import io.lanthorn.sink.sqlite.store.EpochNanos;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.ResultQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lanthorn query threats}: what threat feeds flagged (enricher-threat), one line per
 * container or process, destination, domain, feed and entry, most recent first.
 */
@Command(
    name = "threats",
    description =
        "Connections and DNS answers a threat feed listed (enricher-threat) over a period: who,"
            + " where, which feed and entry, first and last seen, how often.")
final class QueryThreats implements QueryQuestion {
  @Mixin QueryDatabaseOptions database;
  @Mixin QueryPeriodOptions period;
  @Mixin QueryContainerFilter containerFilter;

  @Override
  public QueryDatabaseOptions database() {
    return database;
  }

  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    Field<String> container = QuerySql.container(THREAT_EVENTS.CONTAINER_NAME).as("container");
    Field<Long> lastSeen = max(THREAT_EVENTS.TIMESTAMP_NS);
    return dsl.select(
            container,
            THREAT_EVENTS.PROCESS_NAME.as("process"),
            THREAT_EVENTS.EVENT_TYPE.as("event"),
            THREAT_EVENTS.DESTINATION,
            THREAT_EVENTS.DOMAIN,
            THREAT_EVENTS.FEED,
            THREAT_EVENTS.INDICATOR,
            utc(min(THREAT_EVENTS.TIMESTAMP_NS)).as("first_seen"),
            utc(lastSeen).as("last_seen"),
            count().as("count"))
        .from(THREAT_EVENTS)
        .where(THREAT_EVENTS.TIMESTAMP_NS.ge(EpochNanos.of(period.since)))
        .and(THREAT_EVENTS.TIMESTAMP_NS.lt(EpochNanos.of(period.until)))
        .and(containerFilter.on(THREAT_EVENTS.CONTAINER_NAME))
        .groupBy(
            THREAT_EVENTS.CONTAINER_NAME,
            THREAT_EVENTS.PROCESS_NAME,
            THREAT_EVENTS.EVENT_TYPE,
            THREAT_EVENTS.DESTINATION,
            THREAT_EVENTS.DOMAIN,
            THREAT_EVENTS.FEED,
            THREAT_EVENTS.INDICATOR)
        .orderBy(lastSeen.desc(), container);
  }

  /** Nanoseconds since the epoch as upstream's time text, e.g. {@code 2026-11-25 14:03:07}. */
  private static Field<String> utc(Field<Long> nanos) {
    return field(
        "strftime('%Y-%m-%d %H:%M:%S', {0} / 1000000000, 'unixepoch')", String.class, nanos);
  }
}
