package io.lanthorn.fleet.schema;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.UdpFlowEvent;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** One event of every kind the fleet carries, each field set to a value no other field has. */
final class FleetEvents {
  private FleetEvents() {}

  static final Attributes ATTRIBUTES =
      Attributes.builder()
          .put(StandardAttributes.CONTAINER_NAME, "web")
          .put(StandardAttributes.CONTAINER_LABELS, Map.of("tier", "front", "a.b", "c"))
          .put(AttributeKey.longKey("acme.count"), 7L)
          .put(AttributeKey.doubleKey("acme.score"), 0.5)
          .put(AttributeKey.booleanKey("acme.flag"), true)
          .build();

  static EventHeader header(long kernelTime, int tid) {
    return EventHeader.builder()
        .timestampNanos(1_700_000_000_123_456_789L + kernelTime)
        .kernelTimeNanos(kernelTime)
        .pid(42)
        .tid(tid)
        .uid(-2) // 4294967294: ids are unsigned
        .gid(100)
        .comm("nginx")
        .commandLine("nginx -g daemon off;")
        .cgroupId(9876)
        .cgroupName("docker-abc.scope")
        .hostName("web-1")
        .build();
  }

  static ConnectionEvent connect() {
    return ConnectionEvent.builder()
        .header(header(1_001, 43))
        .family(AddressFamily.INET6)
        .sourceAddress(InetAddress.ofLiteral("fd00::1"))
        .sourcePort(40_000)
        .destinationAddress(InetAddress.ofLiteral("2001:db8::53"))
        .destinationPort(443)
        .outcome(Outcome.REFUSED)
        .errno(111)
        .handshakeNanos(12_345)
        .attributes(ATTRIBUTES)
        .build();
  }

  static InboundAcceptEvent accept() {
    return new InboundAcceptEvent(
        header(2_002, 44),
        AddressFamily.INET,
        Protocol.TCP,
        InetAddress.ofLiteral("10.0.0.5"),
        8080,
        InetAddress.ofLiteral("192.0.2.9"),
        51_234,
        ATTRIBUTES);
  }

  static UdpFlowEvent udp() {
    return new UdpFlowEvent(
        header(3_003, 45),
        AddressFamily.INET6,
        InetAddress.ofLiteral("fd00::2"),
        33_000,
        InetAddress.ofLiteral("2001:db8::123"),
        123,
        12,
        4_800,
        987_654,
        ATTRIBUTES);
  }

  /** The close of {@link #accept()} (inbound) or {@link #connect()}-like (outbound) connection. */
  static ConnectionCloseEvent close(boolean inbound) {
    // A close runs in softirq context: no task fields, an empty command name.
    EventHeader header =
        new EventHeader(
            1_700_000_009_000_000_000L, 9_000_000, 0, 0, 0, 0, "", null, 0, null, "web-1");
    return new ConnectionCloseEvent(
        header,
        AddressFamily.INET,
        inbound,
        InetAddress.ofLiteral("10.0.0.5"),
        inbound ? 8080 : 45_678,
        InetAddress.ofLiteral("192.0.2.9"),
        inbound ? 51_234 : 5432,
        inbound ? 2_002 : 1_001,
        8_999_000,
        1_000_000_007,
        42_424,
        ATTRIBUTES);
  }

  static DnsEvent dns() {
    return new DnsEvent(
        header(4_004, 46),
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
        ATTRIBUTES);
  }

  /** Every kind the fleet carries, closes both ways. */
  static List<Event> everyKind() {
    return List.of(connect(), accept(), udp(), close(true), close(false), dns());
  }
}
