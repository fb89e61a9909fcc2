package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.StandardAttributes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerModelsTest {
  static final String ID = CgroupNamesTest.ID;

  static Event event(String action, Map<String, String> attributes) {
    return new Event(action, ID, "lanthorn-test:busybox", 1L)
        .withAction(action)
        .withEventActor(new EventActor().withId(ID).withAttributes(attributes));
  }

  @Test
  void createEventCarriesNameImageAndLabels() {
    // As dockerd 20.10 sends it for `docker run --label com.docker.compose.project=proj ...`.
    ContainerMetadata m =
        DockerModels.fromEvent(
            event(
                "create",
                Map.of(
                    "com.docker.compose.project", "proj",
                    "com.docker.compose.service", "svc",
                    "image", "lanthorn-test:busybox",
                    "name", "evtest")));
    assertThat(m)
        .isEqualTo(
            new ContainerMetadata(
                ID,
                "evtest",
                "lanthorn-test:busybox",
                null,
                Map.of("com.docker.compose.project", "proj", "com.docker.compose.service", "svc")));
  }

  @Test
  void otherEventsLeaveLabelsAlone() {
    ContainerMetadata die =
        DockerModels.fromEvent(
            event("die", Map.of("exitCode", "0", "image", "img", "name", "n", "a", "b")));
    assertThat(die.labels()).isNull();
    ContainerMetadata rename =
        DockerModels.fromEvent(
            event("rename", Map.of("name", "evtest3", "oldName", "/evtest2", "image", "img")));
    assertThat(rename.name()).isEqualTo("evtest3");
    assertThat(rename.labels()).isNull();
  }

  @Test
  void listingUsesTheContainersOwnNameNotALink() {
    Container container = mock(Container.class);
    when(container.getId()).thenReturn(ID);
    when(container.getNames()).thenReturn(new String[] {"/web/db", "/db"});
    when(container.getImage()).thenReturn("postgres:16");
    when(container.getImageId()).thenReturn("sha256:1");
    when(container.getLabels()).thenReturn(Map.of());
    assertThat(DockerModels.fromListing(container))
        .isEqualTo(new ContainerMetadata(ID, "db", "postgres:16", "sha256:1", Map.of()));
  }

  @Test
  void inspection() {
    InspectContainerResponse inspection = mock(InspectContainerResponse.class);
    ContainerConfig config = mock(ContainerConfig.class);
    when(inspection.getId()).thenReturn(ID);
    when(inspection.getName()).thenReturn("/named");
    when(inspection.getImageId()).thenReturn("sha256:2");
    when(inspection.getConfig()).thenReturn(config);
    when(config.getImage()).thenReturn("lanthorn-test:busybox");
    when(config.getLabels()).thenReturn(Map.of("k", "v"));
    assertThat(DockerModels.fromInspection(inspection))
        .isEqualTo(
            new ContainerMetadata(
                ID, "named", "lanthorn-test:busybox", "sha256:2", Map.of("k", "v")));
  }

  @Test
  void attributesOfAComposeContainer() {
    Attributes a =
        new ContainerMetadata(
                ID,
                "/shop-web-1",
                "nginx:1.27",
                "sha256:3",
                Map.of(
                    "com.docker.compose.project", "shop",
                    "com.docker.compose.service", "web"))
            .toAttributes();
    assertThat(a.get(StandardAttributes.CONTAINER_ID)).isEqualTo(ID);
    assertThat(a.get(StandardAttributes.CONTAINER_NAME)).isEqualTo("shop-web-1");
    assertThat(a.get(StandardAttributes.CONTAINER_RUNTIME)).isEqualTo("docker");
    assertThat(a.get(StandardAttributes.CONTAINER_IMAGE_NAME)).isEqualTo("nginx:1.27");
    assertThat(a.get(StandardAttributes.CONTAINER_IMAGE_ID)).isEqualTo("sha256:3");
    assertThat(a.get(StandardAttributes.CONTAINER_LABELS)).hasSize(2);
    assertThat(a.get(StandardAttributes.COMPOSE_PROJECT)).isEqualTo("shop");
    assertThat(a.get(StandardAttributes.COMPOSE_SERVICE)).isEqualTo("web");
    assertThat(a.get(StandardAttributes.ATTRIBUTION_STATUS)).isEqualTo("attributed");
  }

  @Test
  void attributesLeaveOutWhatIsUnknown() {
    Attributes a = new ContainerMetadata(ID, null, null, null, Map.of()).toAttributes();
    assertThat(a.contains(StandardAttributes.CONTAINER_NAME)).isFalse();
    assertThat(a.contains(StandardAttributes.CONTAINER_LABELS)).isFalse();
    assertThat(a.contains(StandardAttributes.COMPOSE_PROJECT)).isFalse();
    assertThat(a.get(StandardAttributes.CONTAINER_ID)).isEqualTo(ID);
  }
}
