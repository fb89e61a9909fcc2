package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;

import org.jooq.DSLContext;
import org.jooq.ResultQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanthorn query container NAME}: one container's connections, newest first. */
@Command(
    name = "container",
    description = "One container's connections over a period, newest first.")
final class QueryContainer implements QueryQuestion {
  @Mixin QueryDatabaseOptions database;
  @Mixin QueryPeriodOptions period;
  @Mixin QueryHostFilter hostFilter;

  @Mixin QueryFlowFilter flowFilter;

  @Parameters(
      paramLabel = "NAME",
      description = "The container's name (- for processes outside containers).")
  String container;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "At most this many connections (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public QueryDatabaseOptions database() {
    return database;
  }

  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    return dsl.select(
            QueryHostFilter.columns(
                QueryHostFilter.manyHosts(dsl),
                EVENTS_VIEW.HOST_NAME,
                EVENTS_VIEW.TIME,
                EVENTS_VIEW.PROCESS_NAME,
                EVENTS_VIEW.PID,
                EVENTS_VIEW.SRC_ADDR,
                EVENTS_VIEW.SRC_PORT,
                EVENTS_VIEW.DST_ADDR,
                EVENTS_VIEW.DST_PORT,
                EVENTS_VIEW.OUTCOME,
                EVENTS_VIEW.ERRNO,
                QuerySql.HANDSHAKE_MS.as("handshake_ms"),
                EVENTS_VIEW.DIRECTION,
                QuerySql.DURATION_MS.as("duration_ms"),
                EVENTS_VIEW.BYTES_SENT,
                EVENTS_VIEW.BYTES_RECEIVED))
        .from(EVENTS_VIEW)
        .where(period.events())
        .and(QuerySql.containerIs(EVENTS_VIEW.CONTAINER_NAME, container))
        .and(flowFilter.events())
        .and(hostFilter.on(EVENTS_VIEW.HOST_NAME))
        .orderBy(EVENTS_VIEW.TIMESTAMP_NS.desc())
        .limit(limit);
  }
}
