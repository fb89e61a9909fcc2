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
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fleet's wire format, version {@value #SCHEMA_VERSION}: one JSON object per event, named with
 * OpenTelemetry's vocabulary where it has a name ({@code host.name}, {@code client.address}, {@code
 * server.port}, {@code process.pid} …) and {@code lanthorn.*} where it has none. docs/fleet.md
 * lists every field. A reader refuses other versions instead of guessing; a new optional field
 * keeps the version, a changed or removed one raises it.
 *
 * <p>Thread-safe.
 */
public final class EventCodec {
  /** The schema version this build writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * The value of {@code event.name} for an outbound TCP connection attempt: the api's event kind
   * label (upstream's {@code events.event_type}).
   */
  public static final String KIND_CONNECTION_ATTEMPT = "tcp_connect";

  static final String SCHEMA = "lanthorn.schema";

  private final JsonFactory factory = new JsonFactory();
  private final ObjectMapper mapper = new ObjectMapper(factory);

  /**
   * Encodes an event captured on {@code host}. An event that already names its host (it came from
   * another agent) keeps that host and its id.
   */
  public byte[] encode(ConnectionEvent e, HostIdentity host) {
    String hostName = orElse(e.attribute(FleetAttributes.HOST_NAME), host.name());
    String hostId = orElse(e.attribute(FleetAttributes.HOST_ID), host.id());
    String eventId = orElse(e.attribute(FleetAttributes.EVENT_ID), EventId.of(hostId, e));
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeNumberField(SCHEMA, SCHEMA_VERSION);
      json.writeStringField("event.name", KIND_CONNECTION_ATTEMPT);
      json.writeStringField("event.id", eventId);
      json.writeStringField("host.name", hostName);
      json.writeStringField("host.id", hostId);
      json.writeNumberField("time_unix_nano", e.timestampNanos());
      json.writeNumberField("lanthorn.kernel_time_nanos", e.kernelTimeNanos());
      json.writeStringField("network.type", e.family() == AddressFamily.INET ? "ipv4" : "ipv6");
      json.writeStringField("network.transport", e.protocol().label());
      json.writeStringField("client.address", AddressText.of(e.sourceAddress()));
      json.writeNumberField("client.port", e.sourcePort());
      json.writeStringField("server.address", AddressText.of(e.destinationAddress()));
      json.writeNumberField("server.port", e.destinationPort());
      json.writeNumberField("process.pid", e.pid());
      json.writeNumberField("thread.id", e.tid());
      json.writeNumberField("process.real_user.id", Integer.toUnsignedLong(e.uid()));
      json.writeNumberField("process.real_group.id", Integer.toUnsignedLong(e.gid()));
      json.writeStringField("process.executable.name", e.comm());
      if (e.commandLine() != null) {
        json.writeStringField("process.command_line", e.commandLine());
      }
      json.writeNumberField("lanthorn.cgroup.id", e.cgroupId());
      if (e.cgroupName() != null) {
        json.writeStringField("lanthorn.cgroup.name", e.cgroupName());
      }
      json.writeStringField("lanthorn.connect.outcome", e.outcome().label());
      json.writeNumberField("lanthorn.connect.errno", e.errno());
      if (e.handshakeNanos() >= 0) { // absent while pending
        json.writeNumberField("lanthorn.connect.handshake_nanos", e.handshakeNanos());
      }
      json.writeObjectFieldStart("attributes");
      for (Map.Entry<AttributeKey<?>, Object> attribute : e.attributes().asMap().entrySet()) {
        AttributeKey<?> key = attribute.getKey();
        if (!key.equals(FleetAttributes.HOST_NAME)
            && !key.equals(FleetAttributes.HOST_ID)
            && !key.equals(FleetAttributes.EVENT_ID)) {
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

  /**
   * Decodes a message into the event it carries, with {@link FleetAttributes#HOST_NAME}, {@link
   * FleetAttributes#HOST_ID} and {@link FleetAttributes#EVENT_ID} set.
   *
   * @throws ForeignMessageException when the message is not an event this version reads
   */
  public ConnectionEvent decode(byte[] message) throws ForeignMessageException {
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
    String kind = text(root, "event.name");
    if (!KIND_CONNECTION_ATTEMPT.equals(kind)) {
      throw new ForeignMessageException("unsupported_kind", "event.name " + kind);
    }
    try {
      return decodeConnection(root);
    } catch (RuntimeException e) {
      throw new ForeignMessageException("invalid_event", String.valueOf(e.getMessage()));
    }
  }

  private static ConnectionEvent decodeConnection(JsonNode root) {
    Attributes.Builder attributes = Attributes.builder();
    JsonNode carried = root.path("attributes");
    for (Iterator<Map.Entry<String, JsonNode>> it = carried.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      putAttribute(attributes, field.getKey(), field.getValue());
    }
    attributes.put(FleetAttributes.HOST_NAME, required(root, "host.name"));
    attributes.put(FleetAttributes.HOST_ID, required(root, "host.id"));
    attributes.put(FleetAttributes.EVENT_ID, required(root, "event.id"));
    String networkType = required(root, "network.type");
    AddressFamily family =
        switch (networkType) {
          case "ipv4" -> AddressFamily.INET;
          case "ipv6" -> AddressFamily.INET6;
          default -> throw new IllegalArgumentException("network.type " + networkType);
        };
    String transport = required(root, "network.transport");
    if (!transport.equals(Protocol.TCP.label())) {
      throw new IllegalArgumentException("network.transport " + transport);
    }
    return ConnectionEvent.builder()
        .family(family)
        .protocol(Protocol.TCP)
        .sourceAddress(address(required(root, "client.address")))
        .sourcePort(integer(root, "client.port"))
        .destinationAddress(address(required(root, "server.address")))
        .destinationPort(integer(root, "server.port"))
        .timestampNanos(number(root, "time_unix_nano"))
        .kernelTimeNanos(number(root, "lanthorn.kernel_time_nanos"))
        .pid(integer(root, "process.pid"))
        .tid(integer(root, "thread.id"))
        .uid(unsignedId(root, "process.real_user.id"))
        .gid(unsignedId(root, "process.real_group.id"))
        .comm(required(root, "process.executable.name"))
        .commandLine(text(root, "process.command_line"))
        .cgroupId(number(root, "lanthorn.cgroup.id"))
        .cgroupName(text(root, "lanthorn.cgroup.name"))
        .outcome(Outcome.ofLabel(required(root, "lanthorn.connect.outcome")))
        .errno(integer(root, "lanthorn.connect.errno"))
        .handshakeNanos(
            root.has("lanthorn.connect.handshake_nanos")
                ? number(root, "lanthorn.connect.handshake_nanos")
                : -1)
        .attributes(attributes.build())
        .build();
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
