package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.DNS_EVENTS;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How a {@link DnsRow} fills a row of {@code dns_events}: one entry per column. */
final class DnsEventColumns {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static final List<Column<DnsRow, ?>> ALL =
      List.of(
          new Column<>(DNS_EVENTS.TIMESTAMP, row -> time(row.timestampNanos())),
          new Column<>(DNS_EVENTS.TIMESTAMP_NS, DnsRow::timestampNanos),
          new Column<>(DNS_EVENTS.DOMAIN, DnsRow::domain),
          new Column<>(DNS_EVENTS.QUERY_TYPE, DnsRow::queryType),
          new Column<>(DNS_EVENTS.RESPONSE_CODE, DnsRow::responseCode),
          new Column<>(DNS_EVENTS.RESOLVED_IP, DnsRow::resolvedIp),
          new Column<>(DNS_EVENTS.ANSWERS, row -> json(row.answers())),
          new Column<>(DNS_EVENTS.SERVER_ADDR, DnsRow::serverAddress),
          new Column<>(DNS_EVENTS.TRANSPORT, DnsRow::transport),
          new Column<>(DNS_EVENTS.PID, DnsRow::pid),
          new Column<>(DNS_EVENTS.TID, DnsRow::tid),
          new Column<>(DNS_EVENTS.PROCESS_NAME, DnsRow::processName),
          new Column<>(DNS_EVENTS.CGROUP_ID, DnsRow::cgroupId),
          new Column<>(DNS_EVENTS.CONTAINER_ID, DnsRow::containerId),
          new Column<>(DNS_EVENTS.CONTAINER_NAME, DnsRow::containerName),
          new Column<>(DNS_EVENTS.IMAGE_NAME, DnsRow::imageName),
          new Column<>(DNS_EVENTS.ATTRIBUTION_STATUS, DnsRow::attributionStatus),
          new Column<>(DNS_EVENTS.IS_THREAT, DnsRow::isThreat),
          new Column<>(DNS_EVENTS.THREAT_SOURCE, DnsRow::threatSource),
          new Column<>(DNS_EVENTS.THREAT_INDICATOR, DnsRow::threatIndicator),
          new Column<>(DNS_EVENTS.HOST_NAME, DnsRow::hostName),
          new Column<>(DNS_EVENTS.EVENT_UID, DnsRow::eventUid));

  private DnsEventColumns() {}

  static String time(long epochNanos) {
    return TIME.format(
        Instant.ofEpochSecond(
            Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)));
  }

  static String json(List<String> values) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (String value : values) {
        json.writeString(value);
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }
}
