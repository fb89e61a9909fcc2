package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What enricher-threat's attributes become: upstream's {@code events.is_threat} and {@code
 * threat_source}, the same on {@code dns_events} (V9), and {@code lanthorn query threats}.
 */
class ThreatColumnsTest {
  private static final Instant NOW = TestEvents.NOW;

  @TempDir Path dir;

  private static Event flagged(Event event, String feed, String indicator) {
    return event.withAttributes(
        event.attributes().toBuilder()
            .put(StandardAttributes.THREAT_MATCHED, true)
            .put(StandardAttributes.THREAT_SOURCE, feed)
            .put(StandardAttributes.THREAT_INDICATOR, indicator)
            .build());
  }

  private static DnsEvent answer(Instant at, String container, String name, String address) {
    return new DnsEvent(
        EventHeader.builder()
            .timestampNanos(EpochNanos.of(at))
            .kernelTimeNanos(1)
            .pid(4242)
            .tid(4242)
            .comm("wget")
            .build(),
        name,
        DnsEvent.TYPE_A,
        0,
        List.of(DnsAnswer.address(name, 60, TestEvents.address(address))),
        TestEvents.address("127.0.0.53"),
        53,
        Protocol.UDP,
        Attributes.builder().put(StandardAttributes.CONTAINER_NAME, container).build());
  }

  @Test
  void flaggedCheckedAndUncheckedEventsAreTellableApartAndQueryThreatsGroupsTheHits()
      throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(
          List.of(
              flagged(
                  TestEvents.inContainer("web", NOW.minusSeconds(30), 443)
                      .destinationAddress(TestEvents.address("127.0.0.77"))
                      .build(),
                  "local",
                  "127.0.0.77"),
              flagged(
                  TestEvents.inContainer("web", NOW.minusSeconds(20), 443)
                      .destinationAddress(TestEvents.address("127.0.0.77"))
                      .build(),
                  "local",
                  "127.0.0.77"),
              TestEvents.inContainer("web", NOW.minusSeconds(10), 443)
                  .build()
                  .withAttribute(StandardAttributes.THREAT_MATCHED, false),
              TestEvents.host(NOW.minusSeconds(5), 80).build(),
              flagged(
                  answer(NOW.minusSeconds(15), "web", "www.evil.example", "127.0.0.9"),
                  "names",
                  "evil.example")));
    }

    assertThat(Db.rows(file, "SELECT is_threat, threat_source, attributes FROM events ORDER BY id"))
        .extracting(
            r -> r.get("is_threat") + " " + r.get("threat_source") + " " + r.get("attributes"))
        .containsExactly(
            "1 local {\"lanthorn.threat.indicator\":\"127.0.0.77\"}",
            "1 local {\"lanthorn.threat.indicator\":\"127.0.0.77\"}",
            "0 null null",
            "null null null");
    assertThat(Db.rows(file, "SELECT is_threat, threat_source, threat_indicator FROM dns_events"))
        .extracting(
            r ->
                r.get("is_threat") + " " + r.get("threat_source") + " " + r.get("threat_indicator"))
        .containsExactly("1 names evil.example");

    assertThat(query("threats", "--since", "1h", "--json"))
        .extracting(
            r ->
                String.join(
                    " ",
                    String.valueOf(r.get("container")),
                    String.valueOf(r.get("process")),
                    String.valueOf(r.get("event")),
                    String.valueOf(r.get("destination")),
                    String.valueOf(r.get("domain")),
                    String.valueOf(r.get("feed")),
                    String.valueOf(r.get("indicator")),
                    String.valueOf(r.get("first_seen")),
                    String.valueOf(r.get("last_seen")),
                    String.valueOf(r.get("count"))))
        .containsExactly(
            "web wget dns_answer 127.0.0.9 www.evil.example names evil.example 2026-11-25 11:59:45"
                + " 2026-11-25 11:59:45 1",
            "web wget tcp_connect 127.0.0.77 null local 127.0.0.77 2026-11-25 11:59:30"
                + " 2026-11-25 11:59:40 2");
    assertThat(query("threats", "--since", "1h", "--container", "other", "--json")).isEmpty();
  }

  private List<Map<String, Object>> query(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new SqliteSinkFactory()
            .commands()
            .getFirst()
            .run(
                TestPluginContext.forPlugin(SqliteSink.NAME)
                    .with(Map.of("path", dir.resolve("lanthorn.db").toString()))
                    .withClock(Clock.fixed(NOW, ZoneOffset.UTC)),
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper()
        .readValue(out.toString(StandardCharsets.UTF_8), new TypeReference<>() {});
  }
}
