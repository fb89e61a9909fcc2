package io.lanthorn.enricher.docker;

import static io.lanthorn.enricher.docker.DockerHost.IMAGE;
import static io.lanthorn.enricher.docker.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker absent, stopped, restarted and hung, against the real dockerd. Stops and restarts the
 * machine's daemon (this module owns it in tests) and always leaves it running.
 */
class DockerOutageTest {
  static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Short timings so that outages are noticed and recovered from quickly. */
  static final String FAST =
      """
      call-timeout = 1s
      inspect-timeout = 500ms
      health-interval = 500ms
      reconnect-backoff-min = 100ms
      reconnect-backoff-max = 1s
      """;

  final String prefix = "lanthorn-it-" + UUID.randomUUID().toString().substring(0, 8);
  final List<String> containers = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();
  @TempDir Path tmp;
  CgroupDirWatcher cgroupDirs;

  @BeforeEach
  void setUp() throws Exception {
    DockerHost.ensureRunning();
    String probe = runDetached("dir-probe");
    Path parent = KernelView.ofProcess(DockerHost.pidOf(probe)).directory().getParent();
    DockerHost.removeQuietly(List.of(probe));
    cgroupDirs = closing(new CgroupDirWatcher(parent));
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (AutoCloseable closeable : closeables.reversed()) {
        closeable.close();
      }
    } finally {
      // Whatever happened, leave dockerd running for everyone else.
      DockerHost.startDaemon();
      DockerHost.removeQuietly(containers);
    }
  }

  <T extends AutoCloseable> T closing(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  DockerEnricher startEnricher(TestPluginContext context) throws Exception {
    return closing(new DockerEnricherFactory().create(context));
  }

  String runDetached(String suffix) {
    String name = prefix + "-" + suffix;
    containers.add(name);
    return docker(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "none",
        IMAGE,
        "sh",
        "-c",
        "while true; do nc 127.0.0.1 1; sleep 1; done");
  }

  /** Runs a container that connects and exits within about 100 ms; returns its cgroup. */
  KernelView runShortLived(String suffix) throws Exception {
    Path cidFile = tmp.resolve(suffix + ".cid");
    docker(
        "run",
        "--rm",
        "--cidfile",
        cidFile.toString(),
        "--name",
        prefix + "-" + suffix,
        "--network",
        "none",
        IMAGE,
        "sh",
        "-c",
        "nc 127.0.0.1 1; sleep 0.1");
    String id = Files.readString(cidFile).strip();
    await("removal of " + suffix).atMost(PATIENCE).until(() -> !DockerHost.exists(id));
    return cgroupDirs.awaitContaining(id);
  }

  static ConnectionEvent enrich(DockerEnricher enricher, ConnectionEvent event) {
    List<Event> batch = new ArrayList<>(List.of(event));
    enricher.enrichAll(batch);
    return (ConnectionEvent) batch.getFirst();
  }

  static String status(ConnectionEvent event) {
    return event.attribute(StandardAttributes.ATTRIBUTION_STATUS);
  }

  static String randomId() {
    return UUID.randomUUID().toString().replace("-", "").repeat(2);
  }

  @Test
  void dockerStoppedThenRestartedMidTest() throws Exception {
    TestPluginContext context = TestPluginContext.forPlugin(DockerEnricher.NAME).with(FAST);
    DockerEnricher enricher = startEnricher(context);
    await().atMost(PATIENCE).until(enricher::available);
    String id = runDetached("before");
    int pid = DockerHost.pidOf(id);
    KernelView before = KernelView.ofProcess(pid);
    assertThat(status(enrich(enricher, before.event(pid)))).isEqualTo("attributed");
    DockerHost.removeQuietly(List.of(id)); // quicker daemon shutdown

    DockerHost.stopDaemon();
    await("Docker seen as gone").atMost(PATIENCE).until(() -> !enricher.available());

    // Capture goes on: events flow, unattributed, with the reason.
    String stranger = randomId();
    ConnectionEvent unknown = enrich(enricher, Events.connection(99, stranger, 0));
    assertThat(status(unknown)).isEqualTo("runtime_unavailable");
    assertThat(unknown.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(stranger);
    int self = (int) ProcessHandle.current().pid();
    assertThat(status(enrich(enricher, KernelView.ofProcess(self).event(self))))
        .isEqualTo("not_in_container");
    // What was learned before still names late events.
    ConnectionEvent late = enrich(enricher, before.event(pid));
    assertThat(late.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo(prefix + "-before");

    DockerHost.startDaemon();
    await("Docker back").atMost(PATIENCE).until(enricher::available);

    // Later containers are attributed: the events stream was resubscribed.
    KernelView after = runShortLived("after");
    ConnectionEvent e = enrich(enricher, after.event(4242));
    assertThat(status(e)).isEqualTo("attributed");
    assertThat(e.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo(prefix + "-after");
    assertThat(e.attribute(StandardAttributes.CONTAINER_IMAGE_NAME)).isEqualTo(IMAGE);
    assertThat(context.metrics().value("reconnects")).isPositive();
  }

  @Test
  void noDockerAtStartThenItAppears() throws Exception {
    DockerHost.stopDaemon();

    TestPluginContext context = TestPluginContext.forPlugin(DockerEnricher.NAME).with(FAST);
    DockerEnricher enricher = startEnricher(context);
    assertThat(enricher.available()).isFalse();
    ConnectionEvent e = enrich(enricher, Events.connection(99, randomId(), 0));
    assertThat(status(e)).isEqualTo("runtime_unavailable");

    DockerHost.startDaemon();
    await("attribution starts").atMost(PATIENCE).until(enricher::available);
    KernelView container = runShortLived("late");
    ConnectionEvent named = enrich(enricher, container.event(4242));
    assertThat(status(named)).isEqualTo("attributed");
    assertThat(named.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo(prefix + "-late");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang here is the bug this test looks for
  void aHungDaemonNeverStallsThePipeline() throws Exception {
    FreezableSocketProxy proxy =
        closing(
            new FreezableSocketProxy(tmp.resolve("docker.sock"), Path.of("/var/run/docker.sock")));
    TestPluginContext context =
        TestPluginContext.forPlugin(DockerEnricher.NAME)
            .with(FAST + "socket = \"" + proxy.socket() + "\"");
    DockerEnricher enricher = startEnricher(context);
    await().atMost(PATIENCE).until(enricher::available);
    String id = runDetached("steady");
    int pid = DockerHost.pidOf(id);
    KernelView steady = KernelView.ofProcess(pid);
    assertThat(status(enrich(enricher, steady.event(pid)))).isEqualTo("attributed");

    proxy.freeze();
    // A batch naming a container nobody knows asks Docker, waits at most max-wait-per-batch, and
    // passes on unattributed.
    String stranger = randomId();
    assertThat(status(enrich(enricher, Events.connection(99, stranger, 0))))
        .isIn("unknown_container", "runtime_unavailable");
    assertThat(context.metrics().value("batch.wait_timeouts")).isPositive();
    await("hang noticed").atMost(PATIENCE).until(() -> !enricher.available());
    assertThat(status(enrich(enricher, steady.event(pid)))).isEqualTo("attributed");
    assertThat(status(enrich(enricher, Events.connection(99, randomId(), 0))))
        .isEqualTo("runtime_unavailable");

    // A container that comes and goes while the daemon looks hung is replayed from `since`.
    KernelView during = runShortLived("during-hang");
    proxy.thaw();
    await("Docker answers again").atMost(PATIENCE).until(enricher::available);
    await("replayed container named")
        .atMost(PATIENCE)
        .until(
            () -> enrich(enricher, during.event(4242)).attribute(StandardAttributes.CONTAINER_NAME),
            (prefix + "-during-hang")::equals);
  }
}
