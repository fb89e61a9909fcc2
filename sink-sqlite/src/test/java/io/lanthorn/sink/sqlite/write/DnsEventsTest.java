package io.lanthorn.sink.sqlite.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.Db;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import io.lanthorn.sink.sqlite.TestEvents;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import io.lanthorn.sink.sqlite.store.Jooq;
import io.lanthorn.sink.sqlite.store.Retention;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dns_events}: written by {@link DnsEventWriter}, read by SQL and {@code query dns}. */
class DnsEventsTest {
  @TempDir Path dir;
  private Path file;
  private Instant now;

  @BeforeEach
  void migrate() throws Exception {
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      // Migrated: the tables exist.
    }
  }

  private DnsRow row(Instant at, String container, String domain, String rcode, String ip) {
    return new DnsRow(
        EpochNanos.of(at),
        domain,
        "A",
        rcode,
        ip,
        ip == null ? List.of() : List.of(domain + " 60 A " + ip),
        "172.17.0.1",
        "udp",
        4242,
        4243,
        "curl",
        77,
        container == null ? null : "c0ffee",
        container,
        container == null ? null : "alpine:3",
        container == null ? "not_in_container" : "attributed",
        null,
        null,
        null,
        null,
        null);
  }

  private void write(DnsRow... rows) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      DSLContext dsl = Jooq.using(connection);
      try (DnsEventWriter writer = new DnsEventWriter(connection, dsl)) {
        dsl.transaction(t -> writer.write(List.of(rows)));
      }
    }
  }

  @Test
  void storesTheUpstreamColumnsAndEveryAnswer() throws Exception {
    write(
        row(now.minusSeconds(5), "web", "api.lanthorn.test", "NOERROR", "10.0.0.1"),
        row(now.minusSeconds(4), null, "nx.lanthorn.test", "NXDOMAIN", null));

    List<Map<String, Object>> rows =
        Db.rows(
            file,
            "SELECT timestamp, domain, resolved_ip, pid, cgroup_id, container_id, container_name,"
                + " image_name, query_type, response_code, answers FROM dns_events ORDER BY id");
    assertThat(rows).hasSize(2);
    assertThat(rows.getFirst())
        .containsEntry("domain", "api.lanthorn.test")
        .containsEntry("resolved_ip", "10.0.0.1")
        .containsEntry("pid", 4242L)
        .containsEntry("cgroup_id", 77L)
        .containsEntry("container_name", "web")
        .containsEntry("image_name", "alpine:3")
        .containsEntry("query_type", "A")
        .containsEntry("answers", "[\"api.lanthorn.test 60 A 10.0.0.1\"]");
    assertThat((String) rows.getFirst().get("timestamp")).endsWith("Z").hasSize(24);
    assertThat(rows.get(1))
        .containsEntry("response_code", "NXDOMAIN")
        .containsEntry("resolved_ip", null)
        .containsEntry("answers", "[]");
  }

  @Test
  void aDnsAnswerThroughTheSinkIsARowWithItsContainer() throws Exception {
    DnsEvent answer =
        new DnsEvent(
            EventHeader.builder()
                .timestampNanos(EpochNanos.of(now.minusSeconds(1)))
                .pid(31)
                .tid(32)
                .comm("nslookup")
                .cgroupId(99)
                .hostName("test-host")
                .build(),
            "www.lanthorn.test",
            DnsEvent.TYPE_AAAA,
            0,
            List.of(
                DnsAnswer.canonicalName("www.lanthorn.test", 300, "edge.lanthorn.test"),
                DnsAnswer.address("edge.lanthorn.test", 20, InetAddress.ofLiteral("2001:db8::7"))),
            InetAddress.ofLiteral("127.0.0.11"),
            53,
            Protocol.UDP,
            Attributes.empty().toBuilder()
                .put(StandardAttributes.CONTAINER_NAME, "web")
                .put(StandardAttributes.CONTAINER_ID, "c0ffee")
                .build());
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(List.of(answer, TestEvents.host(now, 443).build()));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT domain, query_type, response_code, resolved_ip, answers, server_addr, pid,"
                    + " process_name, cgroup_id, container_name, container_id FROM dns_events"))
        .containsExactly(
            Map.ofEntries(
                Map.entry("domain", "www.lanthorn.test"),
                Map.entry("query_type", "AAAA"),
                Map.entry("response_code", "NOERROR"),
                Map.entry("resolved_ip", "2001:db8::7"),
                Map.entry(
                    "answers",
                    "[\"www.lanthorn.test 300 CNAME edge.lanthorn.test\","
                        + "\"edge.lanthorn.test 20 AAAA 2001:db8::7\"]"),
                Map.entry("server_addr", "127.0.0.11"),
                Map.entry("pid", 31L),
                Map.entry("process_name", "nslookup"),
                Map.entry("cgroup_id", 99L),
                Map.entry("container_name", "web"),
                Map.entry("container_id", "c0ffee")));
    assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(1);
  }

  @Test
  void queryDnsNarrowsToAContainerAndAPeriod() throws Exception {
    write(
        row(now.minus(Duration.ofMinutes(10)), "web", "api.lanthorn.test", "NOERROR", "10.0.0.1"),
        row(now.minus(Duration.ofMinutes(5)), "worker", "q.lanthorn.test", "NOERROR", "10.0.0.2"),
        row(now.minus(Duration.ofHours(3)), "web", "old.lanthorn.test", "NOERROR", "10.0.0.3"));

    List<Map<String, Object>> web = query("dns", "--container", "web", "--since", "1h", "--json");

    assertThat(web).extracting(r -> r.get("domain")).containsExactly("api.lanthorn.test");
    assertThat(web.getFirst()).containsEntry("container", "web").containsEntry("pid", 4242);
    assertThat(query("dns", "--since", "1d", "--json"))
        .extracting(r -> r.get("domain"))
        .containsExactly("q.lanthorn.test", "api.lanthorn.test", "old.lanthorn.test");
  }

  @Test
  void retentionTakesOldAnswersWithOldEvents() throws Exception {
    write(
        row(now.minus(Duration.ofDays(4)), "web", "old.lanthorn.test", "NOERROR", "10.0.0.3"),
        row(now.minusSeconds(1), "web", "new.lanthorn.test", "NOERROR", "10.0.0.4"));

    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      new Retention(Jooq.using(connection), 100)
          .deleteOlderThan(EpochNanos.of(now.minus(Duration.ofDays(3))), () -> true);
    }

    assertThat(Db.rows(file, "SELECT domain FROM dns_events"))
        .extracting(r -> r.get("domain"))
        .containsExactly("new.lanthorn.test");
  }

  @Test
  void theSummaryUsesTheDomainAsDestinationWhenKnown() throws Exception {
    TestContext context = TestContext.forFile(file, Map.of("retention", "0"));
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(
          List.of(
              TestEvents.inContainer("web", now.minusSeconds(3), 443)
                  .build()
                  .withAttribute(StandardAttributes.DOMAIN_NAME, "api.lanthorn.test"),
              TestEvents.inContainer("web", now.minusSeconds(2), 443)
                  .build()
                  .withAttribute(StandardAttributes.DOMAIN_NAME, "api.lanthorn.test"),
              TestEvents.inContainer("web", now.minusSeconds(1), 443).build()));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT dst_addr, connection_count FROM connection_aggregations ORDER BY dst_addr"))
        .extracting(r -> r.get("dst_addr") + "=" + r.get("connection_count"))
        .containsExactly("127.0.0.1=1", "api.lanthorn.test=2");
    assertThat(query("top", "--json"))
        .extracting(r -> r.get("domain") + "/" + r.get("dst_addr"))
        .containsExactly("api.lanthorn.test/127.0.0.1");
  }

  private List<Map<String, Object>> query(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new SqliteSinkFactory()
            .commands()
            .getFirst()
            .run(
                // What --db-path sets.
                TestPluginContext.forPlugin(SqliteSink.NAME).with(Map.of("path", file.toString())),
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper()
        .readValue(out.toString(StandardCharsets.UTF_8), new TypeReference<>() {});
  }
}
