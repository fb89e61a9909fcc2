package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;

/** The few C library functions the ring buffer, the clock and the log router need. */
final class Libc {
  static final int EINTR = 4;

  private static final SymbolLookup LOOKUP = Native.LINKER.defaultLookup();

  private static Native.Function fn(String name, FunctionDescriptor descriptor) {
    return new Native.Function(() -> LOOKUP, "libc", name, descriptor);
  }

  private static final Native.Function MMAP =
      fn(
          "mmap",
          FunctionDescriptor.of(
              ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  private static final Native.Function MUNMAP =
      fn("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  private static final Native.Function OPEN =
      fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final Native.Function CLOSE =
      fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final Native.Function EPOLL_CREATE1 =
      fn("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final Native.Function EPOLL_CTL =
      fn("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  private static final Native.Function EPOLL_WAIT =
      fn("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final Native.Function CLOCK_GETTIME =
      fn("clock_gettime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
  private static final Native.Function GETPAGESIZE =
      fn("getpagesize", FunctionDescriptor.of(JAVA_INT));
  private static final Native.Function VSNPRINTF =
      fn("vsnprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
  private static final Native.Function MOUNT =
      fn("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

  private Libc() {}

  static MemorySegment mmap(
      MemorySegment addr, long length, int prot, int flags, int fd, long off) {
    try {
      return (MemorySegment)
          MMAP.handle().invokeExact(Native.callState(), addr, length, prot, flags, fd, off);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int munmap(MemorySegment addr, long length) {
    try {
      return (int) MUNMAP.handle().invokeExact(Native.callState(), addr, length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int open(MemorySegment path, int flags) {
    try {
      return (int) OPEN.handle().invokeExact(Native.callState(), path, flags);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int close(int fd) {
    try {
      return (int) CLOSE.handle().invokeExact(Native.callState(), fd);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int epollCreate1(int flags) {
    try {
      return (int) EPOLL_CREATE1.handle().invokeExact(Native.callState(), flags);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
    try {
      return (int) EPOLL_CTL.handle().invokeExact(Native.callState(), epfd, op, fd, event);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
    try {
      return (int)
          EPOLL_WAIT
              .handle()
              .invokeExact(Native.callState(), epfd, events, maxEvents, timeoutMillis);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int clockGettime(int clock, MemorySegment timespec) {
    try {
      return (int) CLOCK_GETTIME.handle().invokeExact(Native.callState(), clock, timespec);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int getpagesize() {
    try {
      return (int) GETPAGESIZE.handle().invokeExact(Native.callState());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int vsnprintf(MemorySegment buf, long size, MemorySegment format, MemorySegment args) {
    try {
      return (int) VSNPRINTF.handle().invokeExact(Native.callState(), buf, size, format, args);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mount(
      MemorySegment source,
      MemorySegment target,
      MemorySegment type,
      long flags,
      MemorySegment data) {
    try {
      return (int)
          MOUNT.handle().invokeExact(Native.callState(), source, target, type, flags, data);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
