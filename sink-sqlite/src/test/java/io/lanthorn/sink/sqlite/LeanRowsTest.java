package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema 15 stores codes, numbers and fact references in {@code event_rows}; the {@code events}
 * view must show exactly what the events said.
 */
class LeanRowsTest {
  @TempDir Path dir;

  @Test
  void theViewDecodesEveryCodeBackToWhatTheEventSaid() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    List<ConnectionEvent> events = new ArrayList<>();
    int port = 1;
    for (Outcome outcome : Outcome.values()) {
      events.add(TestEvents.host(TestEvents.NOW, port++).outcome(outcome).build());
    }
    events.add(
        TestEvents.host(TestEvents.NOW, port++)
            .family(AddressFamily.INET6)
            .sourceAddress(TestEvents.address("::1"))
            .destinationAddress(TestEvents.address("2001:db8::5"))
            .build());
    events.add(
        TestEvents.host(TestEvents.NOW, port++)
            .sourceAddress(TestEvents.address("0.0.0.0"))
            .destinationAddress(TestEvents.address("203.0.113.200"))
            .uid(-2)
            .build()
            .withAttribute(StandardAttributes.ATTRIBUTION_STATUS, "somebody_elses_status")
            .withAttribute(StandardAttributes.DOMAIN_NAME, "api.example.org"));
    events.add(TestEvents.inContainer("web", TestEvents.NOW, port++).build());
    events.add(
        TestEvents.inContainer("web", TestEvents.NOW, port)
            .build()
            .withAttribute(
                StandardAttributes.ATTRIBUTION_STATUS,
                StandardAttributes.ATTRIBUTION_RUNTIME_UNAVAILABLE)
            .withAttribute(StandardAttributes.DOMAIN_NAME, "api.example.org"));

    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(events);
    }

    assertThat(
            Db.rows(
                file,
                "SELECT event_type, protocol, address_family, src_addr, dst_addr, outcome,"
                    + " event_type_code, outcome_code, process_name, uid, container_name,"
                    + " attribution_status, domain_name FROM events ORDER BY id"))
        .extracting(row -> String.join("|", row.values().stream().map(String::valueOf).toList()))
        .containsExactly(
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|established|0|0|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|refused|0|3|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|timed_out|0|4|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|unreachable|0|5|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|other|0|6|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|pending|0|1|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv6|::1|2001:db8::5|established|0|0|curl|1000|null|null|null",
            "tcp_connect|tcp|ipv4|0.0.0.0|203.0.113.200|established|0|0|curl|4294967294|null"
                + "|somebody_elses_status|api.example.org",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|established|0|0|wget|1000|web|attributed"
                + "|null",
            "tcp_connect|tcp|ipv4|127.0.0.1|127.0.0.1|established|0|0|wget|1000|web"
                + "|runtime_unavailable|api.example.org");
    // Stored as numbers and references: IPv4 as an integer, IPv6 as text, statuses as codes.
    assertThat(
            Db.rows(
                file,
                "SELECT typeof(dst_ip) AS ip, typeof(attribution) AS status FROM event_rows"
                    + " WHERE id IN (7, 8, 9)"))
        .extracting(row -> row.get("ip") + " " + row.get("status"))
        .containsExactly("text null", "integer text", "integer integer");
    // Facts once each (the test's command lines name the port: a set per event); one domain.
    assertThat(Db.count(file, "SELECT count(*) FROM processes")).isEqualTo(events.size());
    assertThat(Db.count(file, "SELECT count(*) FROM domains")).isEqualTo(1);

    // A restarted sink refers to the same rows.
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(List.of(events.getLast()));
    }
    assertThat(Db.count(file, "SELECT count(*) FROM processes")).isEqualTo(events.size());
    assertThat(Db.count(file, "SELECT count(*) FROM domains")).isEqualTo(1);
    assertThat(Db.rows(file, "SELECT domain_name FROM events WHERE id = 11"))
        .containsExactly(Map.of("domain_name", "api.example.org"));
  }
}
