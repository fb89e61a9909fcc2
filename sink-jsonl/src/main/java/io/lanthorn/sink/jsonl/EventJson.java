package io.lanthorn.sink.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lanthorn.api.AddressText;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes events as JSON lines: every field of the event under a snake_case name, then {@code
 * attributes}, an object keyed by attribute name whose values keep their {@link
 * io.lanthorn.api.AttributeType} (strings, numbers, booleans, objects of strings). Absent optional
 * facts are {@code null}, so every line has the same keys.
 */
final class EventJson {
  // No separator between root values: Jackson's default space would start every line but the
  // first with a blank.
  private final JsonFactory factory =
      new JsonFactoryBuilder().rootValueSeparator((String) null).build();
  private final Lines buffer = new Lines();

  /** Encodes a batch, one line per event; the result is valid until the next call. */
  Lines encode(List<ConnectionEvent> batch) throws IOException {
    buffer.reset();
    try (JsonGenerator json = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
      for (ConnectionEvent event : batch) {
        write(json, event);
        json.writeRaw('\n');
      }
    }
    return buffer;
  }

  private static void write(JsonGenerator json, ConnectionEvent e) throws IOException {
    json.writeStartObject();
    json.writeStringField("time", Instant.ofEpochSecond(0, e.timestampNanos()).toString());
    json.writeNumberField("timestamp_nanos", e.timestampNanos());
    json.writeNumberField("kernel_time_nanos", e.kernelTimeNanos());
    json.writeStringField("family", e.family().name().toLowerCase(Locale.ROOT));
    json.writeStringField("protocol", e.protocol().label());
    json.writeStringField("source_address", AddressText.of(e.sourceAddress()));
    json.writeNumberField("source_port", e.sourcePort());
    json.writeStringField("destination_address", AddressText.of(e.destinationAddress()));
    json.writeNumberField("destination_port", e.destinationPort());
    json.writeNumberField("pid", e.pid());
    json.writeNumberField("tid", e.tid());
    json.writeNumberField("uid", e.uid());
    json.writeNumberField("gid", e.gid());
    json.writeStringField("comm", e.comm());
    json.writeStringField("command_line", e.commandLine());
    json.writeNumberField("cgroup_id", e.cgroupId());
    json.writeStringField("cgroup_name", e.cgroupName());
    json.writeStringField("outcome", e.outcome().label());
    json.writeNumberField("errno", e.errno());
    json.writeNumberField("handshake_nanos", e.handshakeNanos());
    json.writeObjectFieldStart("attributes");
    for (Map.Entry<AttributeKey<?>, Object> attribute : e.attributes().asMap().entrySet()) {
      json.writeFieldName(attribute.getKey().name());
      writeValue(json, attribute.getKey(), attribute.getValue());
    }
    json.writeEndObject();
    json.writeEndObject();
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
