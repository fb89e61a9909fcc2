package io.lanthorn.probe.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The leaf name of a cgroup v2 directory by its id (the directory's inode), e.g. {@code
 * docker-<id>.scope}: what the Docker enricher reads a container id from, also for a container that
 * is gone by the time it looks. The kernel gives DNS responses only the id; the name is read here
 * while the response's socket still exists (its process is waiting for the answer), by scanning the
 * hierarchy when an unknown id appears, at most every {@link #RESCAN_NANOS}. Bounded; the reader
 * thread only.
 */
final class CgroupNames {
  static final long RESCAN_NANOS = 50_000_000L;
  private static final int DEPTH = 4;
  private static final int MAX = 8192;

  private final Path root;
  private final Map<Long, String> names =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
          return size() > MAX;
        }
      };
  private long lastScan = System.nanoTime() - RESCAN_NANOS;

  CgroupNames(Path root) {
    this.root = root;
  }

  /** The cgroup's directory name, or {@code null} when no directory has that id. */
  synchronized String nameOf(long cgroupId) {
    if (cgroupId == 0) {
      return null;
    }
    String name = names.get(cgroupId);
    if (name == null && System.nanoTime() - lastScan >= RESCAN_NANOS) {
      scan();
      name = names.get(cgroupId);
    }
    return name;
  }

  private void scan() {
    lastScan = System.nanoTime();
    try (Stream<Path> dirs = Files.walk(root, DEPTH)) {
      dirs.filter(Files::isDirectory)
          .forEach(
              dir -> {
                try {
                  long inode = (Long) Files.getAttribute(dir, "unix:ino");
                  names.put(inode, dir.equals(root) ? "/" : dir.getFileName().toString());
                } catch (IOException | UncheckedIOException e) {
                  // removed while we walked: its container is gone, nothing to name
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a directory vanished mid-walk: what was read so far stands, the next miss scans again
    }
  }
}
