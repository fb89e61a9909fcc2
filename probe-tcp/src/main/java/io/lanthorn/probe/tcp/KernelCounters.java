package io.lanthorn.probe.tcp;

import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.Metrics;
import io.lanthorn.bpf.BpfProgram;
import io.lanthorn.bpf.PerCpuCounters;
import java.util.List;
import org.slf4j.Logger;

/**
 * The kernel program's counters as seen from user space: published as gauges, and their growth
 * reported to the pipeline as loss and logged. Refreshed by one thread; gauges read snapshots.
 */
final class KernelCounters {
  static final String LOST_RING_FULL = "kernel_ring_full";
  static final String LOST_INFLIGHT_FULL = "inflight_map_full";
  static final String LOST_ACCEPT_RING_FULL = "accept_ring_full";
  static final String LOST_CLOSE_RING_FULL = "close_ring_full";
  static final String LOST_LIFETIME_EVICTED = "lifetime_evicted";

  private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
  // Asking the kernel for a program's statistics is a costlier call than reading a map.
  private static final long MISSES_INTERVAL_NANOS = 1_000_000_000L;
  private static final int RING_FULL = RecordLayout.COUNTERS.indexOf("ring_full");
  private static final int INFLIGHT_FULL = RecordLayout.COUNTERS.indexOf("inflight_full");
  private static final int REPLACED = RecordLayout.COUNTERS.indexOf("replaced");
  private static final int ACCEPT_RING_FULL = RecordLayout.COUNTERS.indexOf("accept_ring_full");
  private static final int TRACKED = RecordLayout.COUNTERS.indexOf("tracked");
  private static final int CLOSED = RecordLayout.COUNTERS.indexOf("closed");
  private static final int CLOSE_RING_FULL = RecordLayout.COUNTERS.indexOf("close_ring_full");

  private static final String[] DESCRIPTIONS = {
    "TCP sockets the kernel program saw enter SYN_SENT",
    "connection records the kernel program wrote to the ring buffer",
    "connection attempts lost because the ring buffer was full (for their record, or for the"
        + " process record they needed)",
    "connection attempts lost because the in-flight map was full",
    "handshake ends seen without their start (begun before the probe attached)",
    "connection attempts lost because the probe missed their end, found when their socket began"
        + " another attempt",
    "accepted connections the kernel program wrote to the ring buffer",
    "accepted connections lost because the ring buffer was full",
    "established connections entered into the lifetime map",
    "close records the kernel program wrote to the ring buffer",
    "closes lost because the ring buffer was full",
  };

  private final PerCpuCounters counters;
  private final List<BpfProgram> programs;
  private final Logger log;
  private volatile long[] latest;
  private volatile long programMisses;
  private long reportedRingFull;
  private long reportedInflightFull;
  private long reportedReplaced;
  private long reportedAcceptRingFull;
  private long reportedCloseRingFull;
  private long reportedMisses;
  private long unloggedLost;
  private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;
  private long lastMissesNanos = System.nanoTime() - MISSES_INTERVAL_NANOS;

  KernelCounters(PerCpuCounters counters, List<BpfProgram> programs, Logger log) {
    if (counters.size() != RecordLayout.COUNTERS.size()
        || RecordLayout.COUNTERS.size() != DESCRIPTIONS.length) {
      throw new IllegalStateException("kernel counters do not match RecordLayout.COUNTERS");
    }
    this.counters = counters;
    this.programs = List.copyOf(programs);
    this.log = log;
    this.latest = new long[counters.size()];
  }

  /** Registers one gauge per kernel counter, named {@code kernel.<counter>}. */
  void register(Metrics metrics) {
    for (int i = 0; i < DESCRIPTIONS.length; i++) {
      int index = i;
      metrics.gauge("kernel." + RecordLayout.COUNTERS.get(i), DESCRIPTIONS[i], () -> latest[index]);
    }
    metrics.gauge(
        "kernel.prog_misses",
        "probe runs the kernel skipped because the probe was already running on that CPU",
        () -> programMisses);
  }

