package io.lanthorn.enricher.docker;

import io.lanthorn.api.ConnectionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel program captures about a task's cgroup, read from outside the way the probe reads
 * it inside: the leaf name and the inode of the task's cgroup v2 directory ({@code
 * task->cgroups->dfl_cgrp->kn}), found through the {@code 0::} line of {@code /proc/<pid>/cgroup}
 * and the cgroup2 mount.
 *
 * @param name the directory's last path element
 * @param id the directory's inode, which is the kernel's cgroup id
 * @param directory the directory
 */
record KernelView(String name, long id, Path directory) {

  /** The cgroup of a live process. */
  static KernelView ofProcess(long pid) {
    try {
      CgroupMounts mounts = CgroupMounts.read(CgroupMounts.MOUNTINFO);
      String path = null;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
        if (line.startsWith("0::")) {
          path = line.substring(3);
        }
      }
      Path dir = mounts.v2Directory(path);
      if (dir == null) {
        throw new IllegalStateException("no cgroup v2 directory for pid " + pid + " on this host");
      }
      KernelView view = ofDirectory(dir);
      // The root cgroup's kernfs node is named "", not after the mount point.
      return "/".equals(path) ? new KernelView("", view.id(), dir) : view;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cgroup a directory is. */
  static KernelView ofDirectory(Path dir) throws IOException {
    long inode = (Long) Files.getAttribute(dir, "unix:ino");
    String leaf = dir.getFileName() == null ? "" : dir.getFileName().toString();
    return new KernelView(leaf, inode, dir);
  }

  /** The event the probe would emit for a connection by this pid in this cgroup. */
  ConnectionEvent event(int pid) {
    return Events.connection(pid, name, id);
  }
}
