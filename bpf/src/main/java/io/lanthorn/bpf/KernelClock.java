package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The kernel's {@code CLOCK_MONOTONIC}, which {@code bpf_ktime_get_ns()} reads. */
public final class KernelClock {
  private static final int CLOCK_MONOTONIC = 1;

  private KernelClock() {}

  /** Now, in nanoseconds on the clock BPF programs timestamp with. */
  public static long monotonicNanos() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment timespec = arena.allocate(16, 8);
      if (Libc.clockGettime(CLOCK_MONOTONIC, timespec) != 0) {
        throw BpfException.ofErrno("clock_gettime(CLOCK_MONOTONIC)", Native.errno());
      }
      return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
    }
  }
}
