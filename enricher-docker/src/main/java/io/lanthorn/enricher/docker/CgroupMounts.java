package io.lanthorn.enricher.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the cgroup hierarchies are mounted, read from {@code /proc/self/mountinfo}.
 *
 * <p>The cgroup id the kernel program reports is the inode of the task's directory in the cgroup v2
 * hierarchy. That hierarchy is mounted at {@code /sys/fs/cgroup} on pure v2 hosts and at {@code
 * /sys/fs/cgroup/unified} on hybrid hosts; on v1-only hosts it is not mounted at all, every task is
 * in its root, and the cgroup id and name identify nothing (see {@link Layout#V1_ONLY}). The mount
 * is found by file-system type, never by guessing a path.
 *
 * @param v2MountPoint where the cgroup2 file system is mounted, or {@code null} when it is not
 * @param v2Root the directory of the hierarchy that is mounted there, normally {@code /}; differs
 *     inside a cgroup namespace or a bind mount of a sub-tree
 * @param v1MountPoints where cgroup v1 hierarchies are mounted
 */
record CgroupMounts(Path v2MountPoint, String v2Root, List<Path> v1MountPoints) {

  /** The default location of the mount table. */
  static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  /** How a host mounts its cgroup hierarchies. */
  enum Layout {
    /** Only cgroup2 is mounted: cgroup ids and names identify containers. */
    PURE_V2,
    /** cgroup v1 controllers plus cgroup2 (at {@code …/unified}): ids and names work as on v2. */
    HYBRID,
    /**
     * Only cgroup v1 is mounted. Every task sits in the root of the unmounted v2 hierarchy, so the
     * kernel-captured cgroup id and name are the same for all tasks; the container can only be
     * found from {@code /proc/<pid>/cgroup} while the process is still alive.
     */
    V1_ONLY,
    /** No cgroup file system is mounted (a minimal container or chroot): nothing to go on. */
    NONE
  }

  CgroupMounts {
    v1MountPoints = List.copyOf(v1MountPoints);
  }

  /** Reads {@code /proc/self/mountinfo}; a host without one gets {@link Layout#NONE}. */
  static CgroupMounts read(Path mountinfo) throws IOException {
    return parse(Files.readAllLines(mountinfo));
  }

  /**
   * Parses mountinfo lines (proc(5)): {@code id parent major:minor root mount-point options
   * [optional fields] - fstype source super-options}.
   */
  static CgroupMounts parse(List<String> lines) {
    Path v2 = null;
    String v2Root = "/";
    List<Path> v1 = new ArrayList<>();
    for (String line : lines) {
      int separator = line.indexOf(" - ");
      if (separator < 0) {
        continue;
      }
      String[] before = line.substring(0, separator).split(" ", -1);
      String[] after = line.substring(separator + 3).split(" ", -1);
      if (before.length < 5 || after.length < 1) {
        continue;
      }
      String root = unescape(before[3]);
      Path mountPoint = Path.of(unescape(before[4]));
      switch (after[0]) {
        case "cgroup2" -> {
          // Several cgroup2 mounts are possible (bind mounts); the whole hierarchy wins.
          if (v2 == null || ("/".equals(root) && !"/".equals(v2Root))) {
            v2 = mountPoint;
            v2Root = root;
          }
        }
        case "cgroup" -> v1.add(mountPoint);
        default -> {}
      }
    }
    return new CgroupMounts(v2, v2Root, v1);
  }

  /** How this host mounts its hierarchies. */
  Layout layout() {
    if (v2MountPoint != null) {
      return v1MountPoints.isEmpty() ? Layout.PURE_V2 : Layout.HYBRID;
    }
    return v1MountPoints.isEmpty() ? Layout.NONE : Layout.V1_ONLY;
  }

  /**
   * The directory of a cgroup v2 path as seen in {@code /proc/<pid>/cgroup} (the part after {@code
   * 0::}), or {@code null} when cgroup2 is not mounted or the path lies outside the mounted tree.
   */
  Path v2Directory(String cgroupPath) {
    if (v2MountPoint == null || cgroupPath == null || !cgroupPath.startsWith("/")) {
      return null;
    }
    String relative;
    if ("/".equals(v2Root)) {
      relative = cgroupPath.substring(1);
    } else if (cgroupPath.equals(v2Root)) {
      relative = "";
    } else if (cgroupPath.startsWith(v2Root + "/")) {
      relative = cgroupPath.substring(v2Root.length() + 1);
    } else {
      return null;
    }
    return relative.isEmpty() ? v2MountPoint : v2MountPoint.resolve(relative);
  }

  /** Undoes mountinfo's octal escapes ({@code \040} for a space, {@code \011}, {@code \012} …). */
  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String text, int from) {
    if (from + 3 > text.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
