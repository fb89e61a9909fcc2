package io.lanthorn.fleet.schema;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * none). docs/fleet.md lists every field. A reader refuses other versions instead of guessing; a
 * new optional field or a new kind keeps the version, a changed or removed field raises it.
 *
 * <p>Thread-safe.
 */
public final class EventCodec {
  /** The schema version this build writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  /** The kinds this version carries ({@code event.name} is the kind's label). */
  public static final Set<EventKind> KINDS = Set.of(EventKind.TCP_CONNECT, EventKind.DNS_ANSWER);

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
        case InboundAcceptEvent a -> throw unsupported(a);
        case UdpFlowEvent u -> throw unsupported(u);
        case ConnectionCloseEvent c -> throw unsupported(c);
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

  private static void writeConnection(JsonGenerator json, ConnectionEvent c) throws IOException {
    json.writeStringField(Vocabulary.NETWORK_TYPE, Vocabulary.networkType(c.family()));
    json.writeStringField(Vocabulary.NETWORK_TRANSPORT, c.protocol().label());
    json.writeStringField(Vocabulary.CLIENT_ADDRESS, AddressText.of(c.sourceAddress()));
    json.writeNumberField(Vocabulary.CLIENT_PORT, c.sourcePort());
    json.writeStringField(Vocabulary.SERVER_ADDRESS, AddressText.of(c.destinationAddress()));
    json.writeNumberField(Vocabulary.SERVER_PORT, c.destinationPort());
    json.writeStringField(Vocabulary.CONNECT_OUTCOME, c.outcome().label());
    json.writeNumberField(Vocabulary.CONNECT_ERRNO, c.errno());
    if (c.handshakeNanos() >= 0) { // absent while pending
      json.writeNumberField(Vocabulary.CONNECT_HANDSHAKE_NANOS, c.handshakeNanos());
    }
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
    if (version != SCHEMA_VERSION) {
      throw new ForeignMessageException(
          "unsupported_version",
          "schema version " + version + ", this build reads " + SCHEMA_VERSION);
    }
    String kind = text(root, Vocabulary.EVENT_NAME);
    boolean connection = EventKind.TCP_CONNECT.label().equals(kind);
    if (!connection && !EventKind.DNS_ANSWER.label().equals(kind)) {
      throw new ForeignMessageException("unsupported_kind", Vocabulary.EVENT_NAME + " " + kind);
    }
    try {
      EventHeader header = header(root);
      Attributes attributes = attributes(root);
      return connection ? connection(root, header, attributes) : dns(root, header, attributes);
    } catch (RuntimeException e) {
      throw new ForeignMessageException("invalid_event", String.valueOf(e.getMessage()));
    }
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
      JsonNode root, EventHeader header, Attributes attributes) {
    String transport = required(root, Vocabulary.NETWORK_TRANSPORT);
    if (!transport.equals(Protocol.TCP.label())) {
      throw new IllegalArgumentException(Vocabulary.NETWORK_TRANSPORT + " " + transport);
    }
    return ConnectionEvent.builder()
        .header(header)
        .family(Vocabulary.ofNetworkType(required(root, Vocabulary.NETWORK_TYPE)))
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
        switch (transport) {
          case "udp" -> Protocol.UDP;
          case "tcp" -> Protocol.TCP;
          default ->
              throw new IllegalArgumentException(Vocabulary.NETWORK_TRANSPORT + " " + transport);
        },
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
