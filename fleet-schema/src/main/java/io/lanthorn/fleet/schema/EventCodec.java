package io.lanthorn.fleet.schema;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AddressText;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.ThreatFeedEvent;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.api.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet's wire format, version {@value #SCHEMA_VERSION}: one JSON object per event, named with
 * the api's {@link Vocabulary} (OpenTelemetry where it has a name: {@code host.name}, {@code
 * client.address}, {@code server.port}, {@code process.pid} …; {@code lanthorn.*} where it has
 * none), the names sink-jsonl writes. docs/fleet.md lists every field.
 *
 * <p>Version 2 carries every kind a host captures ({@link #KINDS}); version 1 carried {@code
 * tcp_connect} and {@code dns_answer} only, and this build still reads it. A reader refuses other
 * versions instead of guessing. A new optional field keeps the version; a new kind, or a changed or
 * removed field, raises it, so that a collector too old for a message says so ({@code
 * unsupported_version}) rather than skipping it as an unknown kind.
 *
 * <p>Thread-safe.
 */
public final class EventCodec {
  /** The schema version this build writes. */
  public static final int SCHEMA_VERSION = 2;

  /** The oldest version this build reads. */
  public static final int OLDEST_READ_VERSION = 1;

  /**
   * The kinds this version carries ({@code event.name} is the kind's label): all but {@link
   * EventKind#THREAT_FEED}, the agent's report of its own feed refresh, which stays on its host
   * (docs/fleet.md says why).
   */
  public static final Set<EventKind> KINDS =
      Set.of(
          EventKind.TCP_CONNECT,
          EventKind.TCP_ACCEPT,
          EventKind.UDP_SEND,
          EventKind.TCP_CLOSE,
          EventKind.DNS_ANSWER);

  /** The kinds version 1 carried. */
  static final Set<EventKind> KINDS_V1 = Set.of(EventKind.TCP_CONNECT, EventKind.DNS_ANSWER);

  static final String SCHEMA = "lanthorn.schema";

  private final JsonFactory factory = new JsonFactory();
  private final ObjectMapper mapper = new ObjectMapper(factory);

  /**
   * Encodes an event. Its host is the header's ({@link EventHeader#hostName()}, the agent's {@code
   * --host-name}); {@code hostId} is the capturing host's stable id. An event that came from
   * another agent keeps that agent's id and event id.
   *
   * @throws IllegalArgumentException for a kind outside {@link #KINDS}, or without a host name
   */
  public byte[] encode(Event e, String hostId) {
    if (e.hostName() == null) {
      throw new IllegalArgumentException("the event has no host name in its header");
    }
    String id = orElse(e.attribute(FleetAttributes.HOST_ID), hostId);
    String eventId = orElse(e.attribute(FleetAttributes.EVENT_ID), EventId.of(id, e));
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeNumberField(SCHEMA, SCHEMA_VERSION);
      json.writeStringField(Vocabulary.EVENT_NAME, e.kind().label());
      json.writeStringField("event.id", eventId);
      json.writeStringField(Vocabulary.HOST_NAME, e.hostName());
      json.writeStringField("host.id", id);
      writeHeader(json, e.header());
      switch (e) {
        case ConnectionEvent c -> writeConnection(json, c);
        case DnsEvent d -> writeDns(json, d);
        case InboundAcceptEvent a -> writeAccept(json, a);
        case UdpFlowEvent u -> writeUdp(json, u);
        case ConnectionCloseEvent c -> writeClose(json, c);
        case ThreatFeedEvent f -> throw unsupported(f);
      }
      json.writeObjectFieldStart(Vocabulary.ATTRIBUTES);
      for (Map.Entry<AttributeKey<?>, Object> attribute : e.attributes().asMap().entrySet()) {
        AttributeKey<?> key = attribute.getKey();
        if (!key.equals(FleetAttributes.HOST_ID) && !key.equals(FleetAttributes.EVENT_ID)) {
          json.writeFieldName(key.name());
          writeValue(json, key, attribute.getValue());
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible); // writes to memory
    }
    return out.toByteArray();
  }

  private static IllegalArgumentException unsupported(Event e) {
    return new IllegalArgumentException(
        "schema " + SCHEMA_VERSION + " does not carry " + e.kind().label() + " events");
  }

  private static void writeHeader(JsonGenerator json, EventHeader h) throws IOException {
    json.writeNumberField(Vocabulary.TIME_UNIX_NANO, h.timestampNanos());
    json.writeNumberField(Vocabulary.KERNEL_TIME_NANOS, h.kernelTimeNanos());
    json.writeNumberField(Vocabulary.PROCESS_PID, h.pid());
    json.writeNumberField(Vocabulary.THREAD_ID, h.tid());
    json.writeNumberField(Vocabulary.PROCESS_REAL_USER_ID, Vocabulary.unsignedId(h.uid()));
    json.writeNumberField(Vocabulary.PROCESS_REAL_GROUP_ID, Vocabulary.unsignedId(h.gid()));
    json.writeStringField(Vocabulary.PROCESS_EXECUTABLE_NAME, h.comm());
    if (h.commandLine() != null) {
      json.writeStringField(Vocabulary.PROCESS_COMMAND_LINE, h.commandLine());
    }
    json.writeNumberField(Vocabulary.CGROUP_ID, h.cgroupId());
    if (h.cgroupName() != null) {
      json.writeStringField(Vocabulary.CGROUP_NAME, h.cgroupName());
    }
  }

  /**
   * The two ends of a connection or flow as sink-jsonl writes them: the client is the end that
   * opened it (this host for outbound, the peer for inbound).
   */
  private static void writeEnds(
      JsonGenerator json,
      AddressFamily family,
      Protocol transport,
      boolean inbound,
      InetAddress client,
      int clientPort,
      InetAddress server,
      int serverPort)
      throws IOException {
    json.writeStringField(Vocabulary.NETWORK_TYPE, Vocabulary.networkType(family));
    json.writeStringField(Vocabulary.NETWORK_TRANSPORT, transport.label());
    json.writeStringField(Vocabulary.NETWORK_DIRECTION, Vocabulary.direction(inbound));
    json.writeStringField(Vocabulary.CLIENT_ADDRESS, AddressText.of(client));
    json.writeNumberField(Vocabulary.CLIENT_PORT, clientPort);
    json.writeStringField(Vocabulary.SERVER_ADDRESS, AddressText.of(server));
    json.writeNumberField(Vocabulary.SERVER_PORT, serverPort);
  }

  private static void writeConnection(JsonGenerator json, ConnectionEvent c) throws IOException {
    writeEnds(
        json,
        c.family(),
        c.protocol(),
        false,
        c.sourceAddress(),
        c.sourcePort(),
        c.destinationAddress(),
        c.destinationPort());
    json.writeStringField(Vocabulary.CONNECT_OUTCOME, c.outcome().label());
    json.writeNumberField(Vocabulary.CONNECT_ERRNO, c.errno());
    if (c.handshakeNanos() >= 0) { // absent while pending
      json.writeNumberField(Vocabulary.CONNECT_HANDSHAKE_NANOS, c.handshakeNanos());
    }
  }

  private static void writeAccept(JsonGenerator json, InboundAcceptEvent a) throws IOException {
    writeEnds(
        json,
        a.family(),
        a.protocol(),
        true,
        a.remoteAddress(),
        a.remotePort(),
        a.localAddress(),
        a.localPort());
  }

  private static void writeUdp(JsonGenerator json, UdpFlowEvent u) throws IOException {
    writeEnds(
        json,
        u.family(),
        Protocol.UDP,
        false,
        u.sourceAddress(),
        u.sourcePort(),
        u.destinationAddress(),
        u.destinationPort());
    json.writeNumberField(Vocabulary.UDP_DATAGRAMS, u.datagrams());
    json.writeNumberField(Vocabulary.UDP_BYTES, u.bytes());
    json.writeNumberField(Vocabulary.UDP_DURATION_NANOS, u.durationNanos());
  }

  // Client and server as for the event it closes: the peer is the client of an inbound one.
  private static void writeClose(JsonGenerator json, ConnectionCloseEvent c) throws IOException {
    boolean in = c.inbound();
    writeEnds(
        json,
        c.family(),
        Protocol.TCP,
        in,
        in ? c.remoteAddress() : c.localAddress(),
        in ? c.remotePort() : c.localPort(),
        in ? c.localAddress() : c.remoteAddress(),
        in ? c.localPort() : c.remotePort());
    json.writeNumberField(Vocabulary.CLOSE_OPENED_KERNEL_TIME_NANOS, c.openedKernelTimeNanos());
    json.writeNumberField(Vocabulary.CLOSE_DURATION_NANOS, c.durationNanos());
    json.writeNumberField(Vocabulary.CLOSE_BYTES_SENT, c.bytesSent());
    json.writeNumberField(Vocabulary.CLOSE_BYTES_RECEIVED, c.bytesReceived());
  }

  // Types and response codes as numbers (lossless); the JSON lines sink shows their mnemonics.
  private static void writeDns(JsonGenerator json, DnsEvent d) throws IOException {
    json.writeStringField(Vocabulary.NETWORK_TRANSPORT, d.transport().label());
    json.writeStringField(Vocabulary.SERVER_ADDRESS, AddressText.of(d.serverAddress()));
    json.writeNumberField(Vocabulary.SERVER_PORT, d.serverPort());
    json.writeStringField(Vocabulary.DNS_QUESTION_NAME, d.questionName());
    json.writeNumberField(Vocabulary.DNS_QUESTION_TYPE, d.questionType());
    json.writeNumberField(Vocabulary.DNS_RESPONSE_CODE, d.responseCode());
    json.writeArrayFieldStart(Vocabulary.DNS_RECORDS);
    for (DnsAnswer answer : d.answers()) {
      json.writeStartObject();
      json.writeStringField("name", answer.name());
      json.writeNumberField("type", answer.type());
      json.writeNumberField("ttl", answer.ttlSeconds());
      if (answer.address() != null) {
        json.writeStringField("address", AddressText.of(answer.address()));
      }
      if (answer.canonicalName() != null) {
        json.writeStringField("canonical_name", answer.canonicalName());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /**
   * Decodes a message into the event it carries: its header names the capturing host, its
   * attributes hold {@link FleetAttributes#HOST_ID} and {@link FleetAttributes#EVENT_ID}.
   *
   * @throws ForeignMessageException when the message is not an event this version reads
   */
  public Event decode(byte[] message) throws ForeignMessageException {
    JsonNode root;
    try {
      root = message == null ? null : mapper.readTree(message);
    } catch (JsonProcessingException e) {
      throw new ForeignMessageException("not_json", e.getOriginalMessage());
    } catch (IOException e) {
      throw new ForeignMessageException("not_json", String.valueOf(e.getMessage()));
    }
    if (root == null || !root.isObject() || !root.path(SCHEMA).isInt()) {
      throw new ForeignMessageException("not_lanthorn", "no integer " + SCHEMA + " field");
    }
    int version = root.get(SCHEMA).intValue();
    if (version < OLDEST_READ_VERSION || version > SCHEMA_VERSION) {
      throw new ForeignMessageException(
          "unsupported_version",
          "schema version "
              + version
              + ", this build reads "
              + OLDEST_READ_VERSION
              + " to "
              + SCHEMA_VERSION);
    }
    EventKind kind = kind(root, version);
    try {
      EventHeader header = header(root);
      Attributes attributes = attributes(root);
      return switch (kind) {
        case TCP_CONNECT -> connection(root, header, attributes, version);
        case TCP_ACCEPT -> accept(root, header, attributes);
        case UDP_SEND -> udp(root, header, attributes);
        case TCP_CLOSE -> close(root, header, attributes);
        case DNS_ANSWER -> dns(root, header, attributes);
        case THREAT_FEED -> throw new IllegalStateException("not a carried kind: " + kind);
      };
    } catch (RuntimeException e) {
      throw new ForeignMessageException("invalid_event", String.valueOf(e.getMessage()));
    }
  }

  /** The message's kind, if its version carries it. */
  private static EventKind kind(JsonNode root, int version) throws ForeignMessageException {
    String label = text(root, Vocabulary.EVENT_NAME);
    EventKind kind = null;
    for (EventKind carried : version == 1 ? KINDS_V1 : KINDS) {
      if (carried.label().equals(label)) {
        kind = carried;
      }
    }
    if (kind == null) {
      throw new ForeignMessageException(
          "unsupported_kind",
          Vocabulary.EVENT_NAME + " " + label + " in schema version " + version);
    }
    return kind;
  }

  private static EventHeader header(JsonNode root) {
    return EventHeader.builder()
        .timestampNanos(number(root, Vocabulary.TIME_UNIX_NANO))
        .kernelTimeNanos(number(root, Vocabulary.KERNEL_TIME_NANOS))
        .pid(integer(root, Vocabulary.PROCESS_PID))
        .tid(integer(root, Vocabulary.THREAD_ID))
        .uid(unsignedId(root, Vocabulary.PROCESS_REAL_USER_ID))
        .gid(unsignedId(root, Vocabulary.PROCESS_REAL_GROUP_ID))
        .comm(required(root, Vocabulary.PROCESS_EXECUTABLE_NAME))
        .commandLine(text(root, Vocabulary.PROCESS_COMMAND_LINE))
        .cgroupId(number(root, Vocabulary.CGROUP_ID))
        .cgroupName(text(root, Vocabulary.CGROUP_NAME))
        .hostName(required(root, Vocabulary.HOST_NAME))
        .build();
  }

  private static Attributes attributes(JsonNode root) {
    Attributes.Builder attributes = Attributes.builder();
    JsonNode carried = root.path(Vocabulary.ATTRIBUTES);
    for (Iterator<Map.Entry<String, JsonNode>> it = carried.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      putAttribute(attributes, field.getKey(), field.getValue());
    }
    attributes.put(FleetAttributes.HOST_ID, required(root, "host.id"));
    attributes.put(FleetAttributes.EVENT_ID, required(root, "event.id"));
    return attributes.build();
  }

  private static ConnectionEvent connection(
      JsonNode root, EventHeader header, Attributes attributes, int version) {
    transport(root, Protocol.TCP);
    direction(root, false, version == 1);
    return ConnectionEvent.builder()
        .header(header)
        .family(family(root))
        .protocol(Protocol.TCP)
        .sourceAddress(address(required(root, Vocabulary.CLIENT_ADDRESS)))
        .sourcePort(integer(root, Vocabulary.CLIENT_PORT))
        .destinationAddress(address(required(root, Vocabulary.SERVER_ADDRESS)))
        .destinationPort(integer(root, Vocabulary.SERVER_PORT))
        .outcome(Outcome.ofLabel(required(root, Vocabulary.CONNECT_OUTCOME)))
        .errno(integer(root, Vocabulary.CONNECT_ERRNO))
        .handshakeNanos(
            root.has(Vocabulary.CONNECT_HANDSHAKE_NANOS)
                ? number(root, Vocabulary.CONNECT_HANDSHAKE_NANOS)
                : -1)
        .attributes(attributes)
        .build();
  }

  private static InboundAcceptEvent accept(
      JsonNode root, EventHeader header, Attributes attributes) {
    direction(root, true, false);
    return new InboundAcceptEvent(
        header,
        family(root),
        protocol(required(root, Vocabulary.NETWORK_TRANSPORT)),
        address(required(root, Vocabulary.SERVER_ADDRESS)),
        integer(root, Vocabulary.SERVER_PORT),
        address(required(root, Vocabulary.CLIENT_ADDRESS)),
        integer(root, Vocabulary.CLIENT_PORT),
        attributes);
  }

  private static UdpFlowEvent udp(JsonNode root, EventHeader header, Attributes attributes) {
    transport(root, Protocol.UDP);
    direction(root, false, false);
    return new UdpFlowEvent(
        header,
        family(root),
        address(required(root, Vocabulary.CLIENT_ADDRESS)),
        integer(root, Vocabulary.CLIENT_PORT),
        address(required(root, Vocabulary.SERVER_ADDRESS)),
        integer(root, Vocabulary.SERVER_PORT),
        number(root, Vocabulary.UDP_DATAGRAMS),
        number(root, Vocabulary.UDP_BYTES),
        number(root, Vocabulary.UDP_DURATION_NANOS),
        attributes);
  }

  private static ConnectionCloseEvent close(
      JsonNode root, EventHeader header, Attributes attributes) {
    transport(root, Protocol.TCP);
    String direction = required(root, Vocabulary.NETWORK_DIRECTION);
    boolean in = direction.equals(Vocabulary.direction(true));
    direction(root, in, false);
    InetAddress client = address(required(root, Vocabulary.CLIENT_ADDRESS));
    int clientPort = integer(root, Vocabulary.CLIENT_PORT);
    InetAddress server = address(required(root, Vocabulary.SERVER_ADDRESS));
    int serverPort = integer(root, Vocabulary.SERVER_PORT);
    return new ConnectionCloseEvent(
        header,
        family(root),
        in,
        in ? server : client,
        in ? serverPort : clientPort,
        in ? client : server,
        in ? clientPort : serverPort,
        number(root, Vocabulary.CLOSE_OPENED_KERNEL_TIME_NANOS),
        number(root, Vocabulary.CLOSE_DURATION_NANOS),
        number(root, Vocabulary.CLOSE_BYTES_SENT),
        number(root, Vocabulary.CLOSE_BYTES_RECEIVED),
        attributes);
  }

  private static AddressFamily family(JsonNode root) {
    return Vocabulary.ofNetworkType(required(root, Vocabulary.NETWORK_TYPE));
  }

  private static void transport(JsonNode root, Protocol expected) {
    String transport = required(root, Vocabulary.NETWORK_TRANSPORT);
    if (!transport.equals(expected.label())) {
      throw new IllegalArgumentException(Vocabulary.NETWORK_TRANSPORT + " " + transport);
    }
  }

  /**
   * Checks {@code lanthorn.network.direction}: present since version 2 and then the kind's; a
   * version 1 message has none ({@code optional}).
   */
  private static void direction(JsonNode root, boolean inbound, boolean optional) {
    String direction = text(root, Vocabulary.NETWORK_DIRECTION);
    if (direction == null && optional) {
      return;
    }
    if (!Vocabulary.direction(inbound).equals(direction)) {
      throw new IllegalArgumentException(Vocabulary.NETWORK_DIRECTION + " " + direction);
    }
  }

  private static Protocol protocol(String transport) {
    return switch (transport) {
      case "udp" -> Protocol.UDP;
      case "tcp" -> Protocol.TCP;
      default -> throw new IllegalArgumentException(Vocabulary.NETWORK_TRANSPORT + " " + transport);
    };
  }

  private static DnsEvent dns(JsonNode root, EventHeader header, Attributes attributes) {
    List<DnsAnswer> answers = new ArrayList<>();
    JsonNode records = root.path(Vocabulary.DNS_RECORDS);
    if (!records.isArray()) {
      throw new IllegalArgumentException("missing array field " + Vocabulary.DNS_RECORDS);
    }
    for (JsonNode record : records) {
      answers.add(
          new DnsAnswer(
              required(record, "name"),
              integer(record, "type"),
              number(record, "ttl"),
              record.has("address") ? address(required(record, "address")) : null,
              text(record, "canonical_name")));
    }
    String transport = required(root, Vocabulary.NETWORK_TRANSPORT);
    return new DnsEvent(
        header,
        required(root, Vocabulary.DNS_QUESTION_NAME),
        integer(root, Vocabulary.DNS_QUESTION_TYPE),
        integer(root, Vocabulary.DNS_RESPONSE_CODE),
        answers,
        address(required(root, Vocabulary.SERVER_ADDRESS)),
        integer(root, Vocabulary.SERVER_PORT),
        protocol(transport),
        attributes);
  }

  private static void putAttribute(Attributes.Builder attributes, String name, JsonNode value) {
    if (value.isTextual()) {
      attributes.put(AttributeKey.stringKey(name), value.textValue());
    } else if (value.isIntegralNumber()) {
      attributes.put(AttributeKey.longKey(name), value.longValue());
    } else if (value.isFloatingPointNumber()) {
      attributes.put(AttributeKey.doubleKey(name), value.doubleValue());
    } else if (value.isBoolean()) {
      attributes.put(AttributeKey.booleanKey(name), value.booleanValue());
    } else if (value.isObject()) {
      Map<String, String> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        if (!entry.getValue().isTextual()) {
          throw new IllegalArgumentException("attribute " + name + " holds a non-string value");
        }
        map.put(entry.getKey(), entry.getValue().textValue());
      }
      attributes.put(AttributeKey.stringMapKey(name), map);
    } else {
      throw new IllegalArgumentException("attribute " + name + " has an unsupported type");
    }
  }

  private static void writeValue(JsonGenerator json, AttributeKey<?> key, Object value)
      throws IOException {
    switch (key.type()) {
      case STRING -> json.writeString((String) value);
      case LONG -> json.writeNumber((Long) value);
      case DOUBLE -> json.writeNumber((Double) value);
      case BOOLEAN -> json.writeBoolean((Boolean) value);
      case STRING_MAP -> {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          json.writeStringField((String) entry.getKey(), (String) entry.getValue());
        }
        json.writeEndObject();
      }
    }
  }

  private static InetAddress address(String text) {
    return InetAddress.ofLiteral(text); // a literal only: never a name lookup
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String required(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException("missing text field " + field);
    }
    return node.textValue();
  }

  private static long number(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.canConvertToLong() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException("missing integer field " + field);
    }
    return node.longValue();
  }

  private static int unsignedId(JsonNode root, String field) {
    long value = number(root, field);
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(field + " out of range: " + value);
    }
    return (int) value;
  }

  private static int integer(JsonNode root, String field) {
    long value = number(root, field);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(field + " out of range: " + value);
    }
    return (int) value;
  }
}
