package io.lanthorn.fleet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.ThreatFeedEvent;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static final String HOST = "0123456789abcdef";
  private final EventCodec codec = new EventCodec();

  static ConnectionEvent event(int tid, long kernelTime) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET6)
        .sourceAddress(InetAddress.ofLiteral("fd00::1"))
        .sourcePort(40_000)
        .destinationAddress(InetAddress.ofLiteral("2001:db8::53"))
        .destinationPort(443)
        .timestampNanos(1_700_000_000_123_456_789L)
        .kernelTimeNanos(kernelTime)
        .pid(42)
        .tid(tid)
        .uid(-2) // 4294967294: ids are unsigned
        .gid(100)
        .comm("curl")
        .commandLine("curl -s https://example.invalid")
        .cgroupId(9876)
        .cgroupName("docker-abc.scope")
        .hostName("web-1")
        .outcome(Outcome.REFUSED)
        .errno(111)
        .handshakeNanos(12_345)
        .build()
        .withAttribute(StandardAttributes.CONTAINER_NAME, "web")
        .withAttribute(StandardAttributes.CONTAINER_LABELS, Map.of("tier", "front", "a.b", "c"))
        .withAttribute(AttributeKey.longKey("acme.count"), 7L)
        .withAttribute(AttributeKey.doubleKey("acme.score"), 0.5)
        .withAttribute(AttributeKey.booleanKey("acme.flag"), true);
  }

  @Test
  void roundTripKeepsEveryFieldAndAddsTheHostAndTheEventId() throws Exception {
    ConnectionEvent original = event(43, 555_000_111L);

    Event decoded = codec.decode(codec.encode(original, HOST));

    assertThat(decoded.hostName()).isEqualTo("web-1");
    assertThat(decoded.attribute(FleetAttributes.HOST_ID)).isEqualTo("0123456789abcdef");
    assertThat(decoded.attribute(FleetAttributes.EVENT_ID))
        .isEqualTo("0123456789abcdef:555000111:43:tcp_connect");
    Event withoutFleet =
        decoded.withAttributes(
            decoded.attributes().toBuilder()
                .remove(FleetAttributes.HOST_ID)
                .remove(FleetAttributes.EVENT_ID)
                .build());
    assertThat(withoutFleet).isEqualTo(original);
  }

  @Test
  void roundTripOfIpv4AndAbsentOptionalFields() throws Exception {
    ConnectionEvent original =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .sourceAddress(InetAddress.ofLiteral("127.0.0.1"))
            .destinationAddress(InetAddress.ofLiteral("127.0.0.1"))
            .destinationPort(1)
            .comm("x")
            .hostName("h")
            .outcome(Outcome.PENDING)
            .build();

    ConnectionEvent decoded = (ConnectionEvent) codec.decode(codec.encode(original, HOST));

    assertThat(decoded.commandLine()).isNull();
    assertThat(decoded.cgroupName()).isNull();
    assertThat(decoded.handshakeNanos()).isEqualTo(-1);
    assertThat(decoded.family()).isEqualTo(AddressFamily.INET);
    assertThat(decoded.sourceAddress()).isEqualTo(original.sourceAddress());
  }

  @Test
  void aForwardedEventKeepsItsOriginalHostAndId() throws Exception {
    Event fromA = codec.decode(codec.encode(event(1, 2), HOST));

    Event again = codec.decode(codec.encode(fromA, "ffff"));

    assertThat(again.hostName()).isEqualTo("web-1");
    assertThat(again.attribute(FleetAttributes.HOST_ID)).isEqualTo(HOST);
    assertThat(again.attribute(FleetAttributes.EVENT_ID))
        .isEqualTo(fromA.attribute(FleetAttributes.EVENT_ID));
  }

  @Test
  void writesTheDocumentedFieldNames() throws Exception {
    JsonNode json = new ObjectMapper().readTree(codec.encode(event(43, 5), HOST));

    assertThat(json.get("lanthorn.schema").intValue()).isEqualTo(EventCodec.SCHEMA_VERSION);
    assertThat(json.get("event.name").textValue()).isEqualTo("tcp_connect");
    assertThat(json.get("lanthorn.connect.outcome").textValue()).isEqualTo("refused");
    assertThat(json.get("server.address").textValue()).isEqualTo("2001:db8::53");
    assertThat(json.get("server.port").intValue()).isEqualTo(443);
    assertThat(json.get("process.pid").intValue()).isEqualTo(42);
    assertThat(json.get("attributes").get("container.name").textValue()).isEqualTo("web");
    assertThat(json.get("attributes").has("host.name")).as("host only in the header").isFalse();
  }

  @Test
  void foreignMessagesAreRefusedWithAReason() {
    assertReason("not json", "not_json");
    assertReason("[1,2]", "not_lanthorn");
    assertReason("{\"hello\":\"world\"}", "not_lanthorn");
    assertReason("{\"lanthorn.schema\":3}", "unsupported_version");
    assertReason("{\"lanthorn.schema\":0}", "unsupported_version");
    assertReason("{\"lanthorn.schema\":2}", "unsupported_kind");
    assertReason("{\"lanthorn.schema\":2,\"event.name\":\"threat_feed\"}", "unsupported_kind");
    assertReason("{\"lanthorn.schema\":1,\"event.name\":\"udp_send\"}", "unsupported_kind");
    assertReason("{\"lanthorn.schema\":1,\"event.name\":\"dns_answer\"}", "invalid_event");
    String valid = new String(codec.encode(event(1, 1), HOST), StandardCharsets.UTF_8);
    assertReason(valid.replace("\"fd00::1\"", "\"db.example\""), "invalid_event");
    assertReason(valid.replace("\"process.pid\":42", "\"process.pid\":\"42\""), "invalid_event");
    assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(ForeignMessageException.class);
  }

  @Test
  void dnsAnswerRoundTripsWithItsRecords() throws Exception {
    DnsEvent original =
        new DnsEvent(
                EventHeader.builder()
                    .timestampNanos(1_700_000_000_000_000_001L)
                    .kernelTimeNanos(77)
                    .pid(5)
                    .tid(6)
                    .comm("curl")
                    .hostName("web-2")
                    .build(),
                "www.example.test",
                DnsEvent.TYPE_AAAA,
                0,
                List.of(
                    DnsAnswer.canonicalName("www.example.test", 60, "edge.example.test"),
                    DnsAnswer.address(
                        "edge.example.test", 4_294_967_295L, InetAddress.ofLiteral("fd00::7"))),
                InetAddress.ofLiteral("127.0.0.53"),
                53,
                Protocol.UDP,
                io.lanthorn.api.Attributes.empty())
            .withAttribute(StandardAttributes.CONTAINER_NAME, "web");

    byte[] wire = codec.encode(original, HOST);
    Event decoded = codec.decode(wire);

    assertThat(decoded.attribute(FleetAttributes.EVENT_ID))
        .isEqualTo("0123456789abcdef:77:6:dns_answer");
    assertThat(
            decoded.withAttributes(
                decoded.attributes().toBuilder()
                    .remove(FleetAttributes.HOST_ID)
                    .remove(FleetAttributes.EVENT_ID)
                    .build()))
        .isEqualTo(original);
    JsonNode json = new ObjectMapper().readTree(wire);
    assertThat(json.get("event.name").textValue()).isEqualTo("dns_answer");
    assertThat(json.get("dns.question.name").textValue()).isEqualTo("www.example.test");
    assertThat(json.get("host.name").textValue()).isEqualTo("web-2");
  }

  @Test
  void anEventWithoutAHostNameIsRefused() {
    ConnectionEvent noHost =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .sourceAddress(InetAddress.ofLiteral("127.0.0.1"))
            .destinationAddress(InetAddress.ofLiteral("127.0.0.1"))
            .destinationPort(1)
            .comm("x")
            .outcome(Outcome.PENDING)
            .build();

    assertThatThrownBy(() -> codec.encode(noHost, HOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host name");
  }

  @Test
  void everyKindRoundTripsFieldByField() throws Exception {
    for (Event original : FleetEvents.everyKind()) {
      Event decoded = codec.decode(codec.encode(original, HOST));

      assertThat(decoded.attribute(FleetAttributes.HOST_ID)).isEqualTo(HOST);
      assertThat(decoded.attribute(FleetAttributes.EVENT_ID)).isEqualTo(EventId.of(HOST, original));
      // Records compare every component: header, addresses, ports, counts, attributes.
      assertThat(withoutFleetAttributes(decoded)).as(original.kind().label()).isEqualTo(original);
    }
  }

  @Test
  void acceptsFlowsAndClosesUseSinkJsonlsNamesAndClientServerSides() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode accept = mapper.readTree(codec.encode(FleetEvents.accept(), HOST));
    assertThat(accept.get("event.name").textValue()).isEqualTo("tcp_accept");
    assertThat(accept.get("lanthorn.network.direction").textValue()).isEqualTo("inbound");
    assertThat(accept.get("client.address").textValue()).as("the peer").isEqualTo("192.0.2.9");
    assertThat(accept.get("client.port").intValue()).isEqualTo(51_234);
    assertThat(accept.get("server.address").textValue()).as("this host").isEqualTo("10.0.0.5");
    assertThat(accept.get("server.port").intValue()).isEqualTo(8080);

    JsonNode udp = mapper.readTree(codec.encode(FleetEvents.udp(), HOST));
    assertThat(udp.get("network.transport").textValue()).isEqualTo("udp");
    assertThat(udp.get("lanthorn.udp.datagrams").longValue()).isEqualTo(12);
    assertThat(udp.get("lanthorn.udp.bytes").longValue()).isEqualTo(4_800);
    assertThat(udp.get("lanthorn.udp.duration_nanos").longValue()).isEqualTo(987_654);

    JsonNode inbound = mapper.readTree(codec.encode(FleetEvents.close(true), HOST));
    assertThat(inbound.get("lanthorn.network.direction").textValue()).isEqualTo("inbound");
    assertThat(inbound.get("client.port").intValue()).as("the peer's").isEqualTo(51_234);
    assertThat(inbound.get("lanthorn.close.opened_kernel_time_nanos").longValue()).isEqualTo(2_002);
    assertThat(inbound.get("lanthorn.close.duration_nanos").longValue()).isEqualTo(8_999_000);
    assertThat(inbound.get("lanthorn.close.bytes_sent").longValue()).isEqualTo(1_000_000_007);
    assertThat(inbound.get("lanthorn.close.bytes_received").longValue()).isEqualTo(42_424);
    JsonNode outbound = mapper.readTree(codec.encode(FleetEvents.close(false), HOST));
    assertThat(outbound.get("lanthorn.network.direction").textValue()).isEqualTo("outbound");
    assertThat(outbound.get("client.port").intValue()).as("this host's").isEqualTo(45_678);
    assertThat(outbound.get("server.port").intValue()).isEqualTo(5432);
  }

  @Test
  void acceptsAndClosesAddTheirPortsToTheEventId() {
    assertThat(EventId.of(HOST, FleetEvents.accept()))
        .isEqualTo("0123456789abcdef:2002:44:tcp_accept:51234-8080");
    assertThat(EventId.of(HOST, FleetEvents.close(true)))
        .isEqualTo("0123456789abcdef:9000000:0:tcp_close:51234-8080");
    assertThat(EventId.of(HOST, FleetEvents.close(false)))
        .isEqualTo("0123456789abcdef:9000000:0:tcp_close:45678-5432");
    assertThat(EventId.of(HOST, FleetEvents.udp())).isEqualTo("0123456789abcdef:3003:45:udp_send");
  }

  @Test
  void version1MessagesStillDecode() throws Exception {
    // Written by the version 1 encoder (commit 9ee3f34) for FleetEvents.connect() and dns().
    for (Event original : List.<Event>of(FleetEvents.connect(), FleetEvents.dns())) {
      byte[] stored;
      try (var in =
          getClass().getResourceAsStream("/schema-v1/" + original.kind().label() + ".json")) {
        stored = in.readAllBytes();
      }
      assertThat(new ObjectMapper().readTree(stored).get("lanthorn.schema").intValue()).isOne();

      Event decoded = codec.decode(stored);

      assertThat(decoded.attribute(FleetAttributes.EVENT_ID)).isEqualTo(EventId.of(HOST, original));
      assertThat(withoutFleetAttributes(decoded)).isEqualTo(original);
    }
  }

  @Test
  void kindsAndDirectionsAreCheckedAgainstTheVersion() {
    String accept = new String(codec.encode(FleetEvents.accept(), HOST), StandardCharsets.UTF_8);
    assertReason(
        accept.replace("\"lanthorn.schema\":2", "\"lanthorn.schema\":1"), "unsupported_kind");
    assertReason(accept.replace("\"inbound\"", "\"outbound\""), "invalid_event");
    String close = new String(codec.encode(FleetEvents.close(true), HOST), StandardCharsets.UTF_8);
    assertReason(close.replace("\"inbound\"", "\"sideways\""), "invalid_event");
    assertReason(close.replace("\"lanthorn.close.bytes_sent\"", "\"x\""), "invalid_event");
    String udp = new String(codec.encode(FleetEvents.udp(), HOST), StandardCharsets.UTF_8);
    assertReason(udp.replace("\"udp\"", "\"tcp\""), "invalid_event");
    assertReason(
        udp.replace("\"lanthorn.udp.bytes\":4800", "\"lanthorn.udp.bytes\":-1"), "invalid_event");
    String connect = new String(codec.encode(FleetEvents.connect(), HOST), StandardCharsets.UTF_8);
    assertReason(
        connect.replace("\"lanthorn.network.direction\":\"outbound\",", ""), "invalid_event");
  }

  @Test
  void threatFeedReportsStayOnTheirHost() {
    ThreatFeedEvent feed =
        new ThreatFeedEvent(
            FleetEvents.header(5, 1),
            "feodo",
            "file:/etc/lanthorn/feodo.txt",
            "ip",
            "v1",
            0,
            List.of("192.0.2.1"),
            List.of(),
            1,
            0,
            null,
            0,
            io.lanthorn.api.Attributes.empty());

    assertThat(EventCodec.KINDS).doesNotContain(EventKind.THREAT_FEED);
    assertThatThrownBy(() -> codec.encode(feed, HOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threat_feed");
  }

  private static Event withoutFleetAttributes(Event decoded) {
    return decoded.withAttributes(
        decoded.attributes().toBuilder()
            .remove(FleetAttributes.HOST_ID)
            .remove(FleetAttributes.EVENT_ID)
            .build());
  }

  private void assertReason(String message, String reason) {
    assertThatThrownBy(() -> codec.decode(message.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ForeignMessageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
