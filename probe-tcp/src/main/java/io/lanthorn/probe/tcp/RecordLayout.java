package io.lanthorn.probe.tcp;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * The Java side of {@code struct tcp_event} and {@code struct tcp_counters} in {@code
 * src/main/bpf/tcp_event.h}. RecordLayoutTest checks both against the BTF of the compiled program.
 */
final class RecordLayout {
  static final int COMM_LEN = 16;
  static final int CGROUP_NAME_LEN = 128;
  static final int ARGV_LEN = 128;

  /** {@code struct tcp_event}: a ring-buffer record, and an in-flight map value. */
  static final StructLayout EVENT =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("start_ns"),
          JAVA_LONG.withName("latency_ns"),
          JAVA_LONG.withName("cgroup_id"),
          JAVA_INT.withName("pid"),
          JAVA_INT.withName("tid"),
          JAVA_INT.withName("uid"),
          JAVA_INT.withName("gid"),
          JAVA_INT.withName("error"),
          JAVA_SHORT.withName("family"),
          JAVA_SHORT.withName("protocol"),
          JAVA_SHORT.withName("sport"),
          JAVA_SHORT.withName("dport"),
          JAVA_BYTE.withName("state"),
          JAVA_BYTE.withName("reserved"),
          JAVA_SHORT.withName("argv_len"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("saddr"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("daddr"),
          MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
          MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, JAVA_BYTE).withName("cgroup_name"),
          MemoryLayout.sequenceLayout(ARGV_LEN, JAVA_BYTE).withName("argv"));

  static final long SIZE = EVENT.byteSize();
  static final long START_NS = offset("start_ns");
  static final long LATENCY_NS = offset("latency_ns");
  static final long CGROUP_ID = offset("cgroup_id");
  static final long PID = offset("pid");
  static final long TID = offset("tid");
  static final long UID = offset("uid");
  static final long GID = offset("gid");
  static final long ERROR = offset("error");
  static final long FAMILY = offset("family");
  static final long SPORT = offset("sport");
  static final long DPORT = offset("dport");
  static final long STATE = offset("state");
  static final long ARGV_LEN_FIELD = offset("argv_len");
  static final long SADDR = offset("saddr");
  static final long DADDR = offset("daddr");
  static final long COMM = offset("comm");
  static final long CGROUP_NAME = offset("cgroup_name");
  static final long ARGV = offset("argv");

  /** {@code struct tcp_counters}, all {@code __u64}, in this order. */
  static final List<String> COUNTERS =
      List.of("started", "emitted", "ring_full", "inflight_full", "unmatched");

  // TCP states (include/net/tcp_states.h).
  static final int TCP_ESTABLISHED = 1;
  static final int TCP_SYN_SENT = 2;

  private RecordLayout() {}

  private static long offset(String field) {
    return EVENT.byteOffset(groupElement(field));
  }
}
