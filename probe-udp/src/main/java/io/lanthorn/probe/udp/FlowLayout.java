package io.lanthorn.probe.udp;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * The Java side of {@code struct udp_flow_key}, {@code struct udp_flow} and {@code struct
 * udp_counters} in {@code src/main/bpf/udp_flow.h}; RecordLayoutTest checks them against the BTF.
 */
final class FlowLayout {
  static final int COMM_LEN = 16;
  static final int CGROUP_NAME_LEN = 128;

  static final StructLayout KEY =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("cookie"),
          JAVA_INT.withName("pid"),
          JAVA_SHORT.withName("family"),
          JAVA_SHORT.withName("dport"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("daddr"));

  static final long KEY_PID = offset(KEY, "pid");
  static final long KEY_FAMILY = offset(KEY, "family");
  static final long KEY_DPORT = offset(KEY, "dport");
  static final long KEY_DADDR = offset(KEY, "daddr");

  static final StructLayout FLOW =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("first_ns"),
          JAVA_LONG.withName("last_ns"),
          JAVA_LONG.withName("datagrams"),
          JAVA_LONG.withName("bytes"),
          JAVA_LONG.withName("cgroup_id"),
          JAVA_INT.withName("tid"),
          JAVA_INT.withName("uid"),
          JAVA_INT.withName("gid"),
          JAVA_SHORT.withName("sport"),
          JAVA_BYTE.withName("connected"),
          JAVA_BYTE.withName("reserved"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("saddr"),
          MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
          MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, JAVA_BYTE).withName("cgroup_name"));

  static final long FIRST_NS = offset(FLOW, "first_ns");
  static final long LAST_NS = offset(FLOW, "last_ns");
  static final long DATAGRAMS = offset(FLOW, "datagrams");
  static final long BYTES = offset(FLOW, "bytes");
  static final long CGROUP_ID = offset(FLOW, "cgroup_id");
  static final long TID = offset(FLOW, "tid");
  static final long UID = offset(FLOW, "uid");
  static final long GID = offset(FLOW, "gid");
  static final long SPORT = offset(FLOW, "sport");
  static final long SADDR = offset(FLOW, "saddr");
  static final long COMM = offset(FLOW, "comm");
  static final long CGROUP_NAME = offset(FLOW, "cgroup_name");

  /** {@code struct udp_counters}, all {@code __u64}, in this order. */
  static final List<String> COUNTERS = List.of("seen", "new_flows", "map_full", "unmatched");

  private FlowLayout() {}

  private static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }
}
