package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.CONNECTION_AGGREGATIONS_VIEW;

import org.jooq.DSLContext;
import org.jooq.ResultQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanthorn query summary}: the all-time per-destination summary, beyond retention. */
@Command(
    name = "summary",
    description =
        "Every (container, process, destination) ever seen, with counts and first/last time;"
            + " kept when retention deletes events.")
final class QuerySummary implements QueryQuestion {
  @Mixin QueryDatabaseOptions database;

  @Mixin QueryContainerFilter containerFilter;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "At most this many rows, most connections first (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public QueryDatabaseOptions database() {
    return database;
  }

  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    var summary = CONNECTION_AGGREGATIONS_VIEW;
    return dsl.select(
            QuerySql.container(summary.CONTAINER_NAME).as("container"),
            summary.PROCESS_NAME,
            summary.DST_ADDR,
            summary.DST_PORT,
            summary.PROTOCOL,
            summary.CONNECTION_COUNT.as("connections"),
            summary.FAILED_COUNT.as("failed"),
            summary.FIRST_SEEN,
            summary.LAST_SEEN)
        .from(summary)
        .where(containerFilter.on(summary.CONTAINER_NAME))
        .orderBy(summary.CONNECTION_COUNT.desc(), summary.LAST_SEEN_NS.desc())
        .limit(limit);
  }
}
