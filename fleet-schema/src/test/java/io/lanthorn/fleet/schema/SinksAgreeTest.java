package io.lanthorn.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.Sink;
import io.lanthorn.api.Vocabulary;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.jsonl.JsonlSinkFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet schema and sink-jsonl write the same event with the same names and values, kind by
 * kind: one vocabulary (the api's). The differences are few and listed here: the fleet's own
 * fields, the fields sink-jsonl derives for people, DNS numbers the fleet keeps lossless, and
 * absent optional fields (sink-jsonl writes them as {@code null}).
 */
class SinksAgreeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Only on the wire: the version, the stable id and the host's id. */
  private static final Set<String> FLEET_ONLY = Set.of("lanthorn.schema", "event.id", "host.id");

  /** Only in JSON lines: derived from other fields ({@code time_unix_nano}, the records). */
  private static final Set<String> JSONL_ONLY = Set.of(Vocabulary.TIME, Vocabulary.DNS_ANSWERS);

  @TempDir Path dir;

  @Test
  void everyKindHasSinkJsonlsFieldsAndValues() throws Exception {
    List<Event> events = FleetEvents.everyKind();
    Path lines = dir.resolve("events.jsonl");
    try (Sink jsonl =
        new JsonlSinkFactory()
            .create(TestPluginContext.forPlugin("sink-jsonl").with("path = \"" + lines + "\""))) {
      assertThat(jsonl.kinds()).containsAll(EventCodec.KINDS);
      jsonl.write(events);
    }
    List<String> written = Files.readAllLines(lines);
    assertThat(written).hasSameSizeAs(events);
    EventCodec codec = new EventCodec();

    for (int i = 0; i < events.size(); i++) {
      JsonNode line = JSON.readTree(written.get(i));
      JsonNode wire = JSON.readTree(codec.encode(events.get(i), "id"));
      String kind = events.get(i).kind().label() + " " + i;

      for (Map.Entry<String, JsonNode> field : wire.properties()) {
        String name = field.getKey();
        if (FLEET_ONLY.contains(name)) {
          continue;
        }
        assertThat(line.has(name)).as("%s: sink-jsonl writes %s", kind, name).isTrue();
        assertThat(jsonlValue(name, field.getValue()))
            .as("%s: %s", kind, name)
            .isEqualTo(line.get(name));
      }
      for (Map.Entry<String, JsonNode> field : line.properties()) {
        String name = field.getKey();
        if (!JSONL_ONLY.contains(name) && !field.getValue().isNull()) {
          assertThat(wire.has(name)).as("%s: the fleet carries %s", kind, name).isTrue();
        }
      }
    }
  }

  /** The fleet's value as sink-jsonl writes it: DNS types and codes as mnemonics. */
  private static JsonNode jsonlValue(String name, JsonNode value) {
    return switch (name) {
      case Vocabulary.DNS_QUESTION_TYPE -> JSON.valueToTree(DnsEvent.typeName(value.intValue()));
      case Vocabulary.DNS_RESPONSE_CODE ->
          JSON.valueToTree(DnsEvent.responseCodeName(value.intValue()));
      case Vocabulary.DNS_RECORDS -> {
        JsonNode records = value.deepCopy();
        for (JsonNode record : records) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) record)
              .put("type", DnsEvent.typeName(record.get("type").intValue()));
        }
        yield records;
      }
      default -> value;
    };
  }
}
