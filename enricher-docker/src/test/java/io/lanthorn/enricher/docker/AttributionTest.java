package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.enricher.docker.Attribution.Verdict;
import io.lanthorn.enricher.docker.CgroupNames.ContainerCgroup;
import io.lanthorn.enricher.docker.CgroupNames.Scheme;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AttributionTest {
  static final String ID = CgroupNamesTest.ID;
  static final String OTHER = ID.replace('d', 'e');

  final MutableClock clock = new MutableClock();
  final ContainerCache cache =
      new ContainerCache(clock, Duration.ofMinutes(5), Duration.ofMinutes(1), 100);
  final AtomicBoolean dockerUp = new AtomicBoolean(true);
  final ContainerCgroups hybrid =
      new ContainerCgroups(
          new CgroupMounts(Path.of("/sys/fs/cgroup/unified"), "/", List.of(Path.of("/x"))),
          Path.of("/proc"));
  final Attribution attribution = new Attribution(cache, hybrid, dockerUp::get);

  void knowWeb() {
    cache.learn(
        new ContainerMetadata(
            ID, "/web", "nginx:1.27", "sha256:1", Map.of("com.docker.compose.service", "web")));
  }

  @Test
  void byCgroupName() {
    knowWeb();
    for (String name : List.of(ID, "docker-" + ID + ".scope")) {
      ConnectionEvent e = enrich(Events.connection(10, name, 777));
      assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("attributed");
      assertThat(e.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo("web");
      assertThat(e.attribute(StandardAttributes.CONTAINER_IMAGE_NAME)).isEqualTo("nginx:1.27");
      assertThat(e.attribute(StandardAttributes.COMPOSE_SERVICE)).isEqualTo("web");
    }
  }

  @Test
  void byCgroupIdWhenTheNameIsNoId() {
    knowWeb();
    cache.indexCgroup(ID, 777);
    ConnectionEvent e = enrich(Events.connection(10, "my-custom-parent", 777));
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(ID);
    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("attributed");
  }

  @Test
  void hostProcesses() {
    knowWeb();
    for (String name : List.of("", "/", "init.scope", "session-2.scope")) {
      ConnectionEvent e = enrich(Events.connection(10, name, 1));
      assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("not_in_container");
      assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isNull();
    }
    // Whether Docker is there or not.
    dockerUp.set(false);
    assertThat(attribution.resolve(Events.connection(10, "init.scope", 1)).verdict())
        .isEqualTo(Verdict.NOT_IN_CONTAINER);
  }

  @Test
  void unknownToDockerIsWorthAskingOnce() {
    var result = attribution.resolve(Events.connection(10, ID, 5));
    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN_CONTAINER);
    assertThat(result.worthAsking()).isTrue();
    Event e = Attribution.apply(Events.connection(10, ID, 5), result);
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(ID);
    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("unknown_container");

    cache.markAbsent(ID);
    assertThat(attribution.resolve(Events.connection(10, ID, 5)).worthAsking()).isFalse();
  }

  @Test
  void otherRuntimesAreUnknownWithoutAskingDocker() {
    var result =
        attribution.resolve(Events.connection(10, "cri-containerd-" + OTHER + ".scope", 5));
    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN_CONTAINER);
    assertThat(result.containerId()).isEqualTo(OTHER);
    assertThat(result.worthAsking()).isFalse();
  }

  @Test
  void dockerDownStillNamesWhatItKnew() {
    knowWeb();
    dockerUp.set(false);
    assertThat(attribution.resolve(Events.connection(10, ID, 5)).verdict())
        .isEqualTo(Verdict.ATTRIBUTED);
    ConnectionEvent e = enrich(Events.connection(10, OTHER, 6));
    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("runtime_unavailable");
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isEqualTo(OTHER);
  }

  @Test
  void theRootCgroupIsAHostProcess() {
    // The probe reports the root cgroup (id 1) with a null name: its directory has none.
    ConnectionEvent e = enrich(Events.connection(10, null, 1));
    assertThat(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("not_in_container");
    assertThat(e.attribute(StandardAttributes.CONTAINER_ID)).isNull();
  }

  @Test
  void noCgroupCapturedLeavesTheEventAlone() {
    ConnectionEvent event = Events.connection(10, null, 0);
    assertThat(enrich(event)).isSameAs(event);
  }

  @Test
  void keepsOtherEnrichersAttributes() {
    knowWeb();
    ConnectionEvent event =
        Events.connection(10, ID, 5)
            .withAttribute(StandardAttributes.PROCESS_EXECUTABLE_PATH, "/bin/nc");
    ConnectionEvent e = enrich(event);
    assertThat(e.attribute(StandardAttributes.PROCESS_EXECUTABLE_PATH)).isEqualTo("/bin/nc");
    assertThat(e.attribute(StandardAttributes.CONTAINER_NAME)).isEqualTo("web");
  }

  @Test
  void v1OnlyHostsAskTheLiveProcess() {
    ContainerCgroups v1 = mock(ContainerCgroups.class);
    when(v1.mounts())
        .thenReturn(new CgroupMounts(null, "/", List.of(Path.of("/sys/fs/cgroup/cpu"))));
    when(v1.cgroupsOfProcess(100))
        .thenReturn(
            new ContainerCgroups.ProcessCgroups(new ContainerCgroup(ID, Scheme.UNSPECIFIED)));
    when(v1.cgroupsOfProcess(200)).thenReturn(new ContainerCgroups.ProcessCgroups(null));
    when(v1.cgroupsOfProcess(300)).thenReturn(null);
    Attribution onV1 = new Attribution(cache, v1, dockerUp::get);
    knowWeb();

    // On v1-only hosts the kernel reports the v2 root for every task.
    assertThat(onV1.resolve(Events.connection(100, "", 1)).verdict()).isEqualTo(Verdict.ATTRIBUTED);
    assertThat(onV1.resolve(Events.connection(200, "", 1)).verdict())
        .isEqualTo(Verdict.NOT_IN_CONTAINER);
    assertThat(onV1.resolve(Events.connection(300, "", 1)).verdict())
        .as("process gone: nothing left to tell")
        .isEqualTo(Verdict.UNDECIDED);
  }

  private ConnectionEvent enrich(ConnectionEvent event) {
    return (ConnectionEvent) Attribution.apply(event, attribution.resolve(event));
  }
}
