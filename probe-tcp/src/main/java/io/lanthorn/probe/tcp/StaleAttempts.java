package io.lanthorn.probe.tcp;

import io.lanthorn.api.EventEmitter;
import io.lanthorn.bpf.KernelClock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Removes attempts in flight whose handshake has lasted longer than {@code inflight-timeout}. An
 * entry outlives its socket only when the kernel skipped the probe for the handshake's end (it
 * never nests a program on one CPU: see {@code kernel.prog_misses}); left there, it would hold its
 * place until its socket's address began another attempt. Each removal is reported lost as {@value
 * #LOST_STALE}, as the kernel's {@code replaced} count is.
 */
final class StaleAttempts {
  static final String LOST_STALE = "inflight_stale";
  private static final long MAX_INTERVAL_NANOS = 60_000_000_000L;

  private final InflightAttempts inflight;
  private final long timeoutNanos;
  private final long intervalNanos;
  private final Logger log;
  private long lastSweep = System.nanoTime();

  StaleAttempts(InflightAttempts inflight, Duration timeout, Duration pollInterval, Logger log) {
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
    int removed = inflight.removeStartedBefore(KernelClock.monotonicNanos() - timeoutNanos);
    if (removed > 0) {
      emitter.reportLost(LOST_STALE, removed);
      log.warn(
          "dropped {} connection attempts in flight for over {} ms: the probe missed how they ended",
          removed,
          timeoutNanos / 1_000_000);
    }
  }
}
