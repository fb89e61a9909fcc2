package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.probe.dns.DnsParser.Parsed;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The kernel programs, loaded into this kernel, seeing this process's own queries. */
class DnsCaptureTest {
  private static final String NAME = "api.lanthorn.test";
  private static DnsServer server;

  @BeforeAll
  static void startServer() throws Exception {
    KernelTests.assumeBpf();
    server =
        DnsServer.start(
            InetAddress.ofLiteral("127.77.0.1"),
            Map.of("lanthorn.test", List.of("127.0.0.1", "::1")));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Optional<DnsMessage> parsed(DnsResponseRecord r) {
    return DnsParser.parseUdp(r.payload()) instanceof Parsed(DnsMessage m)
        ? Optional.of(m)
        : Optional.empty();
  }

  @Test
  void seesAHostProcessResponseWithItsCgroupAndProcess() throws Exception {
    ConcurrentLinkedQueue<DnsResponseRecord> seen = new ConcurrentLinkedQueue<>();
    try (DnsCapture capture =
        DnsCapture.start(
            KernelTests.settings(),
            Clock.systemUTC(),
            LoggerFactory.getLogger("test"),
            seen::add)) {
      assertThat(server.ask(NAME, DnsMessage.TYPE_A, Duration.ofSeconds(2))).isNotNull();
      assertThat(server.ask(NAME, DnsMessage.TYPE_AAAA, Duration.ofSeconds(2))).isNotNull();

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> seen.stream().filter(r -> r.server().equals(server.address())).count() >= 2);
      capture.refreshCounters();
      assertThat(capture.counter("responses")).isGreaterThanOrEqualTo(2);
      assertThat(capture.counter("ring_full")).isZero();
    }
    List<DnsResponseRecord> ours =
        seen.stream().filter(r -> r.server().equals(server.address())).toList();
    DnsResponseRecord a = ours.getFirst();
    assertThat(a.pid()).isEqualTo((int) ProcessHandle.current().pid());
    assertThat(a.tid()).isNotZero();
    assertThat(a.comm()).isNotEmpty();
    assertThat(a.cgroupId()).isEqualTo(KernelTests.ownCgroupId());
    assertThat(a.transport()).isEqualTo(DnsResponseRecord.UDP);
    assertThat(a.socketCookie()).isNotZero();
    assertThat(Math.abs(a.timestampNanos() - System.currentTimeMillis() * 1_000_000L))
        .isLessThan(Duration.ofMinutes(1).toNanos());
    assertThat(ours.stream().map(DnsCaptureTest::parsed).flatMap(Optional::stream))
        .flatExtracting(DnsMessage::resolutions)
        .extracting(DnsMessage.Resolution::address)
        .containsExactlyInAnyOrder(
            InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));
  }

  @Test
  void attachesToTheRootAndDetachesOnClose() throws Exception {
    // Other agents on this machine may attach programs of the same names: follow ours by id.
    DnsCapture capture =
        DnsCapture.start(
            KernelTests.settings(), Clock.systemUTC(), LoggerFactory.getLogger("test"), r -> {});
    List<Integer> ours;
    try {
      ours = capture.programIds();
      assertThat(ours).hasSize(DnsCapture.PROGRAMS.size());
      assertThat(DnsCapture.leftovers(KernelTests.cgroupRoot())).containsAll(DnsCapture.PROGRAMS);
      assertThat(KernelTests.bpftoolShowIds()).containsAll(ours);
      capture.stop();
    } finally {
      capture.close();
    }
    assertThat(KernelTests.bpftoolShowIds()).doesNotContainAnyElementsOf(ours);
  }
}
