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
 * The Java side of {@code struct tcp_event}, {@code struct tcp_process} and {@code struct
 * tcp_counters} in {@code src/main/bpf/tcp_event.h}. RecordLayoutTest checks them against the BTF
 * of the compiled program.
 */
final class RecordLayout {
  static final int COMM_LEN = 16;
  static final int CGROUP_NAME_LEN = 128;
  static final int ARGV_LEN = 128;

  /** The first byte of every ring record: which struct it is ({@code enum tcp_record_kind}). */
  static final long KIND = 0;

  static final int KIND_CONNECTION = 1;
  static final int KIND_PROCESS = 2;
  static final int KIND_ACCEPT = 3;
  static final int KIND_CLOSE = 4;

  /** {@code struct tcp_event}: a connection record, and an in-flight map value. */
  static final StructLayout EVENT =
      MemoryLayout.structLayout(
          JAVA_BYTE.withName("kind"),
          JAVA_BYTE.withName("state"),
          JAVA_SHORT.withName("family"),
          JAVA_SHORT.withName("sport"),
          JAVA_SHORT.withName("dport"),
          JAVA_INT.withName("error"),
          JAVA_INT.withName("pid"),
          JAVA_INT.withName("tid"),
          JAVA_INT.withName("uid"),
          JAVA_INT.withName("gid"),
          JAVA_INT.withName("reserved"),
          JAVA_LONG.withName("start_ns"),
          JAVA_LONG.withName("latency_ns"),
          JAVA_LONG.withName("cgroup_id"),
          JAVA_LONG.withName("exec_id"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("saddr"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("daddr"),
          MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"));

  static final long SIZE = EVENT.byteSize();
  static final long STATE = offset(EVENT, "state");
  static final long FAMILY = offset(EVENT, "family");
  static final long SPORT = offset(EVENT, "sport");
  static final long DPORT = offset(EVENT, "dport");
  static final long ERROR = offset(EVENT, "error");
  static final long PID = offset(EVENT, "pid");
  static final long TID = offset(EVENT, "tid");
  static final long UID = offset(EVENT, "uid");
  static final long GID = offset(EVENT, "gid");
  static final long START_NS = offset(EVENT, "start_ns");
  static final long LATENCY_NS = offset(EVENT, "latency_ns");
  static final long CGROUP_ID = offset(EVENT, "cgroup_id");
  static final long EXEC_ID = offset(EVENT, "exec_id");
  static final long SADDR = offset(EVENT, "saddr");
  static final long DADDR = offset(EVENT, "daddr");
  static final long COMM = offset(EVENT, "comm");

  /** {@code struct tcp_process}: a process image and its cgroup, announced once per CPU. */
  static final StructLayout PROCESS =
      MemoryLayout.structLayout(
          JAVA_BYTE.withName("kind"),
          JAVA_BYTE.withName("reserved"),
          JAVA_SHORT.withName("argv_len"),
          JAVA_INT.withName("pid"),
          JAVA_LONG.withName("exec_id"),
          JAVA_LONG.withName("cgroup_id"),
          MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, JAVA_BYTE).withName("cgroup_name"),
          MemoryLayout.sequenceLayout(ARGV_LEN, JAVA_BYTE).withName("argv"));

  static final long PROCESS_SIZE = PROCESS.byteSize();
  static final long PROCESS_ARGV_LEN = offset(PROCESS, "argv_len");
  static final long PROCESS_PID = offset(PROCESS, "pid");
  static final long PROCESS_EXEC_ID = offset(PROCESS, "exec_id");
  static final long PROCESS_CGROUP_ID = offset(PROCESS, "cgroup_id");
  static final long PROCESS_CGROUP_NAME = offset(PROCESS, "cgroup_name");
  static final long PROCESS_ARGV = offset(PROCESS, "argv");

  /** {@code struct tcp_accept}: a connection a listening socket accepted. */
  static final StructLayout ACCEPT =
      MemoryLayout.structLayout(
          JAVA_BYTE.withName("kind"),
          JAVA_BYTE.withName("owner_known"),
          JAVA_SHORT.withName("family"),
          JAVA_SHORT.withName("lport"),
          JAVA_SHORT.withName("rport"),
          JAVA_INT.withName("pid"),
          JAVA_INT.withName("tid"),
          JAVA_INT.withName("uid"),
          JAVA_INT.withName("gid"),
          JAVA_LONG.withName("start_ns"),
          JAVA_LONG.withName("cgroup_id"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("laddr"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("raddr"),
          MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
          MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, JAVA_BYTE).withName("cgroup_name"));

  static final long ACCEPT_SIZE = ACCEPT.byteSize();
  static final long ACCEPT_FAMILY = offset(ACCEPT, "family");
  static final long ACCEPT_LPORT = offset(ACCEPT, "lport");
  static final long ACCEPT_RPORT = offset(ACCEPT, "rport");
  static final long ACCEPT_PID = offset(ACCEPT, "pid");
  static final long ACCEPT_TID = offset(ACCEPT, "tid");
  static final long ACCEPT_UID = offset(ACCEPT, "uid");
  static final long ACCEPT_GID = offset(ACCEPT, "gid");
  static final long ACCEPT_START_NS = offset(ACCEPT, "start_ns");
  static final long ACCEPT_CGROUP_ID = offset(ACCEPT, "cgroup_id");
  static final long ACCEPT_LADDR = offset(ACCEPT, "laddr");
  static final long ACCEPT_RADDR = offset(ACCEPT, "raddr");
  static final long ACCEPT_COMM = offset(ACCEPT, "comm");
  static final long ACCEPT_CGROUP_NAME = offset(ACCEPT, "cgroup_name");

  /** {@code struct tcp_close}: an established connection closed. */
  static final StructLayout CLOSE =
      MemoryLayout.structLayout(
          JAVA_BYTE.withName("kind"),
          JAVA_BYTE.withName("inbound"),
          JAVA_SHORT.withName("family"),
          JAVA_SHORT.withName("lport"),
          JAVA_SHORT.withName("rport"),
          JAVA_LONG.withName("open_ns"),
          JAVA_LONG.withName("close_ns"),
          JAVA_LONG.withName("duration_ns"),
          JAVA_LONG.withName("bytes_sent"),
          JAVA_LONG.withName("bytes_received"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("laddr"),
          MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("raddr"));

  static final long CLOSE_SIZE = CLOSE.byteSize();
  static final long CLOSE_INBOUND = offset(CLOSE, "inbound");
  static final long CLOSE_FAMILY = offset(CLOSE, "family");
  static final long CLOSE_LPORT = offset(CLOSE, "lport");
  static final long CLOSE_RPORT = offset(CLOSE, "rport");
  static final long CLOSE_OPEN_NS = offset(CLOSE, "open_ns");
  static final long CLOSE_CLOSE_NS = offset(CLOSE, "close_ns");
  static final long CLOSE_DURATION_NS = offset(CLOSE, "duration_ns");
  static final long CLOSE_BYTES_SENT = offset(CLOSE, "bytes_sent");
  static final long CLOSE_BYTES_RECEIVED = offset(CLOSE, "bytes_received");
  static final long CLOSE_LADDR = offset(CLOSE, "laddr");
  static final long CLOSE_RADDR = offset(CLOSE, "raddr");

  /** {@code struct inflight_slot}: an element of the direct-mapped in-flight table. */
  static final StructLayout SLOT =
      MemoryLayout.structLayout(JAVA_LONG.withName("socket"), EVENT.withName("attempt"));

  static final long SLOT_SIZE = SLOT.byteSize();
  static final long SLOT_SOCKET = offset(SLOT, "socket");
  static final long SLOT_ATTEMPT = offset(SLOT, "attempt");

  /** {@code struct tcp_counters}, all {@code __u64}, in this order. */
  static final List<String> COUNTERS =
      List.of(
          "started",
          "emitted",
          "ring_full",
          "inflight_full",
          "unmatched",
          "replaced",
          "accepted",
          "accept_ring_full",
          "tracked",
          "closed",
          "close_ring_full");

  // TCP states (include/net/tcp_states.h).
  static final int TCP_ESTABLISHED = 1;
  static final int TCP_SYN_SENT = 2;

  private RecordLayout() {}

  private static long offset(StructLayout layout, String field) {
    return layout.byteOffset(groupElement(field));
  }
}
