package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.groupConcatDistinct;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.partitionBy;
import static org.jooq.impl.DSL.rowNumber;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

import org.jooq.DSLContext;
import org.jooq.Field;
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
            + " the container resolved for each (probe-dns).")
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

  @Override
  public QueryDatabaseOptions database() {
    return database;
  }

  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    Field<Integer> connections = count();
    // Rank destinations within each container, then keep the first few of each.
    Table<?> ranked =
        dsl.select(
                QuerySql.CONTAINER.as("container"),
                coalesce(max(QuerySql.DOMAIN), inline(QuerySql.NO_CONTAINER)).as("domain"),
                EVENTS_VIEW.DST_ADDR,
                EVENTS_VIEW.DST_PORT,
                connections.as("connections"),
                sum(when(QuerySql.FAILED, inline(1)).otherwise(inline(0))).as("failed"),
                groupConcatDistinct(EVENTS_VIEW.PROCESS_NAME).as("processes"),
                min(EVENTS_VIEW.TIME).as("first_seen"),
                max(EVENTS_VIEW.TIME).as("last_seen"),
                rowNumber()
                    .over(
                        partitionBy(QuerySql.CONTAINER)
                            .orderBy(
                                connections.desc(), EVENTS_VIEW.DST_ADDR, EVENTS_VIEW.DST_PORT))
                    .as("rank"))
            .from(EVENTS_VIEW)
            .where(period.events())
            .and(containerFilter.on(EVENTS_VIEW.CONTAINER_NAME))
            .and(flowFilter.events())
            .groupBy(QuerySql.CONTAINER, EVENTS_VIEW.DST_ADDR, EVENTS_VIEW.DST_PORT)
            .asTable("ranked");
    Field<Integer> rank = field(name("ranked", "rank"), Integer.class);
    return dsl.select(
            ranked.field("container"),
            ranked.field("domain"),
            ranked.field("dst_addr"),
            ranked.field("dst_port"),
            ranked.field("connections"),
            ranked.field("failed"),
            ranked.field("processes"),
            ranked.field("first_seen"),
            ranked.field("last_seen"))
        .from(ranked)
        .where(rank.le(perContainer))
        .orderBy(ranked.field("container"), rank);
  }
}