  /**
   * Reads the counters, reports new loss to {@code emitter}, and logs it (at most every 10 s).
   *
   * @param last also reads the programs' skipped runs, which is otherwise done once a second
   */
  void refresh(EventEmitter emitter, boolean last) {
    long[] now = counters.read();
    latest = now;
    long ringFull = now[RING_FULL] - reportedRingFull;
    long inflightFull = now[INFLIGHT_FULL] - reportedInflightFull;
    if (ringFull > 0) {
      emitter.reportLost(LOST_RING_FULL, ringFull);
      reportedRingFull = now[RING_FULL];
    }
    if (inflightFull > 0) {
      emitter.reportLost(LOST_INFLIGHT_FULL, inflightFull);
      reportedInflightFull = now[INFLIGHT_FULL];
    }
    // Its end went unseen, like an entry the sweep finds stale: the same reason.
    long replaced = now[REPLACED] - reportedReplaced;
    if (replaced > 0) {
      emitter.reportLost(StaleAttempts.LOST_STALE, replaced);
      reportedReplaced = now[REPLACED];
    }
    long acceptRingFull = now[ACCEPT_RING_FULL] - reportedAcceptRingFull;
    if (acceptRingFull > 0) {
      emitter.reportLost(LOST_ACCEPT_RING_FULL, acceptRingFull);
      reportedAcceptRingFull = now[ACCEPT_RING_FULL];
    }
    long closeRingFull = now[CLOSE_RING_FULL] - reportedCloseRingFull;
    if (closeRingFull > 0) {
      emitter.reportLost(LOST_CLOSE_RING_FULL, closeRingFull);
      reportedCloseRingFull = now[CLOSE_RING_FULL];
    }
    long nowNanos = System.nanoTime();
    if (last || nowNanos - lastMissesNanos >= MISSES_INTERVAL_NANOS) {
      long misses = 0;
      for (BpfProgram program : programs) {
        misses += program.recursionMisses();
      }
      programMisses = misses;
      lastMissesNanos = nowNanos;
    }
    logLoss(ringFull + inflightFull, programMisses);
  }

  /**
   * At stop: the lifetime map's evictions, which the kernel cannot count (an LRU evicts silently),
   * are what entered it and neither closed nor is still there.
   *
   * @param stillOpen the map's entries now, or -1 when unknown (then nothing is reported)
   */
  void reportEvicted(EventEmitter emitter, long stillOpen) {
    if (stillOpen < 0) {
      return;
    }
    long[] now = latest;
    long evicted = now[TRACKED] - now[CLOSED] - now[CLOSE_RING_FULL] - stillOpen;
    if (evicted > 0) {
      emitter.reportLost(LOST_LIFETIME_EVICTED, evicted);
      log.warn(
          "{} established connections left the lifetime map before their close (it holds"
              + " probe-tcp.lifetime-entries); their duration and bytes are not recorded",
          evicted);
    }
  }

  private void logLoss(long lost, long misses) {
    unloggedLost += lost;
    long nowNanos = System.nanoTime();
    boolean missesGrew = misses > reportedMisses;
    if ((unloggedLost == 0 && !missesGrew) || nowNanos - lastLogNanos < LOG_INTERVAL_NANOS) {
      return;
    }
    if (unloggedLost > 0) {
      log.warn(
          "lost {} connection attempts in the kernel (ring buffer full: {}, in-flight map full: {}"
              + " in total); raise probe-tcp.ring-size or probe-tcp.inflight-entries",
          unloggedLost,
          reportedRingFull,
          reportedInflightFull);
    }
    if (missesGrew) {
      // Most skipped runs are state changes the probe ignores anyway, hence info, not warn.
      log.info(
          "the kernel skipped {} runs of the probe that would have nested on a CPU; a connection"
              + " whose start fell in one is missing, one whose end did is dropped after"
              + " inflight-timeout",
          misses - reportedMisses);
      reportedMisses = misses;
    }
    unloggedLost = 0;
    lastLogNanos = nowNanos;
  }
}
