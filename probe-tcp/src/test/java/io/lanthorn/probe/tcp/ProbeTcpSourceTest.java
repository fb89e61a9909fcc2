package io.lanthorn.probe.tcp;

import static io.lanthorn.api.testkit.Requirements.require;
import static io.lanthorn.probe.tcp.Connections.PID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfSupport;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe on the real kernel, one connection at a time. */
class ProbeTcpSourceTest {
  private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

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

  private ConnectionEvent awaitOne(Predicate<ConnectionEvent> filter) {
    await().atMost(EVENT_WAIT).until(() -> emitter.count(filter) > 0);
    List<ConnectionEvent> events = emitter.connections(filter);
    assertThat(events).hasSize(1);
    return events.getFirst();
  }

  private static Predicate<ConnectionEvent> ours(int destinationPort) {
    return e -> e.pid() == PID && e.destinationPort() == destinationPort;
  }

  private static int closedPort(InetAddress address) throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, address)) {
      return probe.getLocalPort();
    }
  }

  @Test
  void establishedOverIpv4() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    assertThat(source.probe().strategy()).isEqualTo("tp_btf");
    InetAddress loopback = Connections.LOOPBACK_V4;
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      long before = System.currentTimeMillis();
      var attempt =
          Connections.connectFrom(
              "lt-connect-v4", new InetSocketAddress(loopback, server.getLocalPort()));
      assertThat(attempt.failure()).isNull();

      ConnectionEvent event = awaitOne(ours(server.getLocalPort()));

      assertThat(event.outcome()).isEqualTo(Outcome.ESTABLISHED);
      assertThat(event.errno()).isZero();
      assertThat(event.family()).isEqualTo(AddressFamily.INET);
      assertThat(event.destinationAddress()).isEqualTo(loopback);
      assertThat(event.sourceAddress()).isEqualTo(loopback);
      assertThat(event.sourcePort()).isEqualTo(attempt.localPort());
      assertThat(event.tid()).isEqualTo(attempt.tid());
      assertThat(event.comm()).isEqualTo("lt-connect-v4");
      assertThat(event.uid()).isEqualTo(Connections.statusId("Uid"));
      assertThat(event.gid()).isEqualTo(Connections.statusId("Gid"));
      assertThat(event.handshakeNanos()).isPositive();
      assertThat(event.cgroupId())
          .isEqualTo(Files.getAttribute(Connections.cgroupDirectory(), "unix:ino"));
      Path cgroup = Connections.cgroupPath(); // the root cgroup's name is empty
      assertThat(event.cgroupName())
          .isEqualTo(cgroup.getFileName() == null ? null : cgroup.getFileName().toString());
      assertThat(event.commandLine()).contains("java");
      assertThat(event.timestampNanos() / 1_000_000).isCloseTo(before, within(10_000L));
    }
  }

  @Test
  void refusedOverIpv4() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    InetAddress loopback = Connections.LOOPBACK_V4;
    int port = closedPort(loopback);

    var attempt = Connections.connectFrom("lt-refused-v4", new InetSocketAddress(loopback, port));
    assertThat(attempt.failure()).isInstanceOf(ConnectException.class);

    ConnectionEvent event = awaitOne(ours(port));
    assertThat(event.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(event.errno()).isEqualTo(111); // ECONNREFUSED
    assertThat(event.family()).isEqualTo(AddressFamily.INET);
    assertThat(event.comm()).isEqualTo("lt-refused-v4");
    assertThat(event.handshakeNanos()).isPositive();
    // The kernel picked a local port before the SYN, and released it before the CLOSE.
    assertThat(event.sourcePort()).isPositive().isNotEqualTo(port);
  }

  @Test
  void establishedAndRefusedOverIpv6() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    InetAddress loopback = Connections.LOOPBACK_V6;
    int closed = closedPort(loopback);
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      var ok =
          Connections.connectFrom(
              "lt-connect-v6", new InetSocketAddress(loopback, server.getLocalPort()));
      var refused =
          Connections.connectFrom("lt-refused-v6", new InetSocketAddress(loopback, closed));
      assertThat(ok.failure()).isNull();
      assertThat(refused.failure()).isInstanceOf(ConnectException.class);

      ConnectionEvent established = awaitOne(ours(server.getLocalPort()));
      assertThat(established.outcome()).isEqualTo(Outcome.ESTABLISHED);
      assertThat(established.family()).isEqualTo(AddressFamily.INET6);
      assertThat(established.destinationAddress()).isEqualTo(loopback);
      assertThat(established.sourceAddress()).isEqualTo(loopback);
      assertThat(established.sourcePort()).isEqualTo(ok.localPort());
      assertThat(established.comm()).isEqualTo("lt-connect-v6");
      assertThat(established.handshakeNanos()).isPositive();

      ConnectionEvent failed = awaitOne(ours(closed));
      assertThat(failed.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(failed.family()).isEqualTo(AddressFamily.INET6);
      assertThat(failed.comm()).isEqualTo("lt-refused-v6");
      assertThat(failed.sourcePort()).isPositive().isNotEqualTo(closed);
    }
  }

  /**
   * A process that moves to another cgroup without exec'ing (as runc moves itself into a
   * container's cgroup before it execs the container's program) is announced again: its next
   * connection carries the new cgroup's id and name.
   */
  @Test
  void aProcessMovedToAnotherCgroupIsNamedByItsNewCgroup() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp"));
    Path cgroup = Connections.cgroupDirectory().resolve("lt-probe-test-" + PID);
    try (ServerSocket server = new ServerSocket(0, 50, Connections.LOOPBACK_V4)) {
      int port = server.getLocalPort();
      Files.createDirectory(cgroup);
      String connect = "exec 3<>/dev/tcp/127.0.0.1/" + port + "; exec 3<&-; ";
      Process child =
          new ProcessBuilder("bash", "-c", connect + "read line; " + connect)
              .redirectErrorStream(true)
              .start();
      try {
        Predicate<ConnectionEvent> childs =
            e -> e.pid() == child.pid() && e.destinationPort() == port;
        ConnectionEvent before = awaitOne(childs);
        Path here = Connections.cgroupDirectory();
        assertThat(before.cgroupId()).isEqualTo(Files.getAttribute(here, "unix:ino"));
        Path ours = Connections.cgroupPath().getFileName(); // the root cgroup's name is empty
        assertThat(before.cgroupName()).isEqualTo(ours == null ? null : ours.toString());

        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(child.pid()));
        child.getOutputStream().write('\n');
        child.getOutputStream().flush();
        await().atMost(EVENT_WAIT).until(() -> emitter.count(childs) == 2);
        assertThat(child.waitFor()).isZero();

        ConnectionEvent after = emitter.connections(childs).getLast();
        assertThat(after.cgroupId()).isEqualTo(Files.getAttribute(cgroup, "unix:ino"));
        assertThat(after.cgroupName()).isEqualTo(cgroup.getFileName().toString());
        assertThat(after.commandLine()).isEqualTo(before.commandLine()).startsWith("bash -c");
        assertThat(after.outcome()).isEqualTo(Outcome.ESTABLISHED);
      } finally {
        child.destroyForcibly().waitFor();
        Files.delete(cgroup); // empty once its process is gone
      }
    }
  }

  @Test
  void classicTracepointWorksToo() throws Exception {
    source = start(TestPluginContext.forPlugin("probe-tcp").with("attach = [tracepoint]"));
    assertThat(source.probe().strategy()).isEqualTo("tracepoint");
    InetAddress loopback = Connections.LOOPBACK_V4;
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      var attempt =
          Connections.connectFrom(
              "lt-connect-tp", new InetSocketAddress(loopback, server.getLocalPort()));

      ConnectionEvent event = awaitOne(ours(server.getLocalPort()));
      assertThat(event.outcome()).isEqualTo(Outcome.ESTABLISHED);
      assertThat(event.sourcePort()).isEqualTo(attempt.localPort());
      assertThat(event.comm()).isEqualTo("lt-connect-tp");
    }
  }
}
