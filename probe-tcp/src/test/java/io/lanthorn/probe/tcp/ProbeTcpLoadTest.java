package io.lanthorn.probe.tcp;

import static io.lanthorn.api.testkit.Requirements.require;
import static io.lanthorn.probe.tcp.Connections.LOOPBACK_V4;
import static io.lanthorn.probe.tcp.Connections.PID;
import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfSupport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many connections: every attempt is either emitted or counted lost. Other processes connect on
 * this machine meanwhile, so our events are picked by pid and port, and the exact balance is
 * checked on the kernel's own totals.
 */
class ProbeTcpLoadTest {
  private ProbeTcpSource source;
  private final RecordingEmitter emitter = new RecordingEmitter();

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
  }

  /** Connects {@code count} times, closing each with a reset so no TIME_WAIT piles up. */
  private static int connect(int count) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 4096, LOOPBACK_V4)) {
      Thread acceptor =
          Thread.ofPlatform()
              .name("lt-acceptor")
              .start(
                  () -> {
                    for (int i = 0; i < count; i++) {
                      try {
                        server.accept().close();
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
      InetSocketAddress target = new InetSocketAddress(LOOPBACK_V4, server.getLocalPort());
      for (int i = 0; i < count; i++) {
        try (Socket socket = new Socket()) {
          socket.setSoLinger(true, 0);
          socket.connect(target);
        }
      }
      acceptor.join();
      return server.getLocalPort();
    }
  }

  private static Predicate<ConnectionEvent> ours(int port) {
    return e -> e.pid() == PID && e.destinationPort() == port;
  }

  @Test
  void aHundredThousandConnectsAreEachEmittedOrCountedLostWithDefaults() throws Exception {
    // Outbound attempts only: accepts and closes have their own records and loss reasons
    // (ProbeTcpFlowsTest, bench/flows).
    TestPluginContext context =
        TestPluginContext.forPlugin("probe-tcp").with("inbound = false, lifetime = false");
    source = start(context);

    int port = connect(100_000);
    source.stop();

    // On a quiet machine nothing is lost (bench/probe/run.sh prints that figure); on a loaded one
    // the reader may fall behind and the ring overflow, but never silently: every attempt the
    // kernel started is emitted or counted by reason, exactly.
    long lost = emitter.totalLost();
    assertThat(emitter.lost().keySet())
        .isSubsetOf(
            KernelCounters.LOST_RING_FULL,
            KernelCounters.LOST_INFLIGHT_FULL,
            StaleAttempts.LOST_STALE,
            ProbeTcpSource.LOST_DECODE_ERROR);
    assertThat(emitter.count(ours(port)) + lost).isGreaterThanOrEqualTo(100_000);
    assertThat(emitter.count(ours(port))).isLessThanOrEqualTo(100_000);
    assertThat(emitter.connections().size() + lost)
        .isEqualTo(context.metrics().value("kernel.started"));
    assertThat(context.metrics().value("events")).isEqualTo(emitter.connections().size());
  }

  @Test
  void whatDoesNotFitIsCountedExactly() throws Exception {
    // Eleven records fit; the reader sleeps long, so most attempts cannot find room.
    TestPluginContext context =
        TestPluginContext.forPlugin("probe-tcp")
            .with(
                "ring-size = 4K, wakeup-threshold = 3K, poll-interval = 10s, inbound = false,"
                    + " lifetime = false");
    source = start(context);

    int port = connect(5_000);
    source.stop();

    long lost = emitter.totalLost();
    assertThat(emitter.lost()).containsOnlyKeys(KernelCounters.LOST_RING_FULL);
    assertThat(lost).isPositive().isEqualTo(context.metrics().value("kernel.ring_full"));
    // Every attempt the kernel saw start is an event or a loss, exactly.
    assertThat(emitter.connections().size() + lost)
        .isEqualTo(context.metrics().value("kernel.started"));
    long ours = emitter.count(ours(port));
    assertThat(ours).isLessThan(5_000);
    assertThat(ours + lost).isGreaterThanOrEqualTo(5_000);
    // Process records compete for the same ring: an attempt whose process record found no room
    // was lost as a whole (counted above), so every event delivered carries its process's data.
    Path cgroup = Connections.cgroupPath().getFileName(); // the root cgroup's name is empty
    assertThat(emitter.connections(ours(port)))
        .allSatisfy(
            e -> {
              assertThat(e.commandLine()).contains("java");
              assertThat(e.cgroupName()).isEqualTo(cgroup == null ? null : cgroup.toString());
            });
    assertThat(context.metrics().value("events.unknown_cgroup")).isZero();
    assertThat(context.metrics().value("events.unknown_process")).isZero();
  }
}
