package io.lanthorn.probe.dns;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * The Java side of {@code struct dns_response} and {@code struct dns_counters} in {@code
 * src/main/bpf/dns_event.h}. RecordLayoutTest checks them against the compiled program's BTF.
 */
final class RecordLayout {
  static final int COMM_LEN = 16;
  static final int MAX_PAYLOAD = 512;
  static final int CGROUP_NAME_LEN = 128;

  static final StructLayout RESPONSE =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("ktime_ns"),
          JAVA_LONG.withName("cgroup_id"),
          JAVA_LONG.withName("socket_cookie"),
          JAVA_INT.withName("pid"),
          JAVA_INT.withName("tid"),
          MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
          MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, JAVA_BYTE).withName("cgroup_name"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("server"),
          JAVA_BYTE.withName("family"),
          JAVA_BYTE.withName("transport"),
          JAVA_SHORT.withName("payload_length"),
          JAVA_SHORT.withName("packet_payload"),
          JAVA_SHORT.withName("_pad"),
          MemoryLayout.sequenceLayout(MAX_PAYLOAD, JAVA_BYTE).withName("payload"));

  static final long SIZE = RESPONSE.byteSize();
  static final long KTIME_NS = offset("ktime_ns");
  static final long CGROUP_ID = offset("cgroup_id");
  static final long SOCKET_COOKIE = offset("socket_cookie");
  static final long PID = offset("pid");
  static final long TID = offset("tid");
  static final long COMM = offset("comm");
  static final long CGROUP_NAME = offset("cgroup_name");
  static final long SERVER = offset("server");
  static final long FAMILY = offset("family");
  static final long TRANSPORT = offset("transport");
  static final long PAYLOAD_LENGTH = offset("payload_length");
  static final long PACKET_PAYLOAD = offset("packet_payload");
  static final long PAYLOAD = offset("payload");

  /** {@code struct dns_counters}, in order: each a {@code __u64} summed over CPUs. */
  static final List<String> COUNTERS =
      List.of("responses", "ring_full", "truncated", "unknown_owner", "queries", "owner_full");

  private RecordLayout() {}

  private static long offset(String field) {
    return RESPONSE.byteOffset(groupElement(field));
  }
}
