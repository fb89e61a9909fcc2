package io.lanthorn.enricher.docker;

import static io.lanthorn.enricher.docker.DockerHost.IMAGE;
import static io.lanthorn.enricher.docker.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attribution against the real dockerd, with events built from real containers exactly as the
 * kernel program captures them (cgroup v2 leaf name and inode). The daemon keeps running here; see
 * {@link DockerOutageTest} for a daemon that stops, restarts or hangs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerAttributionTest {
  static final Duration PATIENCE = Duration.ofSeconds(20);
  static final String LOOP = "while true; do nc 127.0.0.1 1; sleep 1; done";

  final String prefix = "lanthorn-it-" + UUID.randomUUID().toString().substring(0, 8);
  final List<String> containers = new ArrayList<>();
  TestPluginContext context;
  DockerEnricher enricher;
  CgroupDirWatcher cgroupDirs;
  String imageId;

  @BeforeAll
  void start() throws Exception {
    DockerHost.ensureRunning();
    imageId = docker("image", "inspect", "-f", "{{.Id}}", IMAGE);
    context = TestPluginContext.forPlugin(DockerEnricher.NAME);
    enricher = new DockerEnricherFactory().create(context);
    await("Docker available").atMost(PATIENCE).until(enricher::available);

    // Containers' cgroup directories appear beside this first one's.
    String probe = runDetached("dir-probe");
    Path parent = KernelView.ofProcess(DockerHost.pidOf(probe)).directory().getParent();
    cgroupDirs = new CgroupDirWatcher(parent);
  }

  @AfterAll
  void stop() throws Exception {
    if (cgroupDirs != null) {
      cgroupDirs.close();
    }
    if (enricher != null) {
      enricher.close();
    }
    DockerHost.removeQuietly(containers);
  }

  String runDetached(String suffix, String... options) {
    String name = prefix + "-" + suffix;
    containers.add(name);
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "none"));
    args.addAll(List.of(options));
    args.addAll(List.of(IMAGE, "sh", "-c", LOOP));
    return docker(args.toArray(String[]::new));
  }

  ConnectionEvent enrich(ConnectionEvent event) {
    List<Event> batch = new ArrayList<>(List.of(event));
    enricher.enrichAll(batch);
    return (ConnectionEvent) batch.getFirst();
  }

  @Test
  void namedLongLivedContainerIsAttributed() {
    String id =
        runDetached(
            "named",
            "--label",
            "com.docker.compose.project=itproject",
            "--label",
            "com.docker.compose.service=itservice");
    int pid = DockerHost.pidOf(id);
    KernelView cgroup = KernelView.ofProcess(pid);
    assertThat(CgroupNames.parse(cgroup.name()).containerId())
        .as("Docker's cgroup leaf name carries the id")
        .isEqualTo(id);

    ConnectionEvent e = enrich(cgroup.event(pid));

    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("attributed");
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(id);
    assertThat(e.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo(prefix + "-named");
    assertThat(e.attribute(StandardAttributes.CONTAINER_RUNTIME)).isEqualTo("docker");
    assertThat(e.attribute(StandardAttributes.CONTAINER_IMAGE_NAME)).isEqualTo(IMAGE);
    assertThat(e.attribute(StandardAttributes.COMPOSE_PROJECT)).isEqualTo("itproject");
    assertThat(e.attribute(StandardAttributes.COMPOSE_SERVICE)).isEqualTo("itservice");
    assertThat(e.attribute(StandardAttributes.CONTAINER_LABELS))
        .containsEntry("com.docker.compose.project", "itproject");
    // The create event has no image id; the inspection after start fills it in.
    await("image id")
        .atMost(PATIENCE)
        .until(
            () -> enrich(cgroup.event(pid)).attribute(StandardAttributes.CONTAINER_IMAGE_ID),
            imageId::equals);
  }

  @Test
  void containerIsKnownByItsCgroupIdAlone() {
    // A custom cgroup parent: the inode is found through the container's pid, not a default path.
    String id = runDetached("parent", "--cgroup-parent", prefix + "-parent");
    int pid = DockerHost.pidOf(id);
    KernelView cgroup = KernelView.ofProcess(pid);
    assertThat(cgroup.directory().toString()).contains(prefix + "-parent");

    ConnectionEvent withoutName = Events.connection(pid, null, cgroup.id());
    await("attributed by cgroup id")
        .atMost(PATIENCE)
        .until(() -> enrich(withoutName).attribute(StandardAttributes.CONTAINER_ID), id::equals);
    assertThat(enrich(withoutName).attribute(StandardAttributes.CONTAINER_NAME))
        .isEqualTo(prefix + "-parent");
  }

  @Test
  void shortLivedRmContainerIsNamedAfterItIsGone(@TempDir Path tmp) throws Exception {
    String name = prefix + "-rm";
    Path cidFile = tmp.resolve("cid");
    String id = DockerHost.runShortLived(name, cidFile);
    await("container removed").atMost(PATIENCE).until(() -> !DockerHost.exists(id));
    KernelView cgroup = cgroupDirs.awaitContaining(id);
    assertThat(cgroup.directory()).doesNotExist();

    ConnectionEvent e = enrich(cgroup.event(4242));

    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("attributed");
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(id);
    assertThat(e.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo(name);
    assertThat(e.attribute(StandardAttributes.CONTAINER_IMAGE_NAME)).isEqualTo(IMAGE);
    await("image id of a removed container")
        .atMost(PATIENCE)
        .until(
            () -> enrich(cgroup.event(4242)).attribute(StandardAttributes.CONTAINER_IMAGE_ID),
            imageId::equals);
  }

  @Test
  void renamedContainerGetsItsNewName() {
    String id = runDetached("before");
    int pid = DockerHost.pidOf(id);
    KernelView cgroup = KernelView.ofProcess(pid);
    assertThat(enrich(cgroup.event(pid)).attribute(StandardAttributes.CONTAINER_NAME))
        .isEqualTo(prefix + "-before");

    docker("rename", prefix + "-before", prefix + "-after");
    containers.add(prefix + "-after");

    await("new name")
        .atMost(PATIENCE)
        .until(
            () -> enrich(cgroup.event(pid)).attribute(StandardAttributes.CONTAINER_NAME),
            (prefix + "-after")::equals);
  }

  @Test
  void negotiatesTheDaemonsApiVersion() {
    ApiVersion daemon = ApiVersion.parse(DockerHost.daemonApiVersion());
    assertThat(enricher.apiVersion())
        .isEqualTo(ApiVersion.min(daemon, ApiVersionNegotiation.CLIENT_MAX));
  }

  @Test
  void hostProcessesAreNotInAContainer() {
    int self = (int) ProcessHandle.current().pid();
    ConnectionEvent e = enrich(KernelView.ofProcess(self).event(self));
    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("not_in_container");
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isNull();
  }

  @Test
  void aContainerDockerDoesNotKnowIsAskedAboutOnce() {
    String stranger = UUID.randomUUID().toString().replace("-", "").repeat(2);
    long before = context.metrics().value("lookups");

    ConnectionEvent e = enrich(Events.connection(77, stranger, 0));
    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("unknown_container");
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(stranger);
    assertThat(context.metrics().value("lookups")).isEqualTo(before + 1);

    await("Docker's 404 remembered")
        .atMost(PATIENCE)
        .until(() -> enricher.cache().isKnownAbsent(stranger));
    ConnectionEvent again = enrich(Events.connection(77, stranger, 0));
    assertThat(again.attribute(StandardAttributes.ATTRIBUTION_STATUS))
        .isEqualTo("unknown_container");
    assertThat(context.metrics().value("lookups")).isEqualTo(before + 1);
  }

  @Test
  void theAgentFindsTheEnricherByItsName() {
    assertThat(ServiceLoader.load(PluginFactory.class).stream().map(p -> p.get().name()).toList())
        .contains("enricher-docker");
    assertThat(context.metrics().snapshot())
        .containsKeys("events.attributed", "docker.available", "cache.containers")
        .containsEntry("docker.available", 1L);
  }
}
