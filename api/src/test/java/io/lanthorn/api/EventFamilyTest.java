package io.lanthorn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFamilyTest {
  private static final AttributeKey<String> TAG = AttributeKey.stringKey("test.tag");
  private static final EventHeader HEADER =
      EventHeader.builder()
          .timestampNanos(10)
          .kernelTimeNanos(5)
          .pid(42)
          .tid(43)
          .uid(-2)
          .gid(7)
          .comm("resolver")
          .commandLine("resolver --fast")
          .cgroupId(99)
          .cgroupName("docker-abc.scope")
          .hostName("host-a")
          .build();
  private static final InetAddress SERVER = InetAddress.ofLiteral("127.0.0.53");
  private static final InetAddress CLIENT = InetAddress.ofLiteral("127.0.0.1");

  private static List<Event> oneOfEach() {
    return List.of(
        ConnectionEvent.builder()
            .header(HEADER)
            .family(AddressFamily.INET)
            .sourceAddress(CLIENT)
            .destinationAddress(SERVER)
            .destinationPort(443)
            .outcome(Outcome.ESTABLISHED)
            .build(),
        new DnsEvent(
            HEADER,
            "www.example.test",
            DnsEvent.TYPE_A,
            0,
            List.of(
                DnsAnswer.canonicalName("www.example.test", 60, "web.example.test"),
                DnsAnswer.address("web.example.test", 30, InetAddress.ofLiteral("192.0.2.7"))),
            SERVER,
            53,
            Protocol.UDP,
            Attributes.empty()),
        new InboundAcceptEvent(
            HEADER,
            AddressFamily.INET,
            Protocol.TCP,
            SERVER,
            8080,
            CLIENT,
            51000,
            Attributes.empty()),
        new UdpFlowEvent(
            HEADER,
            AddressFamily.INET,
            CLIENT,
            40000,
            SERVER,
            53,
            3,
            120,
            1_000,
            Attributes.empty()),
        new ConnectionCloseEvent(
            HEADER,
            AddressFamily.INET,
            true,
            SERVER,
            8080,
            CLIENT,
            51000,
            4,
            2_000,
            1_048_576,
            10_240,
            Attributes.empty()),
        new ThreatFeedEvent(
            HEADER,
            "local",
            "file:///etc/lanthorn/list.txt",
            "hosts",
            "v1",
            10,
            List.of("192.0.2.0/24"),
            List.of("evil.example.test"),
            2,
            1,
            null,
            0,
            Attributes.empty()));
  }

  @Test
  void everyKindSharesTheHeaderAndTheAttributeBag() {
    for (Event event : oneOfEach()) {
      assertThat(event.header()).isEqualTo(HEADER);
      assertThat(event.pid()).isEqualTo(42);
      assertThat(event.comm()).isEqualTo("resolver");
      assertThat(event.hostName()).isEqualTo("host-a");
      Event tagged = event.withAttribute(TAG, "x");
      assertThat(tagged.kind()).isEqualTo(event.kind());
      assertThat(tagged.getClass()).isEqualTo(event.getClass());
      assertThat(tagged.attribute(TAG)).isEqualTo("x");
      assertThat(tagged.withAttributes(Attributes.empty())).isEqualTo(event);
    }
  }

  @Test
  void theFamilyIsClosedSoASwitchNeedsNoDefault() {
    List<String> seen = new ArrayList<>();
    for (Event event : oneOfEach()) {
      seen.add(
          switch (event) {
            case ConnectionEvent c -> c.kind().label() + ":" + c.destinationPort();
            case DnsEvent d -> d.kind().label() + ":" + d.addresses();
            case InboundAcceptEvent a -> a.kind().label() + ":" + a.localPort();
            case UdpFlowEvent u -> u.kind().label() + ":" + u.datagrams();
            case ConnectionCloseEvent c -> c.kind().label() + ":" + c.bytesSent();
            case ThreatFeedEvent f -> f.kind().label() + ":" + f.domains();
          });
    }
    assertThat(seen)
        .containsExactly(
            "tcp_connect:443",
            "dns_answer:[/192.0.2.7]",
            "tcp_accept:8080",
            "udp_send:3",
            "tcp_close:1048576",
            "threat_feed:[evil.example.test]");
  }

  @Test
  void aCloseRefusesNegativeCounts() {
    assertThatThrownBy(
            () ->
                new ConnectionCloseEvent(
                    HEADER,
                    AddressFamily.INET,
                    false,
                    CLIENT,
                    51000,
                    SERVER,
                    80,
                    4,
                    -1,
                    0,
                    0,
                    Attributes.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("durationNanos");
  }

  @Test
  void dnsNamesItsTypesAndCodes() {
    assertThat(DnsEvent.typeName(DnsEvent.TYPE_AAAA)).isEqualTo("AAAA");
    assertThat(DnsEvent.typeName(999)).isEqualTo("TYPE999");
    assertThat(DnsEvent.responseCodeName(3)).isEqualTo("NXDOMAIN");
    assertThat(DnsAnswer.address("a", 1, InetAddress.ofLiteral("::1")).type())
        .isEqualTo(DnsEvent.TYPE_AAAA);
    assertThatThrownBy(() -> DnsAnswer.canonicalName("a", -1, "b"))
        .hasMessageContaining("ttlSeconds");
  }

  @Test
  void recordsRejectWhatCannotBe() {
    assertThatThrownBy(
            () ->
                new UdpFlowEvent(
                    HEADER,
                    AddressFamily.INET,
                    CLIENT,
                    1,
                    SERVER,
                    53,
                    -1,
                    0,
                    0,
                    Attributes.empty()))
        .hasMessageContaining("datagrams");
    // 0 datagrams: a connect() seen, whose datagrams the source cannot count.
    assertThat(
            new UdpFlowEvent(
                    HEADER, AddressFamily.INET, CLIENT, 1, SERVER, 53, 0, 0, 0, Attributes.empty())
                .datagrams())
        .isZero();
    assertThatThrownBy(
            () ->
                new InboundAcceptEvent(
                    HEADER,
                    AddressFamily.INET,
                    Protocol.TCP,
                    SERVER,
                    70_000,
                    CLIENT,
                    1,
                    Attributes.empty()))
        .hasMessageContaining("localPort");
    assertThatThrownBy(() -> EventHeader.builder().build()).hasMessageContaining("comm");
    assertThatThrownBy(
            () ->
                new ThreatFeedEvent(
                    HEADER,
                    "f",
                    "file:///f",
                    "ip",
                    null,
                    0,
                    List.of(),
                    List.of(),
                    -1,
                    0,
                    null,
                    0,
                    Attributes.empty()))
        .hasMessageContaining("entries");
  }

  @Test
  void apiVersionsAreAcceptedBySameMajorAndNoNewerMinor() {
    assertThat(ApiVersion.accepts(ApiVersion.CURRENT)).isTrue();
    assertThat(ApiVersion.accepts(ApiVersion.MAJOR + ".0")).isTrue();
    assertThat(ApiVersion.accepts(ApiVersion.MAJOR + "." + (ApiVersion.MINOR + 1))).isFalse();
    assertThat(ApiVersion.accepts((ApiVersion.MAJOR + 1) + ".0")).isFalse();
    assertThat(ApiVersion.accepts("1.0")).isFalse();
    assertThat(ApiVersion.accepts("two")).isFalse();
    assertThat(ApiVersion.accepts(null)).isFalse();
  }

  @Test
  void aFlagEitherTakesAValueOrSetsOne() {
    assertThat(PluginFlag.withValue("--db-path", "path", "PATH", "file").takesValue()).isTrue();
    assertThat(PluginFlag.setting("--disable-x", "enabled", false, "off").takesValue()).isFalse();
    assertThatThrownBy(() -> PluginFlag.withValue("db-path", "path", "PATH", "file"))
        .hasMessageContaining("--db-path");
    assertThatThrownBy(() -> new PluginFlag("--x", "k", "V", true, "both"))
        .hasMessageContaining("not both");
  }
}
