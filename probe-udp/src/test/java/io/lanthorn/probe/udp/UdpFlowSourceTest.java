package io.lanthorn.probe.udp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfProgram;
import io.lanthorn.bpf.BpfSupport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sock_addr hooks on the real kernel, from a container and from this JVM. */
class UdpFlowSourceTest {
  private static final String IMAGE = "lanthorn-test:busybox";
  private static final int PID = (int) ProcessHandle.current().pid();
  private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

  private final RecordingEmitter emitter = new RecordingEmitter();
  private UdpFlowSource source;
  private String container;

  @BeforeEach
  void start() throws Exception {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF unavailable: " + reason.orElseThrow());
    source = (UdpFlowSource) new ProbeUdpFactory().create(context());
  }

  private TestPluginContext context() {
    return TestPluginContext.forPlugin("probe-udp")
        .with("interval = 100ms, idle-timeout = 1s")
        .withEmitter(emitter);
  }

  @AfterEach
  void stop() throws Exception {
    if (container != null) {
      run("docker", "rm", "-f", container);
    }
    if (source != null) {
      source.stop();
      source.close();
    }
  }

  private List<UdpFlowEvent> flows() {
    return emitter.events().stream()
        .filter(UdpFlowEvent.class::isInstance)
        .map(UdpFlowEvent.class::cast)
        .toList();
  }

