package io.lanthorn.sink.sqlite;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;
import static io.lanthorn.sink.sqlite.schema.Tables.EVENT_ROWS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.nullif;
import static org.jooq.impl.DSL.round;
import static org.jooq.impl.DSL.select;

import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;

/** Expressions the questions share, so that they agree with each other and the README recipes. */
final class QuerySql {
  /** What the output shows for a process outside any known container. */
  static final String NO_CONTAINER = "-";

  /**
   * Attempts that failed. Literal values rather than bind parameters, so that SQLite can use the
   * partial index {@code events_failed_timestamp}, which has the same condition.
   */
  static final Condition FAILED =
      EVENTS_VIEW.OUTCOME.notIn(inline("established"), inline("pending"));

  /** The container name, or {@link #NO_CONTAINER}. */
  static final Field<String> CONTAINER = container(EVENTS_VIEW.CONTAINER_NAME);

  /** The handshake in milliseconds, to the microsecond. */
  static final Field<Double> HANDSHAKE_MS =
      round(EVENTS_VIEW.HANDSHAKE_NS.cast(Double.class).div(inline(1_000_000.0)), 3);

  /**
   * The host that captured the event (a central agent's file holds several), {@link #NO_CONTAINER}
   * for the agent's own events. Read from {@code event_rows} by id: the views do not have it yet.
   */
  static final Field<String> HOST =
      coalesce(
          field(
              select(EVENT_ROWS.HOST_NAME)
                  .from(EVENT_ROWS)
                  .where(EVENT_ROWS.ID.eq(EVENTS_VIEW.ID))),
          inline(NO_CONTAINER));

  private QuerySql() {}

  /**
   * The columns, with {@code host} first when the file holds events of more than one host (the
   * agent's own count as one), so that a single host's output stays as it was.
   */
  static List<Field<?>> withHost(DSLContext dsl, Field<?>... columns) {
    List<Field<?>> fields = new ArrayList<>();
    boolean manyHosts =
        dsl.fetchCount(
                dsl.selectDistinct(coalesce(EVENT_ROWS.HOST_NAME, inline("")))
                    .from(EVENT_ROWS)
                    .limit(2))
            > 1;
    if (manyHosts) {
      fields.add(HOST.as("host"));
    }
    fields.addAll(List.of(columns));
    return fields;
  }

  /**
   * Rows of the container shown as {@code shown}. Plain equality for a name, so that SQLite can use
   * the index on {@code container_name}; {@link #NO_CONTAINER} matches {@code NULL} and empty.
   */
  static Condition containerIs(Field<String> name, String shown) {
    return shown.equals(NO_CONTAINER) ? name.isNull().or(name.eq(inline(""))) : name.eq(shown);
  }

  /** A container name column as shown: empty or {@code NULL} become {@link #NO_CONTAINER}. */
  static Field<String> container(Field<String> name) {
    return coalesce(nullif(name, inline("")), inline(NO_CONTAINER));
  }
}
