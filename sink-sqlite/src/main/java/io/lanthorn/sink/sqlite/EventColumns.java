package io.lanthorn.sink.sqlite;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENTS;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** How a {@link ConnectionEvent} fills a row of {@code events}: one entry per column. */
final class EventColumns {
  /** The {@code event_type} of every row: one row per outbound connection attempt. */
  static final String EVENT_TYPE = "connect";

  /** Attributes with a column of their own; all others go to the {@code attributes} JSON. */
  static final Set<AttributeKey<?>> STORED_ATTRIBUTES =
      Set.of(
          StandardAttributes.CONTAINER_ID,
          StandardAttributes.CONTAINER_NAME,
          StandardAttributes.CONTAINER_RUNTIME,
          StandardAttributes.CONTAINER_IMAGE_NAME,
          StandardAttributes.CONTAINER_IMAGE_ID,
          StandardAttributes.CONTAINER_LABELS,
          StandardAttributes.COMPOSE_PROJECT,
          StandardAttributes.COMPOSE_SERVICE,
          StandardAttributes.ATTRIBUTION_STATUS,
          StandardAttributes.PROCESS_EXECUTABLE_PATH);

  // label() lower-cases on every call; these rows are written a hundred thousand times a second.
  private static final Map<Protocol, String> PROTOCOLS = labels(Protocol.class, Protocol::label);
  private static final Map<Outcome, String> OUTCOMES = labels(Outcome.class, Outcome::label);

  /** Every column the sink writes, in statement order. */
  static final List<Column<ConnectionEvent, ?>> ALL =
      List.of(
          new Column<>(EVENTS.TIMESTAMP_NS, ConnectionEvent::timestampNanos),
          new Column<>(EVENTS.KERNEL_TIME_NS, ConnectionEvent::kernelTimeNanos),
          new Column<>(EVENTS.EVENT_TYPE, e -> EVENT_TYPE),
          new Column<>(EVENTS.PROTOCOL, e -> PROTOCOLS.get(e.protocol())),
          new Column<>(EVENTS.ADDRESS_FAMILY, e -> family(e.family())),
          new Column<>(EVENTS.SRC_ADDR, e -> AddressText.of(e.sourceAddress())),
          new Column<>(EVENTS.SRC_PORT, ConnectionEvent::sourcePort),
          new Column<>(EVENTS.DST_ADDR, e -> AddressText.of(e.destinationAddress())),
          new Column<>(EVENTS.DST_PORT, ConnectionEvent::destinationPort),
          new Column<>(EVENTS.OUTCOME, e -> OUTCOMES.get(e.outcome())),
          new Column<>(EVENTS.ERRNO, ConnectionEvent::errno),
          new Column<>(EVENTS.HANDSHAKE_NS, EventColumns::handshake),
          new Column<>(EVENTS.PID, ConnectionEvent::pid),
          new Column<>(EVENTS.TID, ConnectionEvent::tid),
          new Column<>(EVENTS.UID, e -> Integer.toUnsignedLong(e.uid())),
          new Column<>(EVENTS.GID, e -> Integer.toUnsignedLong(e.gid())),
          new Column<>(EVENTS.PROCESS_NAME, ConnectionEvent::comm),
          new Column<>(EVENTS.PROCESS_CMDLINE, ConnectionEvent::commandLine),
          new Column<>(
              EVENTS.PROCESS_EXE_PATH,
              e -> e.attribute(StandardAttributes.PROCESS_EXECUTABLE_PATH)),
          new Column<>(EVENTS.CGROUP_ID, ConnectionEvent::cgroupId),
          new Column<>(EVENTS.CGROUP_NAME, ConnectionEvent::cgroupName),
          new Column<>(EVENTS.CONTAINER_ID, e -> e.attribute(StandardAttributes.CONTAINER_ID)),
          new Column<>(EVENTS.CONTAINER_NAME, e -> e.attribute(StandardAttributes.CONTAINER_NAME)),
          new Column<>(
              EVENTS.CONTAINER_RUNTIME, e -> e.attribute(StandardAttributes.CONTAINER_RUNTIME)),
          new Column<>(
              EVENTS.IMAGE_NAME, e -> e.attribute(StandardAttributes.CONTAINER_IMAGE_NAME)),
          new Column<>(EVENTS.IMAGE_ID, e -> e.attribute(StandardAttributes.CONTAINER_IMAGE_ID)),
          new Column<>(
              EVENTS.CONTAINER_LABELS,
              e -> AttributesJson.of(e.attribute(StandardAttributes.CONTAINER_LABELS))),
          new Column<>(
              EVENTS.COMPOSE_PROJECT, e -> e.attribute(StandardAttributes.COMPOSE_PROJECT)),
          new Column<>(
              EVENTS.COMPOSE_SERVICE, e -> e.attribute(StandardAttributes.COMPOSE_SERVICE)),
          new Column<>(
              EVENTS.ATTRIBUTION_STATUS, e -> e.attribute(StandardAttributes.ATTRIBUTION_STATUS)),
          new Column<>(
              EVENTS.ATTRIBUTES, e -> AttributesJson.unstored(e.attributes(), STORED_ATTRIBUTES)));

  private EventColumns() {}

  /** Whether the outcome counts as a failed connection in summaries and queries. */
  static boolean failed(Outcome outcome) {
    return outcome != Outcome.ESTABLISHED && outcome != Outcome.PENDING;
  }

  private static <E extends Enum<E>> Map<E, String> labels(
      Class<E> type, Function<E, String> label) {
    Map<E, String> labels = new EnumMap<>(type);
    for (E value : type.getEnumConstants()) {
      labels.put(value, label.apply(value));
    }
    return labels;
  }

  private static String family(AddressFamily family) {
    return switch (family) {
      case INET -> "ipv4";
      case INET6 -> "ipv6";
    };
  }

  private static Long handshake(ConnectionEvent event) {
    // -1 (pending) becomes NULL so that avg(handshake_ns) means something.
    return event.handshakeNanos() < 0 ? null : event.handshakeNanos();
  }
}
