package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads a {@code BPF_MAP_TYPE_PERCPU_ARRAY} whose entry 0 is a struct of {@code __u64} counters,
 * summing each counter over all CPUs. Per-CPU counters need no atomics in the kernel; the sum is
 * exact whenever the program is not running, and never runs backwards.
 */
public final class PerCpuCounters {
  private final BpfMap map;
  private final int counters;
  private final int cpus;
  private final long stride;
  private final MemorySegment key;
  private final MemorySegment values;

  /** Reads counters of {@code map}, which must be loaded. */
  public PerCpuCounters(BpfMap map) {
    this.map = map;
    this.counters = map.valueSize() / Long.BYTES;
    this.cpus = LibBpf.numPossibleCpus();
    if (cpus <= 0) {
      throw BpfException.ofErrno("cannot count possible CPUs", -cpus);
    }
    // The kernel lays per-CPU values out 8-byte aligned, one after another.
    this.stride = (map.valueSize() + 7L) & ~7L;
    Arena arena = Arena.ofAuto();
    this.key = arena.allocate(JAVA_INT);
    this.values = arena.allocate(stride * cpus, 8);
  }

  /** How many counters each entry holds. */
  public int size() {
    return counters;
  }

  /** The counters, each summed over all CPUs, in struct order. */
  public synchronized long[] read() {
    if (!map.lookup(key, values)) {
      throw new BpfException("per-CPU map " + map.name() + " has no entry 0");
    }
    long[] sums = new long[counters];
    for (int cpu = 0; cpu < cpus; cpu++) {
      for (int i = 0; i < counters; i++) {
        sums[i] += values.get(JAVA_LONG, cpu * stride + (long) i * Long.BYTES);
      }
    }
    return sums;
  }
}
