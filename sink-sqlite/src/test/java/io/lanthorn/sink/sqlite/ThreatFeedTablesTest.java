package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.Attributes;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.ThreatFeedEvent;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feeds enricher-threat reports ({@link ThreatFeedEvent}) as upstream's {@code threat_ip_feed}
 * and {@code threat_domain_feed} plus {@code threat_feeds}, in a real file, joined the way upstream
 * users join them; and DNS answers replayed through Kafka stored once (V12).
 */
class ThreatFeedTablesTest {
  private static final io.lanthorn.api.AttributeKey<String> EVENT_ID =
      io.lanthorn.api.AttributeKey.stringKey("lanthorn.event.id");

  private static final Instant NOW = TestEvents.NOW;

  @TempDir Path dir;

  private static ThreatFeedEvent feed(
      String name,
      String version,
      Instant lastGood,
      List<String> addresses,
      List<String> domains,
      String lastError) {
    return new ThreatFeedEvent(
        EventHeader.builder()
            .timestampNanos(EpochNanos.of(NOW.plusSeconds(30)))
            .pid(1)
            .tid(1)
            .comm("lanthorn")
            .hostName("central")
            .build(),
        name,
        "http://127.0.0.1:8080/" + name + ".txt",
        domains.isEmpty() ? "ip" : "hosts",
        version,
        lastGood == null ? 0 : EpochNanos.of(lastGood),
        addresses,
        domains,
        addresses.size() + domains.size(),
        1,
        lastError,
        lastError == null ? 0 : EpochNanos.of(NOW.plusSeconds(20)),
        Attributes.empty());
  }

  private static Event flagged(Event event, String feed, String indicator) {
    return event.withAttributes(
        event.attributes().toBuilder()
            .put(StandardAttributes.THREAT_MATCHED, true)
            .put(StandardAttributes.THREAT_SOURCE, feed)
            .put(StandardAttributes.THREAT_INDICATOR, indicator)
            .build());
  }

