package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.ThreatFeedEvent;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin as the agent runs it: factory, feeds from loopback HTTP and a file, events. */
class ThreatPluginTest {
  private static final String IP_LIST = "# fixture\n127.0.0.77\n127.0.0.78\n198.51.100.0/24\n";

  @TempDir Path dir;

  private TestPluginContext context(String ipUrl) throws Exception {
    return context(ipUrl, new RecordingEmitter());
  }

  private TestPluginContext context(String ipUrl, RecordingEmitter emitter) throws Exception {
    Path names = dir.resolve("names.txt");
    Files.writeString(names, "evil.example\n");
    return TestPluginContext.forPlugin(ThreatFactory.NAME)
        .withEmitter(emitter)
        .with(
            "feeds = [ { name = \"local\", url = \""
                + ipUrl
                + "\", format = \"ip\" }, { name = \"names\", url = \""
                + names.toUri()
                + "\", format = \"domain\" } ]\n"
                + "allowlist = [ \"127.0.0.78\" ]\n"
                + "cache-dir = \""
                + dir.resolve("cache")
                + "\"\n"
                + "timeout = 2s");
  }

  private static ConnectionEvent connection(String destination, String container) {
    ConnectionEvent event =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .protocol(Protocol.TCP)
            .sourceAddress(Addresses.literal("127.0.0.1"))
            .sourcePort(40000)
            .destinationAddress(Addresses.literal(destination))
            .destinationPort(443)
            .timestampNanos(1)
            .kernelTimeNanos(1)
            .pid(4242)
            .tid(4242)
            .comm("wget")
            .cgroupId(7)
            .outcome(Outcome.ESTABLISHED)
            .handshakeNanos(1000)
            .build();
    return container == null
        ? event
        : event.withAttribute(StandardAttributes.CONTAINER_NAME, container);
  }

  private static DnsEvent answer(String question, String address) {
    return new DnsEvent(
        EventHeader.builder()
            .timestampNanos(2)
            .kernelTimeNanos(2)
            .pid(4242)
            .tid(4242)
            .comm("wget")
            .build(),
        question,
        DnsEvent.TYPE_A,
        0,
        List.of(DnsAnswer.address(question, 60, Addresses.literal(address))),
        Addresses.literal("127.0.0.1"),
        53,
        Protocol.UDP,
        Attributes.empty());
  }

