package io.lanthorn.probe.udp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
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
    source =
        (UdpFlowSource)
            new ProbeUdpFactory()
                .create(
                    TestPluginContext.forPlugin("probe-udp")
                        .with("interval = 100ms, idle-timeout = 1s")
                        .withEmitter(emitter));
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
    container = "flows-udp-" + PID;
    String out =
        run(
            "docker",
            "run",
            "--name",
            container,
            "--network",
            "none",
            "-v",
            sender + ":/udpsend:ro",
            IMAGE,
            "/udpsend",
            "1000",
            "9001",
            "9002",
            "9003");
    assertThat(out).isEqualTo("0:sent");
    String id = run("docker", "inspect", "--format", "{{.Id}}", container).substring(2).strip();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> datagramsByPort(id).values().stream().mapToLong(Long::longValue).sum() >= 3000);
    source.stop();
    Map<Integer, Long> byPort = datagramsByPort(id);
    assertThat(byPort)
        .containsExactlyInAnyOrderEntriesOf(Map.of(9001, 1000L, 9002, 1000L, 9003, 1000L));
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
  void portFiftyThreeIsLeftToTheDnsProbeAndConnectedSocketsAreSeenOnce() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      byte[] one = "x".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 5; i++) {
        socket.send(new DatagramPacket(one, 1, new InetSocketAddress(LOOPBACK, 53)));
        socket.send(new DatagramPacket(one, 1, new InetSocketAddress(LOOPBACK, 9004)));
      }
      socket.connect(new InetSocketAddress(LOOPBACK, 9005));
      socket.send(new DatagramPacket(one, 1));
      int localPort = socket.getLocalPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> flows().stream().anyMatch(e -> e.destinationPort() == 9005 && e.pid() == PID));
      source.stop();
      List<UdpFlowEvent> mine = flows().stream().filter(e -> e.pid() == PID).toList();
      assertThat(mine).noneMatch(e -> e.destinationPort() == 53);
      assertThat(
              mine.stream()
                  .filter(e -> e.destinationPort() == 9004)
                  .mapToLong(UdpFlowEvent::datagrams)
                  .sum())
          .isEqualTo(5);
      assertThat(mine)
          .filteredOn(e -> e.destinationPort() == 9004)
          .allMatch(e -> e.sourcePort() == localPort);
      // A connect() is reported; its sends are not counted unless they name the destination
      // again (the JDK's send on a connected socket does, so 0 or 1 here).
      assertThat(mine)
          .filteredOn(e -> e.destinationPort() == 9005)
          .singleElement()
          .satisfies(e -> assertThat(e.datagrams()).isBetween(0L, 1L));
    }
  }

  private List<UdpFlowEvent> ours(String containerId) {
    return flows().stream()
        .filter(e -> e.cgroupName() != null && e.cgroupName().contains(containerId))
        .toList();
  }

  private Map<Integer, Long> datagramsByPort(String containerId) {
    return ours(containerId).stream()
        .collect(
            Collectors.groupingBy(
                UdpFlowEvent::destinationPort, Collectors.summingLong(UdpFlowEvent::datagrams)));
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
