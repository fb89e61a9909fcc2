package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.DNS_EVENTS;

import io.lanthorn.sink.sqlite.store.EpochNanos;
import org.jooq.DSLContext;
import org.jooq.ResultQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanthorn query dns}: the DNS answers processes received, newest first. */
@Command(
    name = "dns",
    description = "DNS answers received (probe-dns) over a period, newest first.")
final class QueryDns implements QueryQuestion {
  @Mixin QueryDatabaseOptions database;
  @Mixin QueryPeriodOptions period;
  @Mixin QueryContainerFilter containerFilter;
  @Mixin QueryHostFilter hostFilter;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "At most this many answers (default: ${DEFAULT-VALUE}).")
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
                DNS_EVENTS.HOST_NAME,
                DNS_EVENTS.TIMESTAMP.as("time"),
                QuerySql.container(DNS_EVENTS.CONTAINER_NAME).as("container"),
                DNS_EVENTS.PROCESS_NAME,
                DNS_EVENTS.PID,
                DNS_EVENTS.DOMAIN,
                DNS_EVENTS.QUERY_TYPE,
                DNS_EVENTS.RESPONSE_CODE,
                DNS_EVENTS.RESOLVED_IP,
                DNS_EVENTS.ANSWERS))
        .from(DNS_EVENTS)
        .where(DNS_EVENTS.TIMESTAMP_NS.ge(EpochNanos.of(period.since)))
        .and(DNS_EVENTS.TIMESTAMP_NS.lt(EpochNanos.of(period.until)))
        .and(containerFilter.on(DNS_EVENTS.CONTAINER_NAME))
        .and(hostFilter.on(DNS_EVENTS.HOST_NAME))
        .orderBy(DNS_EVENTS.TIMESTAMP_NS.desc())
        .limit(limit);
  }
}