  @Test
  void flagsListedAddressesAndNamesWithFeedAndIndicatorAndWarnsOncePerPair() throws Exception {
    try (FeedServer server = new FeedServer()) {
      server.answer("/list.txt", FeedServer.Answer.list(IP_LIST, "\"1\""));
      LoggingContext context = LoggingContext.of(context(server.url("/list.txt").toString()));
      TestPluginContext test = context.delegate();
      try (ThreatEnricher enricher = new ThreatFactory().create(context)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> test.metrics().value("feeds.local.entries") == 3);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> test.metrics().value("feeds.names.entries") == 1);

        Event listed = enricher.enrich(connection("127.0.0.77", "threat-web"));
        Event again = enricher.enrich(connection("127.0.0.77", "threat-web"));
        Event allowed = enricher.enrich(connection("127.0.0.78", "threat-web"));
        Event clean = enricher.enrich(connection("127.0.0.1", "threat-web"));
        Event named =
            enricher.enrich(
                connection("127.0.0.1", null)
                    .withAttribute(ThreatEnricher.DOMAIN, "cdn.evil.example"));
        // Counted, not logged again: this process and evil.example were already warned about.
        Event dns = enricher.enrich(answer("www.evil.example", "127.0.0.9"));
        Event dnsToListedAddress = enricher.enrich(answer("fine.example", "198.51.100.4"));

        assertThat(listed.attribute(StandardAttributes.THREAT_MATCHED)).isTrue();
        assertThat(listed.attribute(StandardAttributes.THREAT_SOURCE)).isEqualTo("local");
        assertThat(listed.attribute(StandardAttributes.THREAT_INDICATOR)).isEqualTo("127.0.0.77");
        assertThat(again.attribute(StandardAttributes.THREAT_MATCHED)).isTrue();
        assertThat(allowed.attribute(StandardAttributes.THREAT_MATCHED)).isFalse();
        assertThat(allowed.attribute(StandardAttributes.THREAT_SOURCE)).isNull();
        assertThat(clean.attribute(StandardAttributes.THREAT_MATCHED)).isFalse();
        assertThat(named.attribute(StandardAttributes.THREAT_SOURCE)).isEqualTo("names");
        assertThat(named.attribute(StandardAttributes.THREAT_INDICATOR)).isEqualTo("evil.example");
        assertThat(dns.attribute(StandardAttributes.THREAT_SOURCE)).isEqualTo("names");
        assertThat(dnsToListedAddress.attribute(StandardAttributes.THREAT_INDICATOR))
            .isEqualTo("198.51.100.0/24");
        assertThat(test.metrics().value("threat.hits.local")).isEqualTo(3);
        assertThat(test.metrics().value("threat.hits.names")).isEqualTo(2);
        assertThat(context.log().warnings())
            .containsExactly(
                "threat: container threat-web connected to 127.0.0.77, listed as 127.0.0.77 by feed"
                    + " local (further matches of this pair are counted, not logged)",
                "threat: process wget (pid 4242) connected to cdn.evil.example (127.0.0.1), listed"
                    + " as evil.example by feed names (further matches of this pair are counted,"
                    + " not logged)",
                "threat: process wget (pid 4242) resolved fine.example, listed as 198.51.100.0/24"
                    + " by feed local (further matches of this pair are counted, not logged)");
      }
    }
  }

  @Test
  void reportsEachFeedsVersionToTheSinksAtStartAndAfterEachRefreshUntilStopped() throws Exception {
    try (FeedServer server = new FeedServer()) {
      server.answer("/list.txt", FeedServer.Answer.list(IP_LIST, "\"1\""));
      RecordingEmitter emitter = new RecordingEmitter();
      TestPluginContext context = context(server.url("/list.txt").toString(), emitter);
      try (ThreatEnricher enricher = new ThreatFactory().create(context)) {
        // After the first refresh of each of the two feeds (at start nothing was known yet).
        await().atMost(Duration.ofSeconds(10)).until(() -> feedReports(emitter).size() >= 2);

        ThreatFeedEvent local =
            feedReports(emitter).stream()
                .filter(f -> f.feedName().equals("local") && f.version() != null)
                .findFirst()
                .orElseThrow();
        assertThat(local.url()).isEqualTo(server.url("/list.txt").toString());
        assertThat(local.format()).isEqualTo("ip");
        assertThat(local.addresses())
            .containsExactly("127.0.0.77", "127.0.0.78", "198.51.100.0/24");
        assertThat(local.domains()).isEmpty();
        assertThat(local.entries()).isEqualTo(3);
        assertThat(local.lastGoodNanos()).isPositive();
        assertThat(local.lastError()).isNull();
        assertThat(local.hostName()).isEqualTo("test-host");
        ThreatFeedEvent names =
            feedReports(emitter).stream()
                .filter(f -> f.feedName().equals("names") && f.version() != null)
                .findFirst()
                .orElseThrow();
        assertThat(names.domains()).containsExactly("evil.example");
        assertThat(feedReports(emitter)).allMatch(f -> f.version() != null);
      }
    }
  }

  @Test
  void aStoppedReporterEmitsNothing() {
    RecordingEmitter emitter = new RecordingEmitter();
    FeedReporter reporter = new FeedReporter(emitter, java.time.Clock.systemUTC(), "h");
    FeedState feed =
        new FeedState(
            new FeedSpec("f", java.net.URI.create("file:///unused"), FeedFormat.IP, Duration.ZERO),
            null,
            null,
            java.time.Clock.systemUTC(),
            new RecordingLogger(),
            0.1,
            new io.lanthorn.api.testkit.TestMetrics().counter("hits", ""));
    feed.replace(FeedParser.parse("192.0.2.1\n", FeedFormat.IP));
    reporter.report(feed);
    reporter.stop();
    reporter.report(feed);
    assertThat(feedReports(emitter))
        .singleElement()
        .satisfies(f -> assertThat(f.addresses()).containsExactly("192.0.2.1"));
  }

  private static List<ThreatFeedEvent> feedReports(RecordingEmitter emitter) {
    return emitter.events().stream()
        .filter(ThreatFeedEvent.class::isInstance)
        .map(ThreatFeedEvent.class::cast)
        .toList();
  }

  @Test
  void anOfflineRestartMatchesWithTheSavedCopyAndWarnsOnce() throws Exception {
    String url;
    try (FeedServer server = new FeedServer()) {
      server.answer("/list.txt", FeedServer.Answer.list(IP_LIST, "\"1\""));
      url = server.url("/list.txt").toString();
      LoggingContext first = LoggingContext.of(context(url));
      try (ThreatEnricher enricher = new ThreatFactory().create(first)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> first.delegate().metrics().value("feeds.local.entries") == 3);
      }
    }
    // The server is gone: its port refuses connections.
    LoggingContext second = LoggingContext.of(context(url));
    try (ThreatEnricher enricher = new ThreatFactory().create(second)) {
      assertThat(
              enricher
                  .enrich(connection("127.0.0.77", "threat-offline"))
                  .attribute(StandardAttributes.THREAT_SOURCE))
          .isEqualTo("local");
      await().atMost(Duration.ofSeconds(10)).until(() -> feedWarnings(second).size() == 1);
      assertThat(feedWarnings(second).getFirst())
          .startsWith("threat feed 'local' (" + url + "): cannot connect; ")
          .contains("matching with the version of");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          new FeedsCommand()
              .run(
                  second,
                  List.of(),
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(status).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .containsPattern("(?m)^local +ip +3 +0 +\\d{4}-\\d\\d-\\d\\dT.*  .+\\(\\d{4}-")
          .containsPattern("(?m)^names +domain +1 +0 +\\d{4}-\\d\\d-\\d\\dT\\S+ +-$");
    }
  }

  private static List<String> feedWarnings(LoggingContext context) {
    return context.log().warnings().stream().filter(w -> w.startsWith("threat feed")).toList();
  }

  @Test
  void remoteFetchOffFetchesNothingButReadsFiles() throws Exception {
    try (FeedServer server = new FeedServer()) {
      server.answer("/list.txt", FeedServer.Answer.list(IP_LIST, null));
      RecordingEmitter emitter = new RecordingEmitter();
      LoggingContext context =
          LoggingContext.of(
              context(server.url("/list.txt").toString(), emitter).with("remote-fetch = false"));
      try (ThreatEnricher enricher = new ThreatFactory().create(context)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> context.delegate().metrics().value("feeds.names.entries") == 1);
        assertThat(context.log().infos())
            .contains(
                "threat feed 'local': not fetched (remote-fetch = false); no saved copy, so nothing from it matches");
        await().atMost(Duration.ofSeconds(10)).until(() -> !feedReports(emitter).isEmpty());
        // The file feed is reported; the one never fetched has nothing to report.
        assertThat(feedReports(emitter))
            .extracting(ThreatFeedEvent::feedName)
            .containsOnly("names");
      }
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void badFeedsAreRefusedInOneLineNamingTheKey() {
    ThreatFactory factory = new ThreatFactory();
    assertThatThrownBy(
            () ->
                factory.validate(
                    TestPluginContext.forPlugin(ThreatFactory.NAME)
                        .with("feeds = [ { name = a, url = \"ftp://x/\", format = ip } ]")
                        .config()))
        .isInstanceOf(PluginException.class)
        .hasMessage(
            "enricher-threat.feeds.0.url: 'ftp://x/' must start with https:, http: or file:");
    assertThatThrownBy(
            () ->
                factory.validate(
                    TestPluginContext.forPlugin(ThreatFactory.NAME)
                        .with("feeds = [ { name = a, url = \"file:///x\", format = csv } ]")
                        .config()))
        .hasMessage(
            "enricher-threat.feeds.0.format: unknown format 'csv'; use ip, feodo, hosts or domain");
    assertThatThrownBy(
            () ->
                factory.validate(
                    TestPluginContext.forPlugin(ThreatFactory.NAME)
                        .with(
                            "feeds = [ { name = a, url = \"file:///x\", format = ip },"
                                + " { name = a, url = \"file:///y\", format = ip } ]")
                        .config()))
        .hasMessage("enricher-threat.feeds: two feeds are named 'a'; rename one");
  }

  @Test
  void theDefaultsAreTheUpstreamFeeds() throws Exception {
    // Read only: nothing here fetches them.
    ThreatSettings defaults =
        ThreatSettings.from(TestPluginContext.forPlugin(ThreatFactory.NAME).config());
    assertThat(defaults.feeds())
        .extracting(FeedSpec::name, FeedSpec::format)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("feodo", FeedFormat.FEODO),
            org.assertj.core.groups.Tuple.tuple("urlhaus", FeedFormat.HOSTS));
    assertThat(defaults.remoteFetch()).isTrue();
    assertThat(new ThreatFactory().flags())
        .singleElement()
        .satisfies(flag -> assertThat(flag.name()).isEqualTo("--disable-threat-feeds"));
  }
}
