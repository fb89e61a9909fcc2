package io.lanthorn.probe.tcp;

import static io.lanthorn.api.testkit.Requirements.require;
import static io.lanthorn.probe.tcp.Connections.LOOPBACK_V4;
import static io.lanthorn.probe.tcp.Connections.PID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfLink;
import io.lanthorn.bpf.BpfMap;
import io.lanthorn.bpf.BpfProgram;
import io.lanthorn.bpf.BpfSupport;
import io.lanthorn.bpf.KernelObjects;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stopping: attempts still in their handshake, a full in-flight map, and what stays behind. */
class ProbeTcpLifecycleTest {
  private ProbeTcpSource source;
  private final RecordingEmitter emitter = new RecordingEmitter();
  private final List<SocketChannel> channels = new ArrayList<>();

  @BeforeEach
  void assumeBpf() {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF unavailable: " + reason.orElseThrow());
  }

  /** Creates the source as the agent does, emitting to {@link #emitter}. */
  private ProbeTcpSource start(TestPluginContext context) throws Exception {
    return new ProbeTcpFactory().create(context.withEmitter(emitter));
  }

  @AfterEach
  void close() throws Exception {
    if (source != null) {
      source.stop();
      source.close();
    }
    for (SocketChannel channel : channels) {
      channel.close();
    }
  }

  /**
   * Starts {@code count} non-blocking connects to a listener of backlog 1 that never accepts: two
   * complete into its accept queue, the kernel drops the SYNs of the rest, which stay in SYN_SENT.
   */
  private void connectToAFullListener(ServerSocket server, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open();
      channels.add(channel);
      channel.configureBlocking(false);
      channel.connect(new InetSocketAddress(LOOPBACK_V4, server.getLocalPort()));
    }
  }

  private static Predicate<ConnectionEvent> ours(ServerSocket server) {
    return e -> e.pid() == PID && e.destinationPort() == server.getLocalPort();
  }

  @Test
  void stopEmitsAttemptsStillInTheirHandshakeAsPending() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK_V4)) {
      connectToAFullListener(server, 6);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> emitter.count(ours(server).and(e -> e.outcome() == Outcome.ESTABLISHED)) >= 2);

      source.stop();

      List<ConnectionEvent> events = emitter.connections(ours(server));
      List<ConnectionEvent> pending =
          events.stream().filter(e -> e.outcome() == Outcome.PENDING).toList();
      assertThat(events).hasSize(6);
      assertThat(pending).isNotEmpty();
      assertThat(pending)
          .allSatisfy(
              e -> {
                assertThat(e.handshakeNanos()).isEqualTo(-1);
                assertThat(e.destinationAddress()).isEqualTo(LOOPBACK_V4);
                assertThat(e.comm()).isNotEmpty();
              });
      assertThat(emitter.totalLost()).isZero();
    }
  }

  @Test
  void aFullInFlightMapIsCountedAsLoss() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp").with("inflight-entries = 2"));
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK_V4)) {
      connectToAFullListener(server, 12);

      source.stop();

      // At most four of our attempts found room (two slots of the direct-mapped table, two
      // entries of the hash map); every other one is counted, none is silent.
      long ours = emitter.count(ours(server));
      assertThat(ours).isLessThanOrEqualTo(6); // 4 in flight, at most 2 completed before
      assertThat(emitter.lost().getOrDefault(KernelCounters.LOST_INFLIGHT_FULL, 0L))
          .isGreaterThanOrEqualTo(12 - ours);
    }
  }

  @Test
  void attemptsOlderThanTheTimeoutAreDroppedAndCounted() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp").with("inflight-timeout = 200ms"));
    try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK_V4)) {
      connectToAFullListener(server, 6);

      // The stuck attempts stay in SYN_SENT for over a minute: the sweep must take them out.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  emitter.lost().getOrDefault(StaleAttempts.LOST_STALE, 0L)
                          + emitter.count(ours(server).and(e -> e.outcome() == Outcome.ESTABLISHED))
                      >= 6);
      source.stop();

      assertThat(emitter.count(ours(server).and(e -> e.outcome() == Outcome.PENDING))).isZero();
    }
  }

  @Test
  void closeWithoutStopReleasesTheProgram() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    int program = source.probe().programs().getFirst().id();

    source.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> !KernelObjects.programExists(program));
  }

  @Test
  void leavesNoProgramLinkOrMapBehind() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    List<Integer> programs = source.probe().programs().stream().map(BpfProgram::id).toList();
    List<Integer> links = source.probe().links().stream().map(BpfLink::id).toList();
    List<Integer> maps = source.probe().object().maps().stream().map(BpfMap::id).toList();
    // The state-change program and the listen() hook (inbound on by default).
    assertThat(programs).hasSize(2).allMatch(KernelObjects::programExists);
    assertThat(links).hasSize(2).allMatch(id -> id > 0 && KernelObjects.linkExists(id));
    assertThat(maps).hasSizeGreaterThanOrEqualTo(4).allMatch(KernelObjects::mapExists);

    source.stop();
    source.close();

    // The kernel frees them after an RCU grace period.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(links).noneMatch(KernelObjects::linkExists);
              assertThat(programs).noneMatch(KernelObjects::programExists);
              assertThat(maps).noneMatch(KernelObjects::mapExists);
            });
  }
}
