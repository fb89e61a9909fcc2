package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Asks the kernel about BPF programs, maps and links by id, whoever created them: e.g. to verify
 * that nothing a probe loaded is left behind.
 */
public final class KernelObjects {
  private static final int ENOENT = 2;

  private KernelObjects() {}

  /** Whether a program with this id is loaded. */
  public static boolean programExists(int id) {
    return exists(LibBpf.progGetFdById(id), "program", id);
  }

  /** Whether a map with this id exists. */
  public static boolean mapExists(int id) {
    return exists(LibBpf.mapGetFdById(id), "map", id);
  }

  /** Whether a link with this id exists. */
  public static boolean linkExists(int id) {
    return exists(LibBpf.linkGetFdById(id), "link", id);
  }

  private static boolean exists(int fdOrError, String kind, int id) {
    if (fdOrError >= 0) {
      Libc.close(fdOrError);
      return true;
    }
    if (-fdOrError == ENOENT) {
      return false;
    }
    throw BpfException.ofErrno("cannot look up BPF " + kind + " " + id, -fdOrError);
  }

  /** The kernel's {@code bpf_*_info} for an fd, as much of it as {@code size} bytes hold. */
  static MemorySegment info(int fd, int size, String what) {
    MemorySegment info = Arena.ofAuto().allocate(size, 8);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment length = arena.allocate(JAVA_INT);
      length.set(JAVA_INT, 0, size);
      int rc = LibBpf.objGetInfoByFd(fd, info, length);
      if (rc < 0) {
        throw BpfException.ofErrno("cannot query " + what, -rc);
      }
      return info;
    }
  }
}
