package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.nullif;
import static org.jooq.impl.DSL.round;

import io.lanthorn.sink.sqlite.write.EventCodes;
import org.jooq.Condition;
import org.jooq.Field;

/** Expressions the questions share, so that they agree with each other and the README recipes. */
final class QuerySql {
  /** What the output shows for a process outside any known container. */
  static final String NO_CONTAINER = "-";

  /**
   * Attempts that failed (refused, timed_out, unreachable, other): on the stored code, with a
   * literal, so that SQLite can use the partial index {@code events_failed_timestamp}, which has
   * the same condition (schema 15).
   */
  static final Condition FAILED = EVENTS_VIEW.OUTCOME_CODE.ge(inline(EventCodes.FIRST_FAILED));

  /**
   * Accepted inbound connections: on the stored code of tcp_accept (V15), so that SQLite can use
   * the partial index {@code event_rows_accepts}, which has the same condition.
   */
  static final Condition ACCEPTED = EVENTS_VIEW.EVENT_TYPE_CODE.eq(inline(EventCodes.ACCEPT));

  /** The container name, or {@link #NO_CONTAINER}. */
  static final Field<String> CONTAINER = container(EVENTS_VIEW.CONTAINER_NAME);

  /** The handshake in milliseconds, to the microsecond. */
  static final Field<Double> HANDSHAKE_MS =
      round(EVENTS_VIEW.HANDSHAKE_NS.cast(Double.class).div(inline(1_000_000.0)), 3);

  /** A closed connection's lifetime in milliseconds, to the microsecond; NULL while open. */
  static final Field<Double> DURATION_MS =
      round(EVENTS_VIEW.DURATION_NS.cast(Double.class).div(inline(1_000_000.0)), 3);

  /** The domain the connection's process resolved for its destination (probe-dns), or NULL. */
  static final Field<String> DOMAIN = EVENTS_VIEW.DOMAIN_NAME;

  private QuerySql() {}

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