  @Test
  void aContainerSendingToThreeDestinationsIsThreeFlowsCountingEveryDatagram() throws Exception {
    String id = runSender("unconnected", "-s", "37", "1000", "9001", "9002", "9003");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sum(ours(id), UdpFlowEvent::datagrams) >= 3000);
    source.stop();
    assertThat(sumByPort(id, UdpFlowEvent::datagrams))
        .containsExactlyInAnyOrderEntriesOf(Map.of(9001, 1000L, 9002, 1000L, 9003, 1000L));
    assertThat(sumByPort(id, UdpFlowEvent::bytes))
        .containsExactlyInAnyOrderEntriesOf(Map.of(9001, 37_000L, 9002, 37_000L, 9003, 37_000L));
    List<UdpFlowEvent> ours = ours(id);
    assertThat(ours)
        .allSatisfy(
            e -> {
              assertThat(e.comm()).isEqualTo("udpsend");
              assertThat(e.destinationAddress()).isEqualTo(LOOPBACK);
              assertThat(e.cgroupId()).isPositive();
            });
    // Per interval, not per datagram.
    assertThat(ours.size()).isLessThan(100);
  }

  @Test
  void aContainersConnectedSocketsCountEveryDatagramAndByte() throws Exception {
    String id = runSender("connected", "-c", "-s", "512", "700", "9011", "9012");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sum(ours(id), UdpFlowEvent::datagrams) >= 1400);
    source.stop();
    assertThat(sumByPort(id, UdpFlowEvent::datagrams))
        .containsExactlyInAnyOrderEntriesOf(Map.of(9011, 700L, 9012, 700L));
    assertThat(sumByPort(id, UdpFlowEvent::bytes))
        .containsExactlyInAnyOrderEntriesOf(Map.of(9011, 358_400L, 9012, 358_400L));
    assertThat(ours(id))
        .allSatisfy(
            e -> {
              assertThat(e.comm()).isEqualTo("udpsend");
              assertThat(e.destinationAddress()).isEqualTo(LOOPBACK);
              // Bound by connect(): the source is the socket's own.
              assertThat(e.sourceAddress()).isEqualTo(LOOPBACK);
              assertThat(e.sourcePort()).isPositive();
            });
  }

  /** Runs the test's sender in a container with only a loopback; returns the container's id. */
  private String runSender(String name, String... args) throws Exception {
    require(
        run("docker", "image", "inspect", IMAGE).startsWith("0:"),
        "dockerd with the image " + IMAGE + " (scripts/start-docker.sh, scripts/test-image.sh)");
    require(run("cc", "--version").startsWith("0:"), "a C compiler (cc) for the test's sender");
    Path sender = Path.of("target", "udpsend").toAbsolutePath();
    String compiled =
        run(
            "cc",
            "-static",
            "-O2",
            "-o",
            sender.toString(),
            Path.of("src/test/c/udpsend.c").toString());
    assertThat(compiled).startsWith("0:");
    container = "flows-udp-" + name + "-" + PID;
    List<String> command =
        new ArrayList<>(
            List.of(
                "docker",
                "run",
                "--name",
                container,
                "--network",
                "none",
                "-v",
                sender + ":/udpsend:ro",
                IMAGE,
                "/udpsend"));
    command.addAll(List.of(args));
    assertThat(run(command.toArray(String[]::new))).isEqualTo("0:sent");
    return run("docker", "inspect", "--format", "{{.Id}}", container).substring(2).strip();
  }

  @Test
  void portFiftyThreeIsLeftToTheDnsProbeAndConnectedSocketsAreCounted() throws Exception {
    byte[] three = "xyz".getBytes(StandardCharsets.US_ASCII);
    // Receivers, so that no "port unreachable" fails a connected socket's next send.
    try (DatagramSocket unconnectedTarget = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        DatagramSocket connectedTarget = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        DatagramSocket dns = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      int unconnected = unconnectedTarget.getLocalPort();
      int connected = connectedTarget.getLocalPort();
      for (int i = 0; i < 5; i++) {
        socket.send(new DatagramPacket(three, 3, new InetSocketAddress(LOOPBACK, 53)));
        socket.send(new DatagramPacket(three, 3, new InetSocketAddress(LOOPBACK, unconnected)));
      }
      dns.connect(new InetSocketAddress(LOOPBACK, 53));
      dns.send(new DatagramPacket(three, 3));
      silent.connect(new InetSocketAddress(LOOPBACK, unconnected));
      socket.connect(new InetSocketAddress(LOOPBACK, connected));
      socket.send(new DatagramPacket(three, 3));
      socket.send(new DatagramPacket(three, 2));
      int localPort = socket.getLocalPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  sum(mine(connected), UdpFlowEvent::datagrams) >= 2
                      && sum(mine(unconnected), UdpFlowEvent::datagrams) >= 5
                      && flows().stream().anyMatch(e -> e.sourcePort() == silent.getLocalPort()));
      source.stop();
      assertThat(mine(53)).isEmpty();
      List<UdpFlowEvent> sent = mine(unconnected).stream().filter(e -> e.datagrams() > 0).toList();
      assertThat(sum(sent, UdpFlowEvent::datagrams)).isEqualTo(5);
      assertThat(sum(sent, UdpFlowEvent::bytes)).isEqualTo(15);
      assertThat(sent).allMatch(e -> e.sourcePort() == localPort);
      // The connected socket's send()s are counted like any other.
      assertThat(sum(mine(connected), UdpFlowEvent::datagrams)).isEqualTo(2);
      assertThat(sum(mine(connected), UdpFlowEvent::bytes)).isEqualTo(5);
      // A connect() without a send is reported once, with nothing sent.
      assertThat(mine(unconnected))
          .filteredOn(e -> e.sourcePort() == silent.getLocalPort())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.datagrams()).isZero();
                assertThat(e.bytes()).isZero();
              });
    }
  }

  @Test
  void withoutTheTracepointTheHooksCountSendsThatNameTheirDestination() throws Exception {
    source.stop();
    source.close();
    TestPluginContext context = context();
    source = UdpFlowSource.start(ProbeUdpConfig.from(context.config()), context, true);
    assertThat(source.probe().programs())
        .extracting(BpfProgram::name)
        .containsExactlyInAnyOrderElementsOf(UdpFlowSource.HOOK_PROGRAMS);
    byte[] three = "xyz".getBytes(StandardCharsets.US_ASCII);
    try (DatagramSocket target = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      int port = target.getLocalPort();
      for (int i = 0; i < 4; i++) {
        socket.send(new DatagramPacket(three, 3, new InetSocketAddress(LOOPBACK, port)));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sum(mine(port), UdpFlowEvent::datagrams) >= 4);
      source.stop();
      assertThat(sum(mine(port), UdpFlowEvent::datagrams)).isEqualTo(4);
      assertThat(sum(mine(port), UdpFlowEvent::bytes)).isZero(); // not known there
    }
  }

  /** What this JVM sent to a loopback port. */
  private List<UdpFlowEvent> mine(int port) {
    return flows().stream().filter(e -> e.pid() == PID && e.destinationPort() == port).toList();
  }

  private static long sum(List<UdpFlowEvent> events, ToLongFunction<UdpFlowEvent> field) {
    return events.stream().mapToLong(field).sum();
  }

  private List<UdpFlowEvent> ours(String containerId) {
    return flows().stream()
        .filter(e -> e.cgroupName() != null && e.cgroupName().contains(containerId))
        .toList();
  }

  private Map<Integer, Long> sumByPort(String containerId, ToLongFunction<UdpFlowEvent> field) {
    return ours(containerId).stream()
        .collect(
            Collectors.groupingBy(UdpFlowEvent::destinationPort, Collectors.summingLong(field)));
  }

  private static String run(String... command) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + List.of(command));
    }
    return p.exitValue() + ":" + out.strip();
  }
}
