package io.lanthorn.sink.sqlite.query;

import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.groupConcatDistinct;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.nullif;
import static org.jooq.impl.DSL.partitionBy;
import static org.jooq.impl.DSL.rowNumber;
import static org.jooq.impl.DSL.sum;

import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanthorn query top}: each container's most frequent destinations over a period. */
@Command(
    name = "top",
    description =
        "Top destinations per container over a period, most connections first, with the domain"
            + " the container resolved for each (probe-dns). Read from the rollups: the period"
            + " counts every minute (up to 6 h) or hour (longer periods) it touches.")
final class QueryTop implements QueryQuestion {
  @Mixin QueryDatabaseOptions database;
  @Mixin QueryPeriodOptions period;

  @Mixin QueryFlowFilter flowFilter;

  @Option(
      names = "--per-container",
      paramLabel = "N",
      defaultValue = "5",
      description = "Destinations shown per container (default: ${DEFAULT-VALUE}).")
  int perContainer;

  @Mixin QueryContainerFilter containerFilter;
  @Mixin QueryHostFilter hostFilter;

  @Override
  public QueryDatabaseOptions database() {
    return database;
  }

  /**
   * Reads the period's rollups ({@link QueryRollups}), not its events: the answer takes the same
   * time for a day of history as for a minute of it.
   */
  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    // In a fleet's file each host ranks its own containers' destinations.
    boolean manyHosts = QueryHostFilter.manyHosts(dsl);
    List<Field<?>> columns = new ArrayList<>();
    if (manyHosts) {
      columns.add(QueryRollups.HOST_NAME);
    }
    columns.addAll(
        List.of(
            QueryRollups.CONTAINER_NAME,
            QueryRollups.PROCESS_NAME,
            QueryRollups.DST_ADDR,
            QueryRollups.DOMAIN_NAME,
            QueryRollups.DST_PORT,
            QueryRollups.CONNECTION_COUNT,
            QueryRollups.FAILED_COUNT,
            QueryRollups.FIRST_SEEN_NS,
            QueryRollups.LAST_SEEN_NS));
    Condition condition =
        containerFilter
            .on(QueryRollups.CONTAINER_NAME)
            .and(hostFilter.on(QueryRollups.HOST_NAME))
            .and(flowFilter.rollups());
    // The destinations tables keep neither direction nor protocol: a flow filter needs the full
    // rows.
    Table<Record> rollups =
        flowFilter.isSet()
            ? QueryRollups.rows(dsl, period.since, period.until, columns, condition, "rollups")
            : QueryRollups.destinationRows(
                dsl, period.since, period.until, columns, condition, "rollups");
    Field<String> container = QuerySql.container(QueryRollups.CONTAINER_NAME);
    Field<String> host = QueryHostFilter.shown(QueryRollups.HOST_NAME);
    // Without many hosts these are the container alone, as before hosts were recorded.
    List<Field<?>> owner = manyHosts ? List.of(host, container) : List.of(container);
    Field<Long> connections = sum(QueryRollups.CONNECTION_COUNT).cast(Long.class);
    // Rank destinations within each container, then keep the first few of each.
    Table<?> ranked =
        dsl.select(
                QueryHostFilter.columns(
                    manyHosts ? host.as("host") : null,
                    container.as("container"),
                    coalesce(
                            max(nullif(QueryRollups.DOMAIN_NAME, inline(""))),
                            inline(QuerySql.NO_CONTAINER))
                        .as("domain"),
                    QueryRollups.DST_ADDR,
                    QueryRollups.DST_PORT,
                    connections.as("connections"),
                    sum(QueryRollups.FAILED_COUNT).cast(Long.class).as("failed"),
                    // '' is a listener whose owner is unknown (started before the agent).
                    coalesce(
                            groupConcatDistinct(nullif(QueryRollups.PROCESS_NAME, inline(""))),
                            inline(QuerySql.NO_CONTAINER))
                        .as("processes"),
                    QueryRollups.time(min(QueryRollups.FIRST_SEEN_NS)).as("first_seen"),
                    QueryRollups.time(max(QueryRollups.LAST_SEEN_NS)).as("last_seen"),
                    rowNumber()
                        .over(
                            partitionBy(owner)
                                .orderBy(
                                    connections.desc(),
                                    QueryRollups.DST_ADDR,
                                    QueryRollups.DST_PORT))
                        .as("rank")))
            .from(rollups)
            .groupBy(ownerAnd(owner, QueryRollups.DST_ADDR, QueryRollups.DST_PORT))
            .asTable("ranked");
    Field<Integer> rank = field(name("ranked", "rank"), Integer.class);
    return dsl.select(
            QueryHostFilter.columns(
                manyHosts ? ranked.field("host") : null,
                ranked.field("container"),
                ranked.field("domain"),
                ranked.field("dst_addr"),
                ranked.field("dst_port"),
                ranked.field("connections"),
                ranked.field("failed"),
                ranked.field("processes"),
                ranked.field("first_seen"),
                ranked.field("last_seen")))
        .from(ranked)
        .where(rank.le(perContainer))
        .orderBy(
            manyHosts
                ? List.of(ranked.field("host"), ranked.field("container"), rank)
                : List.of(ranked.field("container"), rank));
  }

  private static List<Field<?>> ownerAnd(List<Field<?>> owner, Field<?>... more) {
    List<Field<?>> all = new ArrayList<>(owner);
    all.addAll(List.of(more));
    return all;
  }
}
