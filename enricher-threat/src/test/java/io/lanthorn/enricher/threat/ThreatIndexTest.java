package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.testkit.TestMetrics;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThreatIndexTest {
  private final TestMetrics metrics = new TestMetrics();

  private FeedState feed(String name, FeedFormat format, String text) {
    FeedState feed =
        new FeedState(
            new FeedSpec(name, java.net.URI.create("file:///unused"), format, Duration.ofHours(1)),
            null,
            null,
            Clock.systemUTC(),
            new RecordingLogger(),
            0.1,
            metrics.counter("threat.hits." + name, ""));
    feed.replace(FeedParser.parse(text, format));
    return feed;
  }

  private static List<InetAddress> ips(String... texts) {
    return java.util.Arrays.stream(texts).map(Addresses::literal).toList();
  }

  @Test
  void domainsMatchByParentButNotBySharedSuffixText() {
    ThreatIndex index =
        new ThreatIndex(List.of(feed("bad", FeedFormat.DOMAIN, "evil.example\n")), Allowlist.NONE);

    assertThat(index.match(List.of(), List.of("a.b.evil.example")).indicator())
        .isEqualTo("evil.example");
    assertThat(index.match(List.of(), List.of("EVIL.example.")).indicator())
        .isEqualTo("evil.example");
    assertThat(index.match(List.of(), List.of("notevil.example"))).isNull();
    assertThat(index.match(List.of(), List.of("evil.example.org"))).isNull();
  }

  @Test
  void anAddressMerelyHostingAListedDomainIsNotFlagged() {
    // The CDN case: evil.example is listed and resolves to a shared address; another name on
    // that address (or the bare address) is not evil.
    ThreatIndex index =
        new ThreatIndex(
            List.of(feed("bad", FeedFormat.HOSTS, "0.0.0.0 evil.example\n")), Allowlist.NONE);

    assertThat(index.match(ips("192.0.2.10"), List.of("good.example"))).isNull();
    assertThat(index.match(ips("192.0.2.10"), List.of())).isNull();
    assertThat(index.match(ips("192.0.2.10"), List.of("evil.example"))).isNotNull();
  }

  @Test
  void everyFeedListingItIsNamedAndTheAllowlistWins() {
    ThreatIndex index =
        new ThreatIndex(
            List.of(
                feed("drop", FeedFormat.IP, "192.0.2.0/24\n198.51.100.0/24\n"),
                feed("local", FeedFormat.IP, "192.0.2.7\n"),
                feed("names", FeedFormat.DOMAIN, "cdn.example\n")),
            Allowlist.of(List.of("198.51.100.0/25", "static.cdn.example")));

    ThreatMatch match = index.match(ips("192.0.2.7"), List.of());
    assertThat(match.source()).isEqualTo("drop,local");
    assertThat(match.indicator()).isEqualTo("192.0.2.0/24");
    assertThat(index.match(ips("198.51.100.9"), List.of())).isNull();
    assertThat(index.match(ips("198.51.100.200"), List.of()).source()).isEqualTo("drop");
    assertThat(index.match(List.of(), List.of("img.static.cdn.example"))).isNull();
    assertThat(index.match(List.of(), List.of("www.cdn.example")).source()).isEqualTo("names");
    // An allowlisted name wins even when its address is listed.
    assertThat(index.match(ips("192.0.2.7"), List.of("static.cdn.example"))).isNull();
  }

  @Test
  void allowlistRefusesWhatIsNeitherAddressNorDomain() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Allowlist.of(List.of("not a name")))
        .hasMessageContaining("'not a name' is neither an address, a CIDR range nor a domain");
    assertThat(
            Set.of(Allowlist.of(List.of("10.0.0.0/8", "*.corp.example")).allows("x.corp.example")))
        .containsExactly(true);
  }
}
