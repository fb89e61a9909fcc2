package io.lanthorn.probe.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin with real parts: the programs in this kernel, dnsmasq on the Docker bridge's gateway,
 * containers of the host's dockerd resolving through it with {@code --dns}.
 */
class ProbeDnsPluginTest {
  private static final InetAddress SHARED = InetAddress.ofLiteral("10.99.0.1");
  private static final InetAddress API_V6 = InetAddress.ofLiteral("fd00:99::1");
  private static InetAddress gateway;
  private static DnsServer server;
  private final List<String> containers = new ArrayList<>();
  private final RecordingEmitter emitted = new RecordingEmitter();
  private ProbeDnsPlugin plugin;
  private final Queue<DnsResponseHandler.DnsObservation> observations =
      new ConcurrentLinkedQueue<>();
  private TestPluginContext context;

  @BeforeAll
  static void startServer() throws Exception {
    KernelTests.assumeBpf();
    Docker.assumeDocker();
    gateway = Docker.bridgeGateway();
    server =
        DnsServer.start(
            gateway,
            Map.of(
                "api.lanthorn.test", List.of("10.99.0.1", "fd00:99::1"),
                "one.lanthorn.test", List.of("10.99.0.1"),
                "two.lanthorn.test", List.of("10.99.0.1")));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    context =
        TestPluginContext.forPlugin("probe-dns").with("poll-interval = 10ms").withEmitter(emitted);
    plugin =
        ProbeDnsPlugin.start(ProbeDnsConfig.from(context.config()), context, observations::add);
    assertThat(plugin.capture()).as("the kernel took the programs").isNotNull();
  }

  @AfterEach
  void stop() throws Exception {
    plugin.stop();
    plugin.close();
    for (String id : containers) {
      Docker.docker("rm", "-f", id);
    }
  }

  private static ConnectionEvent connection(long cgroupId, InetAddress to) {
    return ConnectionEvent.builder()
        .family(to.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6)
        .sourceAddress(to.getAddress().length == 4 ? gateway : InetAddress.ofLiteral("::1"))
        .destinationAddress(to)
        .destinationPort(443)
        .timestampNanos(System.currentTimeMillis() * 1_000_000L)
        .comm("test")
        .cgroupId(cgroupId)
        .outcome(Outcome.ESTABLISHED)
        .build();
  }

  private String enriched(long cgroupId, InetAddress to) {
    List<Event> batch = new ArrayList<>(List.of(connection(cgroupId, to)));
    plugin.enrichAll(batch);
    return batch.getFirst().attribute(ProbeDnsPlugin.DOMAIN_NAME);
  }

  /** Starts a container that resolves {@code name} through the test's server, then stays up. */
  private long containerResolving(String name, String type) throws Exception {
    Docker.Result run =
        Docker.docker(
            "run",
            "-d",
            "--name",
            "dns-enricher-test-" + System.nanoTime(),
            "--dns",
            gateway.getHostAddress(),
            Docker.IMAGE,
            "sh",
            "-c",
            "busybox nslookup -type=" + type + " " + name + " && sleep 30");
    assertThat(run.exit()).as(run.output()).isZero();
    containers.add(run.output());
    return Docker.cgroupId(run.output());
  }

  @Test
  void aHostProcessConnectionIsNamed() throws Exception {
    assertThat(server.ask("api.lanthorn.test", DnsMessage.TYPE_A, Duration.ofSeconds(2)))
        .isNotNull();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "api.lanthorn.test".equals(enriched(KernelTests.ownCgroupId(), SHARED)));
    assertThat(context.metrics().snapshot()).containsKey("names.hit");
    // The answer itself is an event too, with the process that asked.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                emitted.events().stream()
                    .anyMatch(
                        e ->
                            e instanceof DnsEvent d
                                && d.questionName().equals("api.lanthorn.test")
                                && d.pid() == ProcessHandle.current().pid()
                                && d.addresses().contains(SHARED)
                                && d.serverAddress().equals(gateway)));
  }

  @Test
  void aContainersConnectionsAreNamedOverIpv4AndIpv6() throws Exception {
    long a = containerResolving("api.lanthorn.test", "A");
    long aaaa = containerResolving("api.lanthorn.test", "AAAA");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "api.lanthorn.test".equals(enriched(a, SHARED)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "api.lanthorn.test".equals(enriched(aaaa, API_V6)));
  }

  @Test
  void twoContainersResolvingTwoNamesToOneAddressEachGetTheirOwn() throws Exception {
    long one = containerResolving("one.lanthorn.test", "A");
    long two = containerResolving("two.lanthorn.test", "A");

    await().atMost(Duration.ofSeconds(10)).until(() -> enriched(two, SHARED) != null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "one.lanthorn.test".equals(enriched(one, SHARED)));
    assertThat(enriched(two, SHARED)).isEqualTo("two.lanthorn.test");
  }

  @Test
  void aContainerGoneWithinMillisecondsIsStillAttributed() throws Exception {
    Path cidFile = Files.createTempDirectory("probe-dns-test").resolve("cid");
    Docker.Result run =
        Docker.docker(
            "run",
            "--rm",
            "--cidfile",
            cidFile.toString(),
            "--dns",
            gateway.getHostAddress(),
            Docker.IMAGE,
            "busybox",
            "nslookup",
            "-type=A",
            "one.lanthorn.test");
    assertThat(run.exit()).as(run.output()).isZero();

    // The container is gone: what the kernel captured still says who asked, and its cgroup.
    DnsResponseHandler.DnsObservation seen =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    observations.stream()
                        .filter(o -> o.message().questionName().equals("one.lanthorn.test"))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(seen.record().cgroupId()).isNotEqualTo(KernelTests.ownCgroupId()).isNotZero();
    assertThat(seen.record().pid()).isPositive();
    assertThat(seen.record().comm()).isEqualTo("busybox");
    assertThat(enriched(seen.record().cgroupId(), SHARED)).isEqualTo("one.lanthorn.test");
    // The kernel read the cgroup's name in the asking task, while the container lived: it does not
    // depend on the directory still being there when user space reads the response.
    String containerId = Files.readString(cidFile).strip();
    assertThat(seen.record().cgroupName()).contains(containerId);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                emitted.events().stream()
                    .anyMatch(
                        e ->
                            e instanceof DnsEvent d
                                && d.questionName().equals("one.lanthorn.test")
                                && d.header().cgroupName() != null
                                && d.header().cgroupName().contains(containerId)));
  }
}
