package io.lanthorn.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes sure tracefs is mounted, which attaching to a classic tracepoint needs. */
public final class Tracefs {
  static final Path TRACEFS = Path.of("/sys/kernel/tracing");
  // libbpf prefers the debugfs location when it exists.
  private static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

  private Tracefs() {}

  /**
   * Mounts tracefs at {@code /sys/kernel/tracing} unless it (or debugfs's tracing directory) is
   * already there.
   *
   * @return true when this call mounted it
   */
  public static boolean ensureMounted() {
    if (Files.isDirectory(TRACEFS.resolve("events"))
        || Files.isDirectory(DEBUGFS_TRACING.resolve("events"))) {
      return false;
    }
    try (Arena arena = Arena.ofConfined()) {
      int rc =
          Libc.mount(
              arena.allocateFrom("nodev"),
              arena.allocateFrom(TRACEFS.toString()),
              arena.allocateFrom("tracefs"),
              0,
              MemorySegment.NULL);
      if (rc != 0) {
        throw BpfException.ofErrno(
            "tracefs is not mounted and mounting it at "
                + TRACEFS
                + " failed (mount it: mount -t tracefs nodev "
                + TRACEFS
                + ")",
            Native.errno());
      }
      return true;
    }
  }
}
