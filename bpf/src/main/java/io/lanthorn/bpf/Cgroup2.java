package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cgroup v2 hierarchy, where programs of the {@code cgroup_skb} and {@code cgroup/…} types
 * attach: found in {@code /proc/self/mountinfo}, since it is {@code /sys/fs/cgroup} on unified
 * hosts and {@code /sys/fs/cgroup/unified} on hybrid ones.
 */
public final class Cgroup2 {
  /** Where the process's mounts are listed. */
  public static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_CLOEXEC = 0x80000;
  // struct bpf_prog_info: name[16] at 64.
  private static final int PROG_INFO_SIZE = 80;
  private static final long PROG_INFO_NAME = 64;
  private static final int MAX_QUERIED = 256;

  private Cgroup2() {}

  /** The kernel's {@code enum bpf_attach_type} values of the cgroup hooks Lanthorn uses. */
  public enum AttachType {
    INET_INGRESS(0),
    INET4_CONNECT(10),
    INET6_CONNECT(11),
    UDP4_SENDMSG(14),
    UDP6_SENDMSG(15);

    private final int value;

    AttachType(int value) {
      this.value = value;
    }
  }

  /**
   * The mount point of the cgroup v2 hierarchy, read from a mountinfo file.
   *
   * @throws BpfException when there is none (a cgroup v1-only host)
   */
  public static Path root(Path mountinfo) {
    try {
      return root(Files.readAllLines(mountinfo, StandardCharsets.UTF_8))
          .orElseThrow(
              () ->
                  new BpfException(
                      "no cgroup v2 hierarchy is mounted (none in "
                          + mountinfo
                          + "): mount one with 'mount -t cgroup2 none /sys/fs/cgroup/unified'"));
    } catch (IOException e) {
      throw new BpfException("cannot read " + mountinfo + ": " + e.getMessage(), e);
    }
  }

  /** The first cgroup2 mount point in mountinfo lines, if any. */
  static Optional<Path> root(List<String> mountinfoLines) {
    for (String line : mountinfoLines) {
      // "<id> <parent> <major:minor> <root> <mount point> <options> [optional…] - <type> …"
      int separator = line.indexOf(" - ");
      if (separator < 0) {
        continue;
      }
      String[] after = line.substring(separator + 3).split(" ", -1);
      String[] before = line.substring(0, separator).split(" ", -1);
      if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
        return Optional.of(Path.of(unescape(before[4])));
      }
    }
    return Optional.empty();
  }

  /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
  private static String unescape(String field) {
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

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }

  /** Opens a cgroup directory for attaching programs to it. */
  public static Directory open(Path path) {
    try (Arena arena = Arena.ofConfined()) {
      int fd = Libc.open(arena.allocateFrom(path.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) {
        throw BpfException.ofErrno("cannot open cgroup " + path, Native.errno());
      }
      return new Directory(path, fd);
    }
  }

  /** An open cgroup directory. Closing it does not detach what was attached through it. */
  public static final class Directory implements AutoCloseable {
    private final Path path;
    private final int fd;
    private boolean closed;

    private Directory(Path path, int fd) {
      this.path = path;
      this.fd = fd;
    }

    /** The directory's path. */
    public Path path() {
      return path;
    }

    int fd() {
      if (closed) {
        throw new IllegalStateException("cgroup " + path + " is closed");
      }
      return fd;
    }

    /**
     * The names of the programs attached directly to this cgroup (not inherited) at a hook, as
     * {@code bpftool cgroup show} lists them.
     */
    public List<String> attachedPrograms(AttachType type) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment flags = arena.allocate(JAVA_INT);
        MemorySegment ids = arena.allocate(JAVA_INT, MAX_QUERIED);
        MemorySegment count = arena.allocate(JAVA_INT);
        count.set(JAVA_INT, 0, MAX_QUERIED);
        int rc = LibBpf.progQuery(fd(), type.value, 0, flags, ids, count);
        if (rc < 0) {
          throw BpfException.ofErrno("cannot list programs attached to cgroup " + path, -rc);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
          programName(ids.getAtIndex(JAVA_INT, i)).ifPresent(names::add);
        }
        return names;
      }
    }

    private static Optional<String> programName(int id) {
      int progFd = LibBpf.progGetFdById(id);
      if (progFd < 0) {
        return Optional.empty(); // detached and freed since the query
      }
      try {
        MemorySegment info = KernelObjects.info(progFd, PROG_INFO_SIZE, "program " + id);
        return Optional.of(info.asSlice(PROG_INFO_NAME, 16).getString(0));
      } finally {
        Libc.close(progFd);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        Libc.close(fd);
      }
    }
  }
}
