package io.lanthorn.enricher.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Turns docker-java's listing, inspection and event objects into {@link ContainerMetadata}. */
final class DockerModels {
  /**
   * Keys Docker adds to a container event's actor attributes beside the container's labels. The
   * create event carries the name and the image as given, which is how a container that lives for
   * 100 ms is named even when it is gone before anyone could inspect it.
   */
  private static final Set<String> EVENT_KEYS =
      Set.of("name", "image", "oldName", "exitCode", "signal", "execDuration");

  private DockerModels() {}

  /** From {@code GET /containers/json}. */
  static ContainerMetadata fromListing(Container container) {
    return new ContainerMetadata(
        container.getId(),
        primaryName(container.getNames()),
        container.getImage(),
        container.getImageId(),
        container.getLabels() == null ? Map.of() : container.getLabels());
  }

  /** From {@code GET /containers/{id}/json}. */
  static ContainerMetadata fromInspection(InspectContainerResponse inspection) {
    var config = inspection.getConfig();
    return new ContainerMetadata(
        inspection.getId(),
        inspection.getName(),
        config == null ? null : config.getImage(),
        inspection.getImageId(),
        config == null || config.getLabels() == null ? Map.of() : config.getLabels());
  }

  /**
   * From a container event's actor. Labels are taken only from events that carry all of them
   * ({@code create}, {@code start}); others leave the known labels alone.
   */
  static ContainerMetadata fromEvent(Event event) {
    var actor = event.getActor();
    Map<String, String> attributes =
        actor == null || actor.getAttributes() == null ? Map.of() : actor.getAttributes();
    String id = actor != null && actor.getId() != null ? actor.getId() : event.getId();
    Map<String, String> labels = null;
    String action = event.getAction();
    if ("create".equals(action) || "start".equals(action)) {
      labels = new HashMap<>(attributes);
      labels.keySet().removeAll(EVENT_KEYS);
    }
    return new ContainerMetadata(id, attributes.get("name"), attributes.get("image"), null, labels);
  }

  /** The process id of an inspected container's init process, 0 when not running. */
  static long pidOf(InspectContainerResponse inspection) {
    var state = inspection.getState();
    if (state == null || !Boolean.TRUE.equals(state.getRunning()) || state.getPidLong() == null) {
      return 0;
    }
    return state.getPidLong();
  }

  /** Whether an inspected container has stopped for good or until restarted. */
  static boolean hasExited(InspectContainerResponse inspection) {
    var state = inspection.getState();
    return state != null
        && ("exited".equals(state.getStatus()) || "dead".equals(state.getStatus()));
  }

  /**
   * A listing gives every name a container is reachable by, including legacy links such as {@code
   * /web/db}; the container's own name is the one without a second slash.
   */
  private static String primaryName(String[] names) {
    if (names == null || names.length == 0) {
      return null;
    }
    for (String name : names) {
      if (name != null && name.lastIndexOf('/') == 0) {
        return name;
      }
    }
    return names[0];
  }
}
