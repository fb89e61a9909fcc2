package io.lanthorn.probe.tcp;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.bpf.BpfSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accepted connections and connection lifetimes, on the real kernel (and dockerd). */
class ProbeTcpFlowsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String IMAGE = "lanthorn-test:busybox";

  private final RecordingEmitter emitter = new RecordingEmitter();
  private ProbeTcpSource source;
  private String container;

  @BeforeEach
  void assumeBpf() throws Exception {
    var reason = BpfSupport.unavailableReason();
    require(reason.isEmpty(), () -> "eBPF unavailable: " + reason.orElseThrow());
    source =
        new ProbeTcpFactory().create(TestPluginContext.forPlugin("probe-tcp").withEmitter(emitter));
  }

  @AfterEach
  void close() throws Exception {
    if (container != null) {
      docker("rm", "-f", container);
    }
    if (source != null) {
      source.stop();
      source.close();
    }
  }

  private <T extends Event> T awaitOne(Class<T> type, Predicate<T> filter) {
    await().atMost(WAIT).until(() -> !of(type, filter).isEmpty());
    List<T> found = of(type, filter);
    assertThat(found).hasSize(1);
    return found.getFirst();
  }

  private <T extends Event> List<T> of(Class<T> type, Predicate<T> filter) {
    return emitter.events().stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(filter)
        .toList();
  }

  @Test
  void aListenerInAContainerIsAttributedToTheContainerAndTheHostsConnectionMatches()
      throws Exception {
    require(
        docker("image", "inspect", IMAGE).startsWith("0:"),
        "dockerd with the image " + IMAGE + " (scripts/start-docker.sh, scripts/test-image.sh)");
    String name = "flows-accept-" + ProcessHandle.current().pid();
    String run = docker("run", "-d", "--name", name, IMAGE, "nc", "-l", "-p", "8080");
    assertThat(run).startsWith("0:");
    container = name;
    String id = run.substring(2).strip();
    InetAddress address =
        InetAddress.ofLiteral(
            docker("inspect", "--format", "{{.NetworkSettings.IPAddress}}", name)
                .substring(2)
                .strip());
    Socket client = connectWhenListening(new InetSocketAddress(address, 8080));
    int clientPort = client.getLocalPort();
    try (client) {
      client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));

      InboundAcceptEvent accept =
          awaitOne(
              InboundAcceptEvent.class, a -> a.localPort() == 8080 && a.remotePort() == clientPort);
      assertThat(accept.localAddress()).isEqualTo(address);
      assertThat(accept.remoteAddress()).isEqualTo(client.getLocalAddress());
      assertThat(accept.cgroupName()).contains(id);
      assertThat(accept.cgroupId()).isPositive();
      // The listen() ran in the container's nc: its owner is known.
      assertThat(accept.comm()).isEqualTo("nc");
      assertThat(accept.pid()).isPositive().isNotEqualTo(Connections.PID);

      ConnectionEvent outbound =
          awaitOne(
              ConnectionEvent.class,
              c -> c.destinationPort() == 8080 && c.sourcePort() == clientPort);
      assertThat(outbound.outcome()).isEqualTo(Outcome.ESTABLISHED);
      assertThat(outbound.pid()).isEqualTo(Connections.PID);
      // The same 4-tuple seen from both ends.
      assertThat(outbound.sourceAddress()).isEqualTo(accept.remoteAddress());
      assertThat(outbound.destinationAddress()).isEqualTo(accept.localAddress());
    }
    // nc exits at end of input; both ends close.
    ConnectionCloseEvent hostEnd =
        awaitOne(ConnectionCloseEvent.class, c -> !c.inbound() && c.localPort() == clientPort);
    assertThat(hostEnd.remotePort()).isEqualTo(8080);
    assertThat(hostEnd.bytesSent()).isBetween(6L, 8L);
    ConnectionCloseEvent containerEnd =
        awaitOne(ConnectionCloseEvent.class, c -> c.inbound() && c.remotePort() == clientPort);
    assertThat(containerEnd.localPort()).isEqualTo(8080);
    assertThat(containerEnd.bytesReceived()).isBetween(6L, 8L);
  }

  @Test
  void aClosedConnectionCarriesItsDurationAndBytesEachWay() throws Exception {
    int toServer = 1 << 20;
    int toClient = 10 << 10;
    InetAddress loopback = Connections.LOOPBACK_V4;
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      int port = server.getLocalPort();
      CompletableFuture<Long> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket peer = server.accept()) {
                  long read = drain(peer.getInputStream(), toServer);
                  peer.getOutputStream().write(new byte[toClient]);
                  peer.shutdownOutput();
                  peer.getInputStream().read(); // until the client closes
                  return read;
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      int clientPort;
      long start = System.nanoTime();
      try (Socket client = new Socket(loopback, port)) {
        clientPort = client.getLocalPort();
        OutputStream out = client.getOutputStream();
        out.write(new byte[toServer]);
        assertThat(drain(client.getInputStream(), toClient)).isEqualTo(toClient);
        Thread.sleep(50); // a lifetime clearly longer than the handshake
      }
      long elapsed = System.nanoTime() - start;
      assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(toServer);

      ConnectionEvent connect =
          awaitOne(
              ConnectionEvent.class,
              c -> c.destinationPort() == port && c.sourcePort() == clientPort);
      InboundAcceptEvent accept =
          awaitOne(
              InboundAcceptEvent.class, a -> a.localPort() == port && a.remotePort() == clientPort);
      assertThat(accept.pid()).isEqualTo(Connections.PID); // this JVM called listen()

      ConnectionCloseEvent clientEnd =
          awaitOne(ConnectionCloseEvent.class, c -> !c.inbound() && c.localPort() == clientPort);
      assertThat(clientEnd.openedKernelTimeNanos()).isEqualTo(connect.kernelTimeNanos());
      assertThat(clientEnd.remotePort()).isEqualTo(port);
      assertThat(clientEnd.bytesSent()).isCloseTo(toServer, within(300L));
      assertThat(clientEnd.bytesReceived()).isCloseTo(toClient, within(300L));
      assertThat(clientEnd.durationNanos()).isBetween(50_000_000L, elapsed);

      ConnectionCloseEvent serverEnd =
          awaitOne(ConnectionCloseEvent.class, c -> c.inbound() && c.remotePort() == clientPort);
      assertThat(serverEnd.openedKernelTimeNanos()).isEqualTo(accept.kernelTimeNanos());
      assertThat(serverEnd.localPort()).isEqualTo(port);
      assertThat(serverEnd.bytesSent()).isCloseTo(toClient, within(300L));
      assertThat(serverEnd.bytesReceived()).isCloseTo(toServer, within(300L));
      assertThat(serverEnd.durationNanos()).isPositive();
    }
  }

  @Test
  void withInboundOffNoAcceptIsReported() throws Exception {
    source.stop();
    source.close();
    source =
        new ProbeTcpFactory()
            .create(
                TestPluginContext.forPlugin("probe-tcp")
                    .with("inbound = false")
                    .withEmitter(emitter));
    InetAddress loopback = Connections.LOOPBACK_V4;
    try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
      int port = server.getLocalPort();
      try (Socket client = new Socket(loopback, port);
          Socket peer = server.accept()) {
        awaitOne(ConnectionEvent.class, c -> c.destinationPort() == port);
      }
      awaitOne(ConnectionCloseEvent.class, c -> !c.inbound() && c.remotePort() == port);
      source.stop();
      assertThat(of(InboundAcceptEvent.class, a -> a.localPort() == port)).isEmpty();
      assertThat(of(ConnectionCloseEvent.class, c -> c.inbound() && c.localPort() == port))
          .isEmpty();
    }
  }

  private static long drain(InputStream in, int expected) throws IOException {
    byte[] buffer = new byte[64 << 10];
    long total = 0;
    int n;
    while (total < expected && (n = in.read(buffer)) > 0) {
      total += n;
    }
    return total;
  }

  /** Connects once the container's nc listens (refused attempts until then). */
  private static Socket connectWhenListening(InetSocketAddress target) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(target, 2_000);
        return socket;
      } catch (IOException e) {
        socket.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /** "exit:output" of a docker command. */
  private static String docker(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    return p.exitValue() + ":" + out.strip();
  }
}
