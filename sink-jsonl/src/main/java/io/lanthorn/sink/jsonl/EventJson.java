package io.lanthorn.sink.jsonl;

import static io.lanthorn.api.Vocabulary.*;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lanthorn.api.AddressText;
import io.lanthorn.api.AttributesJson;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.ThreatFeedEvent;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.api.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Encodes events as JSON lines in the api's {@link Vocabulary}: OpenTelemetry's field names where
 * they exist ({@code server.address}, {@code process.pid} …), every header field, the kind's own
 * fields, then {@code attributes} as {@link AttributesJson} writes them. Absent optional facts are
 * {@code null}, so every line of a kind has the same keys.
 */
final class EventJson {
  // No separator between root values: Jackson's default space would start every line but the
  // first with a blank.
  private final JsonFactory factory =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();
  private final Lines buffer = new Lines();

  /** Encodes a batch, one line per event; the result is valid until the next call. */
  Lines encode(List<? extends Event> batch) throws IOException {
    buffer.reset();
    try (JsonGenerator json = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
      for (Event event : batch) {
        write(json, event);
        json.writeRaw('\n');
      }
    }
    return buffer;
  }

  private static void write(JsonGenerator json, Event event) throws IOException {
    json.writeStartObject();
    writeHeader(json, event);
    switch (event) {
      case ConnectionEvent c -> {
        json.writeStringField(NETWORK_TYPE, networkType(c.family()));
        json.writeStringField(NETWORK_TRANSPORT, c.protocol().label());
        json.writeStringField(NETWORK_DIRECTION, Vocabulary.direction(false));
        address(json, CLIENT_ADDRESS, c.sourceAddress());
        json.writeNumberField(CLIENT_PORT, c.sourcePort());
        address(json, SERVER_ADDRESS, c.destinationAddress());
        json.writeNumberField(SERVER_PORT, c.destinationPort());
        json.writeStringField(CONNECT_OUTCOME, c.outcome().label());
        json.writeNumberField(CONNECT_ERRNO, c.errno());
        Long handshake = Vocabulary.handshakeNanos(c);
        if (handshake == null) {
          json.writeNullField(CONNECT_HANDSHAKE_NANOS);
        } else {
          json.writeNumberField(CONNECT_HANDSHAKE_NANOS, handshake);
        }
      }
      case InboundAcceptEvent a -> {
        json.writeStringField(NETWORK_TYPE, networkType(a.family()));
        json.writeStringField(NETWORK_TRANSPORT, a.protocol().label());
        json.writeStringField(NETWORK_DIRECTION, Vocabulary.direction(true));
        address(json, CLIENT_ADDRESS, a.remoteAddress());
        json.writeNumberField(CLIENT_PORT, a.remotePort());
        address(json, SERVER_ADDRESS, a.localAddress());
        json.writeNumberField(SERVER_PORT, a.localPort());
      }
      case UdpFlowEvent u -> {
        json.writeStringField(NETWORK_TYPE, networkType(u.family()));
        json.writeStringField(NETWORK_TRANSPORT, Protocol.UDP.label());
        json.writeStringField(NETWORK_DIRECTION, Vocabulary.direction(false));
        address(json, CLIENT_ADDRESS, u.sourceAddress());
        json.writeNumberField(CLIENT_PORT, u.sourcePort());
        address(json, SERVER_ADDRESS, u.destinationAddress());
        json.writeNumberField(SERVER_PORT, u.destinationPort());
        json.writeNumberField(UDP_DATAGRAMS, u.datagrams());
        json.writeNumberField(UDP_BYTES, u.bytes());
        json.writeNumberField(UDP_DURATION_NANOS, u.durationNanos());
      }
      case ConnectionCloseEvent c -> {
        // Client and server as for the event it closes: the peer is the client of an inbound one.
        json.writeStringField(NETWORK_TYPE, networkType(c.family()));
        json.writeStringField(NETWORK_TRANSPORT, c.protocol().label());
        json.writeStringField(NETWORK_DIRECTION, Vocabulary.direction(c.inbound()));
        address(json, CLIENT_ADDRESS, c.inbound() ? c.remoteAddress() : c.localAddress());
        json.writeNumberField(CLIENT_PORT, c.inbound() ? c.remotePort() : c.localPort());
        address(json, SERVER_ADDRESS, c.inbound() ? c.localAddress() : c.remoteAddress());
        json.writeNumberField(SERVER_PORT, c.inbound() ? c.localPort() : c.remotePort());
        json.writeNumberField(CLOSE_OPENED_KERNEL_TIME_NANOS, c.openedKernelTimeNanos());
        json.writeNumberField(CLOSE_DURATION_NANOS, c.durationNanos());
        json.writeNumberField(CLOSE_BYTES_SENT, c.bytesSent());
        json.writeNumberField(CLOSE_BYTES_RECEIVED, c.bytesReceived());
      }
      case DnsEvent d -> {
        json.writeStringField(NETWORK_TRANSPORT, d.transport().label());
        address(json, SERVER_ADDRESS, d.serverAddress());
        json.writeNumberField(SERVER_PORT, d.serverPort());
        json.writeStringField(DNS_QUESTION_NAME, d.questionName());
        json.writeStringField(DNS_QUESTION_TYPE, DnsEvent.typeName(d.questionType()));
        json.writeStringField(DNS_RESPONSE_CODE, DnsEvent.responseCodeName(d.responseCode()));
        json.writeArrayFieldStart(DNS_ANSWERS);
        for (InetAddress address : d.addresses()) {
          json.writeString(AddressText.of(address));
        }
        json.writeEndArray();
        json.writeArrayFieldStart(DNS_RECORDS);
        for (DnsAnswer answer : d.answers()) {
          json.writeStartObject();
          json.writeStringField("name", answer.name());
          json.writeStringField("type", DnsEvent.typeName(answer.type()));
          json.writeNumberField("ttl", answer.ttlSeconds());
          if (answer.address() != null) {
            address(json, "address", answer.address());
          }
          if (answer.canonicalName() != null) {
            json.writeStringField("canonical_name", answer.canonicalName());
          }
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      case ThreatFeedEvent f ->
          // JsonlSink.kinds() leaves feeds out; the pipeline hands it none.
          throw new IllegalArgumentException("a threat feed's version is not written as JSON");
    }
    json.writeFieldName(ATTRIBUTES);
    json.writeRawValue(AttributesJson.of(event.attributes()));
    json.writeEndObject();
  }

  private static void writeHeader(JsonGenerator json, Event event) throws IOException {
    EventHeader h = event.header();
    json.writeStringField(TIME, timeText(h.timestampNanos()));
    json.writeNumberField(TIME_UNIX_NANO, h.timestampNanos());
    json.writeNumberField(KERNEL_TIME_NANOS, h.kernelTimeNanos());
    json.writeStringField(EVENT_NAME, event.kind().label());
    json.writeStringField(HOST_NAME, h.hostName());
    json.writeNumberField(PROCESS_PID, h.pid());
    json.writeNumberField(THREAD_ID, h.tid());
    json.writeNumberField(PROCESS_REAL_USER_ID, unsignedId(h.uid()));
    json.writeNumberField(PROCESS_REAL_GROUP_ID, unsignedId(h.gid()));
    json.writeStringField(PROCESS_EXECUTABLE_NAME, h.comm());
    json.writeStringField(PROCESS_COMMAND_LINE, h.commandLine());
    json.writeNumberField(CGROUP_ID, h.cgroupId());
    json.writeStringField(CGROUP_NAME, h.cgroupName());
  }

  private static void address(JsonGenerator json, String field, InetAddress address)
      throws IOException {
    json.writeStringField(field, AddressText.of(address));
  }

  /** The encoded lines; reused from batch to batch, so the array is not copied. */
  static final class Lines extends ByteArrayOutputStream {
    Lines() {
      super(64 * 1024);
    }

    /** The backing array; the first {@link #size()} bytes are the lines. */
    byte[] array() {
      return buf;
    }
  }
}
