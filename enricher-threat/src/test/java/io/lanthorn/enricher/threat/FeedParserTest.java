package io.lanthorn.enricher.threat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedParserTest {
  @Test
  void spamhausAndFireholLinesGiveRangesAndSkipComments() {
    String text =
        """
        ; Spamhaus DROP List 2026/01/01 - (c) 2026 The Spamhaus Project
        ; Last-Modified: Thu, 01 Jan 2026 00:00:00 GMT
        1.10.16.0/20 ; SBL256894
        # FireHOL comment
        203.0.113.7
        2001:db8:bad::/48
        not-an-address
        10.0.0.0/33
        """;
    FeedContent content = FeedParser.parse(text, FeedFormat.IP);

    assertThat(content.entries()).isEqualTo(3);
    assertThat(content.malformed()).isEqualTo(2);
    assertThat(content.matchAddress(Addresses.literal("1.10.31.255"))).isEqualTo("1.10.16.0/20");
    assertThat(content.matchAddress(Addresses.literal("1.10.32.0"))).isNull();
    assertThat(content.matchAddress(Addresses.literal("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(content.matchAddress(Addresses.literal("2001:db8:bad:ffff::1")))
        .isEqualTo("2001:db8:bad::/48");
  }

  @Test
  void feodoBlocklistIsOneAddressALine() {
    String text =
        """
        ################################################################
        # abuse.ch Feodo Tracker Botnet C2 IP Blocklist (recommended)   #
        ################################################################
        #
        198.51.100.23
        192.0.2.44
        """;
    FeedContent content = FeedParser.parse(text, FeedFormat.FEODO);

    assertThat(content.entries()).isEqualTo(2);
    assertThat(content.malformed()).isZero();
    assertThat(content.matchAddress(Addresses.literal("192.0.2.44"))).isEqualTo("192.0.2.44");
  }

  @Test
  void hostsFileListsTheNamesNotTheSinkAddress() {
    String text =
        """
        # URLhaus Host file
        127.0.0.1\tlocalhost
        127.0.0.1\tmalware.example
        0.0.0.0 Evil.Example. second.example
        127.0.0.1
        """;
    FeedContent content = FeedParser.parse(text, FeedFormat.HOSTS);

    assertThat(content.entries()).isEqualTo(2);
    assertThat(content.malformed()).isEqualTo(1); // the address alone; localhost is no entry
    assertThat(content.matchName("cdn.malware.example")).isEqualTo("malware.example");
    assertThat(content.matchName("evil.example")).isEqualTo("evil.example");
    assertThat(content.matchName("second.example")).isEqualTo("second.example");
    assertThat(content.matchAddress(Addresses.literal("127.0.0.1"))).isNull();
  }

  @Test
  void domainListsAcceptWildcardsAndKeepAddressesAsAddresses() {
    String text = "evil.example\n*.tracker.example\n192.0.2.9\nbad name\n-x-.example\n";
    FeedContent content = FeedParser.parse(text, FeedFormat.DOMAIN);

    assertThat(content.entries()).isEqualTo(3);
    assertThat(content.malformed()).isEqualTo(2);
    assertThat(content.matchName("a.b.tracker.example")).isEqualTo("tracker.example");
    assertThat(content.matchAddress(Addresses.literal("192.0.2.9"))).isEqualTo("192.0.2.9");
  }

  @Test
  void namesAreNeverLookedUp() {
    // A host name where an address is expected must not be resolved (no DNS traffic from feeds).
    assertThat(Addresses.literal("localhost")).isNull();
    assertThat(Addresses.literal("evil.example")).isNull();
    assertThat(Addresses.literal("1.2.3")).isNull();
    assertThat(Addresses.literal("::ffff:192.0.2.1")).isNotNull();
  }
}
