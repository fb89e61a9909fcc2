package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.CONNECTION_AGGREGATIONS_VIEW;
import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;

import java.util.Locale;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanthorn query summary}: the all-time per-destination summary, beyond retention. */
@Command(
    name = "summary",
    description =
        "Every (container, process, destination) ever seen, with counts and first/last time;"
            + " kept when retention deletes events. Inbound rows (accepted connections per"
            + " listening service) count the events retention kept.")
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

  @Mixin QueryFlowFilter flowFilter;

  @Override
  public ResultQuery<?> ask(DSLContext dsl) {
    var summary = CONNECTION_AGGREGATIONS_VIEW;
    // Outbound: the all-time summary table. Inbound: accepted connections per (container,
    // listening process, service address and port), from the events retention kept.
    var outbound =
        dsl.select(
                QuerySql.container(summary.CONTAINER_NAME).as("container"),
                inline("outbound").as("direction"),
                summary.PROCESS_NAME,
                summary.DST_ADDR,
                summary.DST_PORT,
                summary.PROTOCOL,
                summary.CONNECTION_COUNT.as("connections"),
                summary.FAILED_COUNT.as("failed"),
                summary.FIRST_SEEN,
                summary.LAST_SEEN,
                summary.LAST_SEEN_NS.as("last_seen_ns"))
            .from(summary)
            .where(containerFilter.on(summary.CONTAINER_NAME))
            .and(wanted(QueryFlowFilter.Direction.OUTBOUND, summary.PROTOCOL));
    var inbound =
        dsl.select(
                QuerySql.CONTAINER.as("container"),
                inline("inbound").as("direction"),
                EVENTS_VIEW.PROCESS_NAME,
                EVENTS_VIEW.DST_ADDR,
                EVENTS_VIEW.DST_PORT,
                EVENTS_VIEW.PROTOCOL,
                count().cast(Long.class).as("connections"),
                inline(0L).as("failed"),
                min(EVENTS_VIEW.TIME),
                max(EVENTS_VIEW.TIME),
                max(EVENTS_VIEW.TIMESTAMP_NS))
            .from(EVENTS_VIEW)
            .where(QuerySql.ACCEPTED)
            .and(containerFilter.on(EVENTS_VIEW.CONTAINER_NAME))
            .and(wanted(QueryFlowFilter.Direction.INBOUND, EVENTS_VIEW.PROTOCOL))
            .groupBy(
                QuerySql.CONTAINER,
                EVENTS_VIEW.PROCESS_NAME,
                EVENTS_VIEW.DST_ADDR,
                EVENTS_VIEW.DST_PORT,
                EVENTS_VIEW.PROTOCOL);
    var both = outbound.unionAll(inbound).asTable("flows");
    return dsl.select(
            both.field("container"),
            both.field("direction"),
            both.field("process_name"),
            both.field("dst_addr"),
            both.field("dst_port"),
            both.field("protocol"),
            both.field("connections"),
            both.field("failed"),
            both.field("first_seen"),
            both.field("last_seen"))
        .from(both)
        .orderBy(both.field("connections").desc(), both.field("last_seen_ns").desc())
        .limit(limit);
  }

  /** Whether rows of this direction and protocol column pass {@code --direction/--protocol}. */
  private Condition wanted(QueryFlowFilter.Direction direction, Field<String> protocol) {
    if (flowFilter.direction != null && flowFilter.direction != direction) {
      return DSL.falseCondition();
    }
    return flowFilter.protocol == null
        ? DSL.noCondition()
        : protocol.eq(flowFilter.protocol.name().toLowerCase(Locale.ROOT));
  }
}
