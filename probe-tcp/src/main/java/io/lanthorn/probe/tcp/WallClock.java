package io.lanthorn.probe.tcp;

import io.lanthorn.bpf.KernelClock;
import java.time.Clock;
import java.time.Instant;

/** Converts the kernel's monotonic timestamps to wall-clock time. */
final class WallClock {
  private static final int SAMPLES = 5;

  private WallClock() {}

  /**
   * Wall-clock minus monotonic time, in nanoseconds. Of a few samples, keeps the one whose two
   * monotonic readings lie closest together: the wall-clock reading between them is then known to
   * within that gap (typically well under a microsecond).
   */
  static long offsetNanos(Clock clock) {
    long bestGap = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long before = KernelClock.monotonicNanos();
      Instant now = clock.instant();
      long after = KernelClock.monotonicNanos();
      if (after - before < bestGap) {
        bestGap = after - before;
        long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        offset = wall - (before + (after - before) / 2);
      }
    }
    return offset;
  }
}
