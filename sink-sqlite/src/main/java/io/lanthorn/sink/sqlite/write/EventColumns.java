package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.EVENT_ROWS;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.AttributesJson;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.api.Vocabulary;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a {@link ConnectionEvent} fills a row of {@code event_rows}: one entry per column, encoded as
 * the api's {@link Vocabulary} says (the JSON lines sink encodes the same way). Its container and
 * process facts go to {@code containers} and {@code processes} ({@link ContainerFacts}, {@link
 * ProcessFacts}); the row refers to them by number.
 */
final class EventColumns {
  /** The outcome of a udp_send row in the rollups and the events view: the datagrams left. */
  static final String UDP_OUTCOME = "sent";

  /**
   * An event's stable id across copies (sink-kafka sets it, a replay from Kafka repeats it): stored
   * once ({@code event_uid}).
   */
  static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("lanthorn.event.id");

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
          Summaries.DOMAIN,
          StandardAttributes.PROCESS_EXECUTABLE_PATH,
          StandardAttributes.THREAT_MATCHED,
          StandardAttributes.THREAT_SOURCE,
          EVENT_ID);

  // label() lower-cases on every call; these rows are written a hundred thousand times a second.
  private static final Map<Protocol, String> PROTOCOLS = labels(Protocol.class, Protocol::label);
  private static final Map<Outcome, String> OUTCOMES = labels(Outcome.class, Outcome::label);

  /**
   * Every column of {@code event_rows} the sink binds, in statement order; {@code kind} is a
   * literal in each kind's statement. Codes as {@link EventCodes} says; the process's name, ids and
   * cgroup are in its {@code processes} row, the container's name in its {@code containers} row.
   */
  static final List<Column<EventRow, ?>> ALL =
      List.of(
          new Column<>(EVENT_ROWS.TIMESTAMP_NS, row -> row.event.timestampNanos()),
          new Column<>(EVENT_ROWS.KERNEL_TIME_NS, row -> row.event.kernelTimeNanos()),
          new Column<>(EVENT_ROWS.SRC_IP, row -> row.sourceIp),
          new Column<>(EVENT_ROWS.SRC_PORT, row -> row.event.sourcePort()),
          new Column<>(EVENT_ROWS.DST_IP, row -> row.destinationIp),
          new Column<>(EVENT_ROWS.DST_PORT, row -> row.event.destinationPort()),
          new Column<>(
              EVENT_ROWS.OUTCOME,
              row ->
                  row.datagrams != null
                      ? EventCodes.SENT
                      : EventCodes.outcome(row.event.outcome())),
          new Column<>(EVENT_ROWS.ERRNO, row -> row.event.errno()),
          new Column<>(EVENT_ROWS.HANDSHAKE_NS, row -> Vocabulary.handshakeNanos(row.event)),
          new Column<>(EVENT_ROWS.PID, row -> row.event.pid()),
          new Column<>(EVENT_ROWS.TID, row -> row.event.tid()),
          new Column<>(EVENT_ROWS.PROCESS_REF, row -> row.processRef),
          new Column<>(EVENT_ROWS.CONTAINER_REF, row -> row.containerRef),
          new Column<>(
              EVENT_ROWS.ATTRIBUTION,
              row ->
                  EventCodes.attribution(
                      row.event.attribute(StandardAttributes.ATTRIBUTION_STATUS))),
          // The Rust Lanthorn's domain_name: what the connection's process resolved (probe-dns).
          new Column<>(EVENT_ROWS.DOMAIN_REF, row -> row.domainRef),
          new Column<>(
              EVENT_ROWS.ATTRIBUTES,
              row -> AttributesJson.except(row.event.attributes(), STORED_ATTRIBUTES)),
          // Threat feeds (enricher-threat): NULL when nothing checked; the entry that matched
          // stays in attributes as lanthorn.threat.indicator.
          new Column<>(
              EVENT_ROWS.IS_THREAT, row -> row.event.attribute(StandardAttributes.THREAT_MATCHED)),
          new Column<>(
              EVENT_ROWS.THREAT_SOURCE,
              row -> row.event.attribute(StandardAttributes.THREAT_SOURCE)),
          // The host that captured the event: a central agent's file holds several.
          new Column<>(EVENT_ROWS.HOST_NAME, row -> row.event.hostName()),
          new Column<>(EVENT_ROWS.EVENT_UID, row -> row.event.attribute(EVENT_ID)),
          new Column<>(
              EVENT_ROWS.DURATION_NS, row -> row.close == null ? null : row.close.durationNanos()),
          // A TCP row's bytes come with its close; a udp_send row's are its interval's payload.
          new Column<>(
              EVENT_ROWS.BYTES_SENT,
              row -> row.close == null ? row.bytesSent : (Long) row.close.bytesSent()),
          new Column<>(
              EVENT_ROWS.BYTES_RECEIVED,
              row -> row.close == null ? null : row.close.bytesReceived()),
          // Open (0) once established, until a close updates the row (CloseWriter); closed (1)
          // at once when the close came in the same batch as the opening (BatchWriter).
          new Column<>(
              EVENT_ROWS.CLOSED,
              row ->
                  (row.datagrams == null && row.event.outcome() == Outcome.ESTABLISHED)
                      ? row.close != null
                      : null),
          new Column<>(EVENT_ROWS.DATAGRAMS, row -> row.datagrams));

  /**
   * One event and what the writer worked out for its row: the addresses as text (for the summary
   * and rollups) and as stored, and the numbers of its process, container and domain facts. The
   * writer reuses one instance for every row.
   */
  static final class EventRow {
    ConnectionEvent event;
    String sourceAddress;
    String destinationAddress;
    Object sourceIp;
    Object destinationIp;
    String containerName;
    Long processRef;
    Long containerRef;
    Long domainRef;

    /** For a udp_send row: the datagrams it counts; {@code null} for TCP rows. */
    Long datagrams;

    /**
     * The close of this row's connection when it came in the same batch: the row is stored closed,
     * with its lifetime, instead of being updated later. {@code null} otherwise.
     */
    ConnectionCloseEvent close;

    /** For a udp_send row: their payload bytes; {@code null} for TCP rows (a close sets them). */
    Long bytesSent;
  }

  private EventColumns() {}

  /**
   * An accepted connection as the row it fills: the remote client as source, this host's service as
   * destination (the V10 migration documents it), established, with no handshake time.
   */
  static ConnectionEvent asRow(InboundAcceptEvent accept) {
    return new ConnectionEvent(
        accept.header(),
        accept.family(),
        accept.protocol(),
        accept.remoteAddress(),
        accept.remotePort(),
        accept.localAddress(),
        accept.localPort(),
        Outcome.ESTABLISHED,
        0,
        -1,
        accept.attributes());
  }

  /**
   * UDP datagrams to one destination as the row they fill (with {@link EventRow#datagrams} set by
   * the writer): source and destination as sent, no handshake.
   */
  static ConnectionEvent asRow(UdpFlowEvent udp) {
    return new ConnectionEvent(
        udp.header(),
        udp.family(),
        Protocol.UDP,
        udp.sourceAddress(),
        udp.sourcePort(),
        udp.destinationAddress(),
        udp.destinationPort(),
        Outcome.ESTABLISHED,
        0,
        -1,
        udp.attributes());
  }

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

  /** The outcome as stored, e.g. {@code refused}. */
  static String outcome(Outcome outcome) {
    return OUTCOMES.get(outcome);
  }

  /** The protocol as stored, e.g. {@code tcp}. */
  static String protocol(Protocol protocol) {
    return PROTOCOLS.get(protocol);
  }
}
