package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes libbpf's messages, the verifier log among them, to SLF4J (logger {@code
 * io.lanthorn.bpf.libbpf}). libbpf has one process-wide print function, so this is installed once.
 */
final class LibBpfLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.lanthorn.bpf.libbpf");

  private static final int LIBBPF_WARN = 0;
  private static final int LIBBPF_INFO = 1;

  // x86-64 va_list is a 24-byte struct; copying it is what va_copy does, so it can be used twice.
  private static final long X86_64_VA_LIST_SIZE = 24;
  private static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"));
  private static final int FIRST_TRY = 1024;
  private static final int SINGLE_PASS_LIMIT = 1 << 20;

  private static boolean installed;

  private LibBpfLog() {}

  /** Installs the router; later calls do nothing. */
  @SuppressWarnings("restricted") // an upcall stub for libbpf's print callback
  static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      var target =
          MethodHandles.lookup()
              .findStatic(
                  LibBpfLog.class,
                  "print",
                  MethodType.methodType(
                      int.class, int.class, MemorySegment.class, MemorySegment.class));
      // Global: libbpf may call it until the process ends.
      MemorySegment stub =
          Native.LINKER.upcallStub(
              target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
      LibBpf.setPrint(stub);
      installed = true;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Called by libbpf. Must not throw: an exception escaping an upcall ends the JVM. */
  @SuppressWarnings("unused") // called from native code
  private static int print(int level, MemorySegment format, MemorySegment args) {
    try {
      if (level == LIBBPF_WARN) {
        if (LOG.isWarnEnabled()) {
          LOG.warn(format(format, args));
        }
      } else if (level == LIBBPF_INFO) {
        if (LOG.isInfoEnabled()) {
          LOG.info(format(format, args));
        }
      } else if (LOG.isDebugEnabled()) {
        LOG.debug(format(format, args));
      }
    } catch (Throwable t) {
      // Nothing sensible is left to do with a failure while logging; losing one line is better.
    }
    return 0;
  }

  @SuppressWarnings("restricted") // va_list lives in libbpf's frame; its size is fixed by the ABI
  private static String format(MemorySegment format, MemorySegment args) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf;
      if (X86_64) {
        // Format into a small buffer from a copy of args; if it did not fit, size exactly.
        MemorySegment copy = arena.allocate(X86_64_VA_LIST_SIZE, 8);
        copy.copyFrom(args.reinterpret(X86_64_VA_LIST_SIZE));
        buf = arena.allocate(FIRST_TRY);
        int length = Libc.vsnprintf(buf, FIRST_TRY, format, copy);
        if (length >= FIRST_TRY) {
          buf = arena.allocate(length + 1L);
          Libc.vsnprintf(buf, length + 1L, format, args);
        }
      } else {
        buf = arena.allocate(SINGLE_PASS_LIMIT);
        Libc.vsnprintf(buf, SINGLE_PASS_LIMIT, format, args);
      }
      return buf.getString(0).stripTrailing();
    }
  }
}