  @Test
  void upstreamJoinsFindTheFeedThatListedTheDestination() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file, Map.of("retention", "0"));
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(
          List.of(
              feed(
                  "feodo",
                  "v1",
                  NOW,
                  List.of("127.0.0.77", "198.51.100.0/24", "127.0.0.77"),
                  List.of(),
                  null),
              feed("urlhaus", "u1", NOW, List.of(), List.of("evil.example", "bad.test"), null),
              flagged(
                  TestEvents.host(NOW, 443)
                      .destinationAddress(TestEvents.address("127.0.0.77"))
                      .build(),
                  "feodo",
                  "127.0.0.77"),
              TestEvents.host(NOW, 80).build()));
    }

    // Upstream's own query shape: events joined to the feed tables on the address.
    assertThat(
            Db.rows(
                file,
                "SELECT events.dst_addr, events.dst_port, threat_ip_feed.source,"
                    + " threat_ip_feed.last_updated FROM events"
                    + " JOIN threat_ip_feed ON threat_ip_feed.ip = events.dst_addr"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsEntry("dst_addr", "127.0.0.77")
                    .containsEntry("dst_port", 443L)
                    .containsEntry("source", "feodo")
                    .containsEntry("last_updated", "2026-11-25 12:00:00"));
    assertThat(Db.count(file, "SELECT count(*) FROM threat_ip_feed WHERE source = 'feodo'"))
        .as("an entry listed twice is one row")
        .isEqualTo(2);
    assertThat(Db.rows(file, "SELECT domain, url, source FROM threat_domain_feed ORDER BY domain"))
        .extracting(row -> row.get("domain") + "/" + row.get("url") + "/" + row.get("source"))
        .containsExactly("bad.test/null/urlhaus", "evil.example/null/urlhaus");
    // The flagged event names its indicator: the view joins to the feed row, ranges included.
    assertThat(
            Db.count(
                file,
                "SELECT count(*) FROM threat_events JOIN threat_ip_feed"
                    + " ON threat_ip_feed.ip = threat_events.indicator"
                    + " AND threat_ip_feed.source = threat_events.feed"))
        .isEqualTo(1);
    assertThat(
            Db.rows(
                file,
                "SELECT feed, url, format, entries, malformed, last_good_refresh"
                    + " FROM threat_feeds_view ORDER BY feed"))
        .containsExactly(
            Map.of(
                "feed", "feodo",
                "url", "http://127.0.0.1:8080/feodo.txt",
                "format", "ip",
                "entries", 3L,
                "malformed", 1L,
                "last_good_refresh", "2026-11-25T12:00:00Z"),
            Map.of(
                "feed", "urlhaus",
                "url", "http://127.0.0.1:8080/urlhaus.txt",
                "format", "hosts",
                "entries", 2L,
                "malformed", 1L,
                "last_good_refresh", "2026-11-25T12:00:00Z"));
    assertThat(context.metric("events.written")).isEqualTo(4);
  }

  @Test
  void aNewVersionReplacesTheFeedsRowsWholeAndTheSameVersionOnlyItsStatus() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(
          List.of(
              feed("drop", "v1", NOW, List.of("192.0.2.1", "192.0.2.2"), List.of(), null),
              feed("other", "o1", NOW, List.of("192.0.2.1"), List.of(), null)));
      sink.write(
          List.of(feed("drop", "v2", NOW.plusSeconds(60), List.of("192.0.2.3"), List.of(), null)));
    }
    assertThat(Db.rows(file, "SELECT ip, source, last_updated FROM threat_ip_feed ORDER BY ip"))
        .extracting(row -> row.get("ip") + "/" + row.get("source") + "/" + row.get("last_updated"))
        .containsExactly(
            "192.0.2.1/other/2026-11-25 12:00:00", "192.0.2.3/drop/2026-11-25 12:01:00");

    // A failed refresh keeps the version: the rows stay, the status says why. The report's lists
    // are not even read (an empty list here would otherwise empty the feed).
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(
          List.of(feed("drop", "v2", NOW.plusSeconds(60), List.of(), List.of(), "timed out")));
    }
    assertThat(Db.count(file, "SELECT count(*) FROM threat_ip_feed WHERE source = 'drop'"))
        .isEqualTo(1);
    assertThat(
            Db.rows(
                file,
                "SELECT last_error, last_error_at FROM threat_feeds_view WHERE feed = 'drop'"))
        .containsExactly(
            Map.of("last_error", "timed out", "last_error_at", "2026-11-25T12:00:20Z"));

    // No version any more (the feed's URL changed and nothing arrived yet): nothing of it matches,
    // so nothing of it is listed.
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(List.of(feed("drop", null, null, List.of(), List.of(), "cannot connect")));
    }
    assertThat(Db.count(file, "SELECT count(*) FROM threat_ip_feed WHERE source = 'drop'"))
        .isZero();
    assertThat(Db.count(file, "SELECT count(*) FROM threat_ip_feed WHERE source = 'other'"))
        .isEqualTo(1);
    assertThat(Db.rows(file, "SELECT last_good_refresh FROM threat_feeds_view WHERE feed = 'drop'"))
        .singleElement()
        .satisfies(row -> assertThat(row.get("last_good_refresh")).isNull());
  }

  @Test
  void aDnsAnswerReplayedFromKafkaIsStoredOnce() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    DnsEvent answer =
        new DnsEvent(
                EventHeader.builder()
                    .timestampNanos(EpochNanos.of(NOW))
                    .kernelTimeNanos(5_000)
                    .pid(31)
                    .tid(32)
                    .comm("nslookup")
                    .hostName("edge-1")
                    .build(),
                "www.lanthorn.test",
                DnsEvent.TYPE_A,
                0,
                List.of(DnsAnswer.address("www.lanthorn.test", 60, TestEvents.address("10.0.0.1"))),
                TestEvents.address("127.0.0.53"),
                53,
                Protocol.UDP,
                Attributes.empty())
            .withAttribute(EVENT_ID, "edge-1-id:5000:32:dns_answer");
    DnsEvent local = answer.withAttributes(Attributes.empty());
    TestContext context = TestContext.forFile(file, Map.of("retention", "0"));

    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(List.of(answer, local, answer)); // repeated within a batch
      sink.write(List.of(answer, local)); // replayed; this host's own answers carry no id: kept
    }

    assertThat(
            Db.rows(file, "SELECT host_name, event_uid FROM dns_events ORDER BY id").stream()
                .map(row -> row.get("host_name") + "/" + row.get("event_uid"))
                .toList())
        .containsExactly("edge-1/edge-1-id:5000:32:dns_answer", "edge-1/null", "edge-1/null");
    assertThat(context.metric("events.duplicates")).isEqualTo(2);
    assertThat(context.metric("events.written")).isEqualTo(3);
  }
}
