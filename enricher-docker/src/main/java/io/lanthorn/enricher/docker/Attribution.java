package io.lanthorn.enricher.docker;

import io.lanthorn.api.Attributes;
import io.lanthorn.api.Event;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.enricher.docker.CgroupNames.ContainerCgroup;
import java.util.function.BooleanSupplier;

/**
 * Decides from memory alone which container an event was made in. This is the hot path: it never
 * calls Docker (on v1-only hosts it reads {@code /proc/<pid>/cgroup}, the only evidence left
 * there).
 *
 * <p>In order: the kernel-captured cgroup name, when it is a container's ({@link CgroupNames});
 * else the cgroup id, when it is the inode of a known container's cgroup directory; else, on
 * v1-only hosts, the live process's cgroups. A container id found that way is then looked up in the
 * cache.
 */
final class Attribution {

  /** The outcome for one event. */
  enum Verdict {
    /** The container is known: name, image, labels. */
    ATTRIBUTED(StandardAttributes.ATTRIBUTION_ATTRIBUTED),
    /** The process runs in no container. */
    NOT_IN_CONTAINER(StandardAttributes.ATTRIBUTION_NOT_IN_CONTAINER),
    /** A container, by its cgroup, that Docker does not know (or not yet). */
    UNKNOWN_CONTAINER(StandardAttributes.ATTRIBUTION_UNKNOWN_CONTAINER),
    /** A container, by its cgroup, and Docker cannot be asked. */
    RUNTIME_UNAVAILABLE(StandardAttributes.ATTRIBUTION_RUNTIME_UNAVAILABLE),
    /** Nothing to go on (no cgroup captured; a v1-only host and the process is gone). */
    UNDECIDED(null);

    private final String status;

    Verdict(String status) {
      this.status = status;
    }

    /** The {@link StandardAttributes#ATTRIBUTION_STATUS} value, {@code null} for none. */
    String status() {
      return status;
    }
  }

  /**
   * The decision for one event.
   *
   * @param verdict what was decided
   * @param containerId the container's id when one was found, else {@code null}
   * @param entry the cached container when {@link Verdict#ATTRIBUTED}
   * @param worthAsking whether Docker may know the container and should be asked
   */
  record Result(
      Verdict verdict, String containerId, ContainerCache.Entry entry, boolean worthAsking) {

    static final Result UNDECIDED = new Result(Verdict.UNDECIDED, null, null, false);
    static final Result NOT_IN_CONTAINER = new Result(Verdict.NOT_IN_CONTAINER, null, null, false);
  }

  private final ContainerCache cache;
  private final ContainerCgroups cgroups;
  private final BooleanSupplier dockerAvailable;
  private final boolean v1Only;

  /**
   * @param dockerAvailable whether Docker answers right now
   */
  Attribution(ContainerCache cache, ContainerCgroups cgroups, BooleanSupplier dockerAvailable) {
    this.cache = cache;
    this.cgroups = cgroups;
    this.dockerAvailable = dockerAvailable;
    this.v1Only = cgroups.mounts().layout() == CgroupMounts.Layout.V1_ONLY;
  }

  /** Decides, from memory. */
  Result resolve(Event event) {
    ContainerCgroup container = CgroupNames.parse(event.cgroupName());
    if (container == null) {
      String byInode = cache.containerIdOfCgroup(event.cgroupId());
      if (byInode != null) {
        container = new ContainerCgroup(byInode, CgroupNames.Scheme.UNSPECIFIED);
      }
    }
    if (container == null && v1Only) {
      ContainerCgroups.ProcessCgroups process =
          event.pid() > 0 ? cgroups.cgroupsOfProcess(event.pid()) : null;
      if (process == null) {
        return Result.UNDECIDED;
      }
      container = process.container();
    }
    if (container == null) {
      // A cgroup that is no container's. The root cgroup has an id (1) but no name (the probe
      // reports its empty name as null): that is a host process too. Only an event with neither
      // carries nothing to decide from.
      return event.cgroupName() == null && event.cgroupId() == 0
          ? Result.UNDECIDED
          : Result.NOT_IN_CONTAINER;
    }
    return resolveContainer(container);
  }

  /** Decides for a container id already found, e.g. again after waiting for Docker. */
  Result resolveContainer(ContainerCgroup container) {
    String id = container.containerId();
    ContainerCache.Entry entry = cache.get(id);
    if (entry != null) {
      return new Result(Verdict.ATTRIBUTED, id, entry, false);
    }
    if (!container.scheme().mayBeDocker()) {
      // containerd, CRI-O, Podman: Docker would only say it does not know it.
      return new Result(Verdict.UNKNOWN_CONTAINER, id, null, false);
    }
    if (!dockerAvailable.getAsBoolean()) {
      return new Result(Verdict.RUNTIME_UNAVAILABLE, id, null, false);
    }
    return new Result(Verdict.UNKNOWN_CONTAINER, id, null, !cache.isKnownAbsent(id));
  }

  private static final Attributes NOT_IN_CONTAINER_ONLY =
      Attributes.builder()
          .put(StandardAttributes.ATTRIBUTION_STATUS, Verdict.NOT_IN_CONTAINER.status())
          .build();

  /** The event with the decision's attributes added. */
  static Event apply(Event event, Result result) {
    // Usually the first enricher: an event without attributes takes the prebuilt set as it is.
    boolean bare = event.attributes().isEmpty();
    return switch (result.verdict()) {
      case UNDECIDED -> event;
      case ATTRIBUTED ->
          event.withAttributes(
              bare
                  ? result.entry().attributes()
                  : event.attributes().toBuilder().putAll(result.entry().attributes()).build());
      case NOT_IN_CONTAINER ->
          bare
              ? event.withAttributes(NOT_IN_CONTAINER_ONLY)
              : event.withAttribute(
                  StandardAttributes.ATTRIBUTION_STATUS, result.verdict().status());
      case UNKNOWN_CONTAINER, RUNTIME_UNAVAILABLE -> {
        // The id came from the kernel; it is a fact worth keeping even without a name.
        Attributes attributes =
            event.attributes().toBuilder()
                .put(StandardAttributes.CONTAINER_ID, result.containerId())
                .put(StandardAttributes.ATTRIBUTION_STATUS, result.verdict().status())
                .build();
        yield event.withAttributes(attributes);
      }
    };
  }
}
