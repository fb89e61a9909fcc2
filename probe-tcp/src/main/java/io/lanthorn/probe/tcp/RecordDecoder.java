package io.lanthorn.probe.tcp;

import static io.lanthorn.probe.tcp.RecordLayout.CGROUP_ID;
import static io.lanthorn.probe.tcp.RecordLayout.COMM;
import static io.lanthorn.probe.tcp.RecordLayout.DADDR;
import static io.lanthorn.probe.tcp.RecordLayout.DPORT;
import static io.lanthorn.probe.tcp.RecordLayout.ERROR;
import static io.lanthorn.probe.tcp.RecordLayout.EXEC_ID;
import static io.lanthorn.probe.tcp.RecordLayout.FAMILY;
import static io.lanthorn.probe.tcp.RecordLayout.GID;
import static io.lanthorn.probe.tcp.RecordLayout.LATENCY_NS;
import static io.lanthorn.probe.tcp.RecordLayout.PID;
import static io.lanthorn.probe.tcp.RecordLayout.SADDR;
import static io.lanthorn.probe.tcp.RecordLayout.SPORT;
import static io.lanthorn.probe.tcp.RecordLayout.START_NS;
import static io.lanthorn.probe.tcp.RecordLayout.STATE;
import static io.lanthorn.probe.tcp.RecordLayout.TCP_ESTABLISHED;
import static io.lanthorn.probe.tcp.RecordLayout.TCP_SYN_SENT;
import static io.lanthorn.probe.tcp.RecordLayout.TID;
import static io.lanthorn.probe.tcp.RecordLayout.UID;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code struct tcp_event} records into {@link ConnectionEvent}s where they lie, with the
 * command line and cgroup name that {@code struct tcp_process} records announced before them
 * ({@link #learnProcess}). Strings and addresses come from caches, so a record of a known process
 * costs one event allocation. Not thread-safe: one decoder per reader.
 */
final class RecordDecoder {
  private static final int AF_INET6 = 10; // anything else is AF_INET: the program emits no other
  private static final int ECONNREFUSED = 111;
  private static final int ETIMEDOUT = 110;
  private static final int ENETUNREACH = 101;
  private static final int EHOSTUNREACH = 113;

  private final CommCache comms = new CommCache(512);
  private final AddressCache addresses = new AddressCache(1024);
  private final ProcessTable processes = new ProcessTable();
  private final String hostName;

  /** A decoder whose events carry no host name. */
  RecordDecoder() {
    this(null);
  }

  /** A decoder whose events carry this host name. */
  RecordDecoder(String hostName) {
    this.hostName = hostName;
  }

  /** Connection records whose process image was not known: their command line is missing. */
  long unknownProcesses() {
    return processes.unknownProcesses();
  }

  /** Connection records whose cgroup was not known: their cgroup name is missing. */
  long unknownCgroups() {
    return processes.unknownCgroups();
  }

  /** Learns the process image and cgroup of the {@code struct tcp_process} at {@code offset}. */
  void learnProcess(MemorySegment buffer, long offset) {
    processes.learn(buffer, offset);
  }

  /**
   * Decodes the record at {@code offset}.
   *
   * @param wallClockOffsetNanos added to the kernel's monotonic time to get wall-clock time
   */
  ConnectionEvent decode(MemorySegment buffer, long offset, long wallClockOffsetNanos) {
    int state = Byte.toUnsignedInt(buffer.get(JAVA_BYTE, offset + STATE));
    int error = buffer.get(JAVA_INT, offset + ERROR);
    Outcome outcome = outcome(state, error);
    boolean v6 = Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + FAMILY)) == AF_INET6;
    long start = buffer.get(JAVA_LONG, offset + START_NS);
    int pid = buffer.get(JAVA_INT, offset + PID);
    long cgroupId = buffer.get(JAVA_LONG, offset + CGROUP_ID);
    EventHeader header =
        new EventHeader(
            start + wallClockOffsetNanos,
            start,
            pid,
            buffer.get(JAVA_INT, offset + TID),
            buffer.get(JAVA_INT, offset + UID),
            buffer.get(JAVA_INT, offset + GID),
            comms.get(buffer, offset + COMM),
            processes.commandLine(pid, buffer.get(JAVA_LONG, offset + EXEC_ID)),
            cgroupId,
            processes.cgroupName(cgroupId),
            hostName);
    return new ConnectionEvent(
        header,
        v6 ? AddressFamily.INET6 : AddressFamily.INET,
        Protocol.TCP,
        address(buffer, offset + SADDR, v6),
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + SPORT)),
        address(buffer, offset + DADDR, v6),
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + DPORT)),
        outcome,
        outcome == Outcome.ESTABLISHED ? 0 : error,
        outcome == Outcome.PENDING ? -1 : buffer.get(JAVA_LONG, offset + LATENCY_NS),
        Attributes.empty());
  }

  /**
   * Decodes the {@code struct tcp_accept} at {@code offset}. The source port of the event is the
   * peer's; the listener's owner is in the header when its {@code listen()} was seen (else pid 0
   * and an empty command name); the cgroup is the socket's, with its name as the kernel read it.
   */
  InboundAcceptEvent decodeAccept(MemorySegment buffer, long offset, long wallClockOffsetNanos) {
    boolean v6 =
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.ACCEPT_FAMILY))
            == AF_INET6;
    long start = buffer.get(JAVA_LONG, offset + RecordLayout.ACCEPT_START_NS);
    long cgroupId = buffer.get(JAVA_LONG, offset + RecordLayout.ACCEPT_CGROUP_ID);
    EventHeader header =
        new EventHeader(
            start + wallClockOffsetNanos,
            start,
            buffer.get(JAVA_INT, offset + RecordLayout.ACCEPT_PID),
            buffer.get(JAVA_INT, offset + RecordLayout.ACCEPT_TID),
            buffer.get(JAVA_INT, offset + RecordLayout.ACCEPT_UID),
            buffer.get(JAVA_INT, offset + RecordLayout.ACCEPT_GID),
            comms.get(buffer, offset + RecordLayout.ACCEPT_COMM),
            null,
            cgroupId,
            text(buffer, offset + RecordLayout.ACCEPT_CGROUP_NAME, RecordLayout.CGROUP_NAME_LEN),
            hostName);
    return new InboundAcceptEvent(
        header,
        v6 ? AddressFamily.INET6 : AddressFamily.INET,
        Protocol.TCP,
        address(buffer, offset + RecordLayout.ACCEPT_LADDR, v6),
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.ACCEPT_LPORT)),
        address(buffer, offset + RecordLayout.ACCEPT_RADDR, v6),
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.ACCEPT_RPORT)),
        Attributes.empty());
  }

  /**
   * Decodes the {@code struct tcp_close} at {@code offset}. Its time is the close; it refers to the
   * connection or accept event by that event's kernel time.
   */
  ConnectionCloseEvent decodeClose(MemorySegment buffer, long offset, long wallClockOffsetNanos) {
    boolean v6 =
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.CLOSE_FAMILY)) == AF_INET6;
    long duration = buffer.get(JAVA_LONG, offset + RecordLayout.CLOSE_DURATION_NS);
    long opened = buffer.get(JAVA_LONG, offset + RecordLayout.CLOSE_OPEN_NS);
    boolean inbound = buffer.get(JAVA_BYTE, offset + RecordLayout.CLOSE_INBOUND) != 0;
    long closed = buffer.get(JAVA_LONG, offset + RecordLayout.CLOSE_CLOSE_NS);
    EventHeader header =
        new EventHeader(
            closed + wallClockOffsetNanos, closed, 0, 0, 0, 0, "", null, 0, null, hostName);
    return new ConnectionCloseEvent(
        header,
        v6 ? AddressFamily.INET6 : AddressFamily.INET,
        inbound,
        address(buffer, offset + RecordLayout.CLOSE_LADDR, v6),
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.CLOSE_LPORT)),
        address(buffer, offset + RecordLayout.CLOSE_RADDR, v6),
        Short.toUnsignedInt(buffer.get(JAVA_SHORT, offset + RecordLayout.CLOSE_RPORT)),
        opened,
        duration,
        buffer.get(JAVA_LONG, offset + RecordLayout.CLOSE_BYTES_SENT),
        buffer.get(JAVA_LONG, offset + RecordLayout.CLOSE_BYTES_RECEIVED),
        Attributes.empty());
  }

  /** A NUL-terminated UTF-8 string of at most {@code max} bytes, {@code null} when empty. */
  private static String text(MemorySegment buffer, long offset, int max) {
    int length = 0;
    while (length < max && buffer.get(JAVA_BYTE, offset + length) != 0) {
      length++;
    }
    if (length == 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    MemorySegment.copy(buffer, JAVA_BYTE, offset, bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** How an attempt ended, from the state it went to and the socket's error. */
  static Outcome outcome(int state, int error) {
    if (state == TCP_SYN_SENT) {
      return Outcome.PENDING;
    }
    if (state == TCP_ESTABLISHED) {
      return Outcome.ESTABLISHED;
    }
    return switch (error) {
      case ECONNREFUSED -> Outcome.REFUSED;
      case ETIMEDOUT -> Outcome.TIMED_OUT;
      case ENETUNREACH, EHOSTUNREACH -> Outcome.UNREACHABLE;
      default -> Outcome.OTHER;
    };
  }

  private InetAddress address(MemorySegment buffer, long offset, boolean v6) {
    return v6 ? addresses.ipv6(buffer, offset) : addresses.ipv4(buffer, offset);
  }
}
