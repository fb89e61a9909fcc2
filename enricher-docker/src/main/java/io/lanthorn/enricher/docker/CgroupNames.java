package io.lanthorn.enricher.docker;

/**
 * Recognises the container id in a cgroup directory name, the way container runtimes name the
 * cgroup of a container's processes.
 *
 * <p>The kernel program captures the last element of the task's cgroup v2 path at connect time, so
 * this works even when the container is gone before user space looks. Recognised leaf names:
 *
 * <ul>
 *   <li>{@code <64 hex>}: Docker and containerd with the cgroupfs driver ({@code /docker/<id>},
 *       {@code /kubepods/.../<id>});
 *   <li>{@code docker-<64 hex>.scope}: Docker with the systemd driver;
 *   <li>{@code cri-containerd-<64 hex>.scope}: containerd's CRI plugin with systemd;
 *   <li>{@code crio-<64 hex>.scope}: CRI-O with systemd;
 *   <li>{@code libpod-<64 hex>.scope} and {@code libpod-<64 hex>}: Podman (systemd and cgroupfs).
 * </ul>
 *
 * <p>Monitor processes ({@code libpod-conmon-…}, {@code crio-conmon-…}) are deliberately not
 * recognised: they run beside a container, not in it.
 */
final class CgroupNames {
  /** The length of a full container id. */
  public static final int ID_LENGTH = 64;

  private static final String SCOPE = ".scope";

  private CgroupNames() {}

  /** A container id found in a cgroup name, and the runtime whose naming scheme it follows. */
  public record ContainerCgroup(String containerId, Scheme scheme) {}

  /** The naming scheme a cgroup name follows, which tells the runtime as far as a name can. */
  public enum Scheme {
    /** {@code docker-<id>.scope}. */
    DOCKER,
    /** {@code cri-containerd-<id>.scope}. */
    CONTAINERD,
    /** {@code crio-<id>.scope}. */
    CRIO,
    /** {@code libpod-<id>[.scope]}. */
    PODMAN,
    /** A bare id: Docker or containerd with the cgroupfs driver; the name alone can't tell. */
    UNSPECIFIED;

    /** Whether Docker may know a container named this way, so that asking it makes sense. */
    public boolean mayBeDocker() {
      return this == DOCKER || this == UNSPECIFIED;
    }
  }

  /**
   * The container a cgroup leaf name belongs to.
   *
   * @param name the last element of a cgroup path, or {@code null}
   * @return the container, or {@code null} when the name is not a container's cgroup
   */
  public static ContainerCgroup parse(String name) {
    if (name == null || name.length() < ID_LENGTH) {
      return null;
    }
    if (name.length() == ID_LENGTH) {
      return isId(name, 0) ? new ContainerCgroup(name, Scheme.UNSPECIFIED) : null;
    }
    if (name.endsWith(SCOPE)) {
      String stem = name.substring(0, name.length() - SCOPE.length());
      ContainerCgroup scoped = prefixed(stem, "docker-", Scheme.DOCKER);
      if (scoped == null) {
        scoped = prefixed(stem, "cri-containerd-", Scheme.CONTAINERD);
      }
      if (scoped == null) {
        scoped = prefixed(stem, "crio-", Scheme.CRIO);
      }
      if (scoped == null) {
        scoped = prefixed(stem, "libpod-", Scheme.PODMAN);
      }
      return scoped;
    }
    return prefixed(name, "libpod-", Scheme.PODMAN);
  }

  /**
   * The innermost container along a cgroup path, checking elements from the leaf upwards. Used
   * where a whole path is known ({@code /proc/<pid>/cgroup}), so that a process in a sub-cgroup of
   * a container (systemd or Docker running inside it) still names the container.
   *
   * @param path a cgroup path such as {@code /docker/<id>} or {@code
   *     /system.slice/docker-<id>.scope}
   * @return the container, or {@code null} when no element is a container's cgroup
   */
  public static ContainerCgroup parsePath(String path) {
    if (path == null) {
      return null;
    }
    int end = path.length();
    while (end > 0) {
      int start = path.lastIndexOf('/', end - 1) + 1;
      ContainerCgroup found = parse(path.substring(start, end));
      if (found != null) {
        return found;
      }
      end = start - 1;
    }
    return null;
  }

  /** Whether the text is a full, lower-case container id. */
  public static boolean isContainerId(String text) {
    return text != null && text.length() == ID_LENGTH && isId(text, 0);
  }

  private static ContainerCgroup prefixed(String name, String prefix, Scheme scheme) {
    if (name.length() == prefix.length() + ID_LENGTH
        && name.startsWith(prefix)
        && isId(name, prefix.length())) {
      return new ContainerCgroup(name.substring(prefix.length()), scheme);
    }
    return null;
  }

  private static boolean isId(String text, int from) {
    for (int i = from; i < from + ID_LENGTH; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
