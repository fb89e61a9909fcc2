package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Clock;
import java.time.Instant;

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

  /**
   * Wall-clock minus monotonic time, in nanoseconds: add it to a BPF timestamp for wall-clock time.
   * Of a few samples, keeps the one whose two monotonic readings lie closest together: the
   * wall-clock reading between them is then known to within that gap.
   */
  public static long wallClockOffsetNanos(Clock clock) {
    long bestGap = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 5; i++) {
      long before = monotonicNanos();
      Instant now = clock.instant();
      long after = monotonicNanos();
      if (after - before < bestGap) {
        bestGap = after - before;
        long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        offset = wall - (before + (after - before) / 2);
      }
    }
    return offset;
  }
}
