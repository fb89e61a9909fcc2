package io.lanthorn.sink.sqlite.query;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS_VIEW;

import java.util.Locale;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import picocli.CommandLine.Option;

/**
 * {@code --direction} and {@code --protocol}: narrow a question to outbound connections (and UDP
 * sends) or to accepted inbound connections, and to TCP or UDP.
 */
final class QueryFlowFilter {
  /** Which way a flow went, as the events view's {@code direction} column says. */
  enum Direction {
    INBOUND,
    OUTBOUND
  }

  /** A flow's transport, as the events view's {@code protocol} column says. */
  enum Transport {
    TCP,
    UDP
  }

  @Option(
      names = "--direction",
      paramLabel = "WAY",
      description =
          "Only inbound (accepted) or outbound connections: ${COMPLETION-CANDIDATES} (default:"
              + " both).",
      converter = DirectionConverter.class)
  Direction direction;

  @Option(
      names = "--protocol",
      paramLabel = "PROTO",
      description = "Only tcp or udp (default: both).",
      converter = TransportConverter.class)
  Transport protocol;

  /** The condition on the events view: none without either option. */
  Condition events() {
    return on(EVENTS_VIEW.DIRECTION, EVENTS_VIEW.PROTOCOL);
  }

  private Condition on(Field<String> directionColumn, Field<String> protocolColumn) {
    Condition condition = DSL.noCondition();
    if (direction != null) {
      condition = condition.and(directionColumn.eq(direction.name().toLowerCase(Locale.ROOT)));
    }
    if (protocol != null) {
      condition = condition.and(protocolColumn.eq(protocol.name().toLowerCase(Locale.ROOT)));
    }
    return condition;
  }

  /** Whether either option narrows the question. */
  boolean isSet() {
    return direction != null || protocol != null;
  }

  /** The same condition on the rollups ({@link QueryRollups}), which keep both columns. */
  Condition rollups() {
    return on(QueryRollups.DIRECTION, QueryRollups.PROTOCOL);
  }

  /** Accepts {@code inbound}/{@code outbound} in any case. */
  static final class DirectionConverter implements picocli.CommandLine.ITypeConverter<Direction> {
    @Override
    public Direction convert(String value) {
      return Direction.valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /** Accepts {@code tcp}/{@code udp} in any case. */
  static final class TransportConverter implements picocli.CommandLine.ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
      return Transport.valueOf(value.toUpperCase(Locale.ROOT));
    }
  }
}
