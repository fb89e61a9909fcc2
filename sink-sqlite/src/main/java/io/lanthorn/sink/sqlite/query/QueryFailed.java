package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;

import org.jooq.DSLContext;
import org.jooq.ResultQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanthorn query failed}: connection attempts that were refused, timed out … */
@Command(
    name = "failed",
    description =
        "Failed connections (refused, timed_out, unreachable, other) over a period, newest first.")
final class QueryFailed implements QueryQuestion {
  @Mixin QueryDatabaseOptions database;
  @Mixin QueryPeriodOptions period;

  @Mixin QueryFlowFilter flowFilter;

  @Mixin QueryContainerFilter containerFilter;
  @Mixin QueryHostFilter hostFilter;

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
                QuerySql.CONTAINER.as("container"),
                EVENTS_VIEW.PROCESS_NAME,
                EVENTS_VIEW.PID,
                EVENTS_VIEW.DST_ADDR,
                EVENTS_VIEW.DST_PORT,
                EVENTS_VIEW.OUTCOME,
                EVENTS_VIEW.ERRNO))
        .from(EVENTS_VIEW)
        .where(period.events())
        .and(QuerySql.FAILED)
        .and(containerFilter.on(EVENTS_VIEW.CONTAINER_NAME))
        .and(flowFilter.events())
        .and(hostFilter.on(EVENTS_VIEW.HOST_NAME))
        .orderBy(EVENTS_VIEW.TIMESTAMP_NS.desc())
        .limit(limit);
  }
}
