package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE_TOTALS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.nullif;

import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import picocli.CommandLine.Option;

/**
 * The {@code --host} option, and the {@code host} column the questions show first when the file
 * holds more than one host (a central Lanthorn collecting a fleet through Kafka). A single agent's
 * file keeps its columns as they were.
 */
final class QueryHostFilter {
  /** What the output shows for events recorded without a host name (files from before V8). */
  static final String NO_HOST = "-";

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description = "Only events this host captured (its host.name; - for events without one).")
  String host;

  /** The condition on a host-name column: no condition without {@code --host}. */
  Condition on(Field<String> hostName) {
    if (host == null) {
      return DSL.noCondition();
    }
    return host.equals(NO_HOST) ? hostName.isNull().or(hostName.eq(inline(""))) : hostName.eq(host);
  }

  /**
   * Whether the file holds events of more than one named host. Reads {@code rollup_minute_totals},
   * the smallest table that names hosts (a handful of rows per minute and host, kept 7 days), and
   * stops at the second host: never the events.
   */
  static boolean manyHosts(DSLContext dsl) {
    return dsl.fetchCount(
            dsl.selectDistinct(ROLLUP_MINUTE_TOTALS.HOST_NAME)
                .from(ROLLUP_MINUTE_TOTALS)
                .where(ROLLUP_MINUTE_TOTALS.HOST_NAME.ne(inline("")))
                .limit(2))
        > 1;
  }

  /** A host-name column as shown: empty or {@code NULL} become {@link #NO_HOST}. */
  static Field<String> shown(Field<String> hostName) {
    return coalesce(nullif(hostName, inline("")), inline(NO_HOST));
  }

  /**
   * The columns, with the host-name column {@link #shown} as {@code host} first when {@code many}.
   */
  static List<SelectField<?>> columns(
      boolean many, Field<String> hostName, SelectField<?>... columns) {
    return columns(many ? shown(hostName).as("host") : null, columns);
  }

  /** The columns, with {@code host} first unless it is {@code null}. */
  static List<SelectField<?>> columns(SelectField<?> host, SelectField<?>... columns) {
    List<SelectField<?>> all = new ArrayList<>();
    if (host != null) {
      all.add(host);
    }
    all.addAll(List.of(columns));
    return all;
  }
}
