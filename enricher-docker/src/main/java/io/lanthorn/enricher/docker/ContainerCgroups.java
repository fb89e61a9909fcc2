package io.lanthorn.enricher.docker;

import io.lanthorn.enricher.docker.CgroupNames.ContainerCgroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds a container's cgroup v2 directory and its inode, which is the cgroup id the kernel reports
 * for the container's processes; and, for v1-only hosts, the container of a live process.
 *
 * <p>The inode lets the enricher attribute events whose cgroup name is not a recognisable id (a
 * custom {@code --cgroup-parent}, a runtime naming scheme {@link CgroupNames} does not know). It is
 * read once, when the container is learned, while its directory exists.
 */
final class ContainerCgroups {
  private final CgroupMounts mounts;
  private final Path proc;

  /**
   * @param mounts where the hierarchies are mounted
   * @param proc the proc file system, {@code /proc}
   */
  ContainerCgroups(CgroupMounts mounts, Path proc) {
    this.mounts = mounts;
    this.proc = proc;
  }

  /** The host's mounts. */
  CgroupMounts mounts() {
    return mounts;
  }

  /**
   * The inode of a container's cgroup v2 directory, or 0 when it cannot be found (cgroup2 not
   * mounted, the container already gone, an unknown layout).
   *
   * @param containerId the full id
   * @param pid a process of the container, 0 when unknown; its {@code /proc/<pid>/cgroup} gives the
   *     exact path whatever the cgroup parent
   */
  long cgroupIdOf(String containerId, long pid) {
    if (mounts.v2MountPoint() == null) {
      return 0;
    }
    if (pid > 0) {
      Path dir = mounts.v2Directory(v2PathOf(pid));
      long inode = inode(dir);
      if (inode != 0) {
        return inode;
      }
    }
    // Docker's own layouts: cgroupfs driver, then systemd driver.
    Path root = mounts.v2MountPoint();
    long inode = inode(root.resolve("docker").resolve(containerId));
    if (inode == 0) {
      inode = inode(root.resolve("system.slice").resolve("docker-" + containerId + ".scope"));
    }
    return inode;
  }

  /**
   * The container of a live process from any hierarchy in {@code /proc/<pid>/cgroup}: the v1-only
   * fallback, where the kernel-captured cgroup is the v2 root for every task.
   *
   * @return {@code null} when the process is gone (the file cannot be read)
   */
  ProcessCgroups cgroupsOfProcess(long pid) {
    List<String> lines = readCgroupFile(pid);
    if (lines == null) {
      return null;
    }
    for (String line : lines) {
      int colon = line.indexOf(':', line.indexOf(':') + 1);
      ContainerCgroup found = colon < 0 ? null : CgroupNames.parsePath(line.substring(colon + 1));
      if (found != null) {
        return new ProcessCgroups(found);
      }
    }
    return new ProcessCgroups(null);
  }

  /**
   * What {@code /proc/<pid>/cgroup} said about a live process.
   *
   * @param container its container, or {@code null} when it runs in none
   */
  record ProcessCgroups(ContainerCgroup container) {}

  /** The process's cgroup v2 path (the {@code 0::} line), or {@code null}. */
  String v2PathOf(long pid) {
    List<String> lines = readCgroupFile(pid);
    if (lines == null) {
      return null;
    }
    // Don't assume the v2 line comes first: on hybrid hosts it comes last.
    for (String line : lines) {
      if (line.startsWith("0::")) {
        return line.substring(3);
      }
    }
    return null;
  }

  private List<String> readCgroupFile(long pid) {
    try {
      return Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
    } catch (IOException e) {
      return null;
    }
  }

  private static long inode(Path dir) {
    if (dir == null) {
      return 0;
    }
    try {
      return (Long) Files.getAttribute(dir, "unix:ino");
    } catch (IOException | UnsupportedOperationException e) {
      return 0;
    }
  }
}
