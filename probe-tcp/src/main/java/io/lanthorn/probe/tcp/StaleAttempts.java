package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.lanthorn.api.EventEmitter;
import io.lanthorn.bpf.BpfMap;
import io.lanthorn.bpf.KernelClock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Removes attempts from the in-flight map whose handshake has lasted longer than {@code
 * inflight-timeout}. An entry outlives its socket only when the kernel skipped the probe for the
 * handshake's end (it never nests a program on one CPU: see {@code kernel.prog_misses}); left
 * there, it would hold a slot forever. Each removal is reported lost as {@value #LOST_STALE}.
 */
final class StaleAttempts {
  static final String LOST_STALE = "inflight_stale";
  private static final long MAX_INTERVAL_NANOS = 60_000_000_000L;

  private final BpfMap inflight;
  private final long timeoutNanos;
  private final long intervalNanos;
  private final Logger log;
  private long lastSweep = System.nanoTime();

  StaleAttempts(BpfMap inflight, Duration timeout, Duration pollInterval, Logger log) {
    this.inflight = inflight;
    this.timeoutNanos = timeout.toNanos();
    this.intervalNanos = Math.clamp(timeoutNanos / 2, pollInterval.toNanos(), MAX_INTERVAL_NANOS);
    this.log = log;
  }

  /** Sweeps when half a timeout (at most a minute) has passed since the last sweep. */
  void sweepIfDue(EventEmitter emitter) {
    long now = System.nanoTime();
    if (now - lastSweep < intervalNanos) {
      return;
    }
    lastSweep = now;
    long startedBefore = KernelClock.monotonicNanos() - timeoutNanos;
    List<Long> stale = new ArrayList<>();
    inflight.forEach(
        (key, value) -> {
          if (value.get(JAVA_LONG, RecordLayout.START_NS) < startedBefore) {
            stale.add(key.get(JAVA_LONG, 0));
          }
        });
    if (stale.isEmpty()) {
      return;
    }
    int removed = 0;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(JAVA_LONG);
      for (long socket : stale) {
        key.set(JAVA_LONG, 0, socket);
        if (inflight.delete(key)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      emitter.reportLost(LOST_STALE, removed);
      log.warn(
          "dropped {} connection attempts in flight for over {} ms: the probe missed how they ended",
          removed,
          timeoutNanos / 1_000_000);
    }
  }
}
