package io.lanthorn.api;

import java.time.Instant;

/**
 * The one vocabulary every core sink uses: the names of fields, and how values are encoded.
 *
 * <p>Names are OpenTelemetry's semantic conventions where one names the field ({@code
 * server.address}, {@code process.pid}, {@code container.id}, {@code host.name} …) and {@code
 * lanthorn.}-prefixed otherwise; the JSON lines sink writes them as they are. For a connection the
 * local end is the client and the remote end the server; for an accepted connection the other way
 * round. The SQLite sink keeps the Rust Lanthorn's column names ({@code dst_addr} …) and encodes
 * the values the same way.
 *
 * <p>Encodings: addresses as {@link AddressText} writes them; the address family as {@link
 * #networkType}; user and group ids as unsigned numbers ({@link #unsignedId}); the handshake of a
 * pending connection as absent ({@link #handshakeNanos}); attributes as {@link AttributesJson}.
 */
public final class Vocabulary {
  private Vocabulary() {}

  // --- header fields

  /** The event's time as ISO-8601 UTC text with nanoseconds, e.g. {@code 2026-12-02T04:00:00Z}. */
  public static final String TIME = "time";

  /** The event's time in nanoseconds since the Unix epoch (OpenTelemetry's log record name). */
  public static final String TIME_UNIX_NANO = "time_unix_nano";

  /** The kernel's monotonic clock at the event, in nanoseconds. */
  public static final String KERNEL_TIME_NANOS = "lanthorn.kernel_time_nanos";

  /** The event kind's {@link EventKind#label()}, e.g. {@code tcp_connect}. */
  public static final String EVENT_NAME = "event.name";

  /** The process id. */
  public static final String PROCESS_PID = "process.pid";

  /** The thread id. */
  public static final String THREAD_ID = "thread.id";

  /** The real user id, unsigned. */
  public static final String PROCESS_REAL_USER_ID = "process.real_user.id";

  /** The real group id, unsigned. */
  public static final String PROCESS_REAL_GROUP_ID = "process.real_group.id";

  /** The task's command name (the kernel's comm, at most 15 characters). */
  public static final String PROCESS_EXECUTABLE_NAME = "process.executable.name";

  /** The start of the argument list, space-separated. */
  public static final String PROCESS_COMMAND_LINE = "process.command_line";

  /** The id (inode) of the task's cgroup v2 directory. */
  public static final String CGROUP_ID = "lanthorn.cgroup.id";

  /** The last path element of the task's cgroup v2 directory. */
  public static final String CGROUP_NAME = "lanthorn.cgroup.name";

  /** The host's name. */
  public static final String HOST_NAME = "host.name";

  /** The attributes enrichers added, as {@link AttributesJson} writes them. */
  public static final String ATTRIBUTES = "attributes";

  // --- network fields (connections, accepts, UDP flows)

  /** {@code ipv4} or {@code ipv6}: {@link #networkType}. */
  public static final String NETWORK_TYPE = "network.type";

  /** {@code tcp} or {@code udp}: {@link Protocol#label()}. */
  public static final String NETWORK_TRANSPORT = "network.transport";

  /** The client's address: the local end of a connection, the peer of an accepted one. */
  public static final String CLIENT_ADDRESS = "client.address";

  /** The client's port. */
  public static final String CLIENT_PORT = "client.port";

  /** The server's address: the remote end of a connection, the local end of an accepted one. */
  public static final String SERVER_ADDRESS = "server.address";

  /** The server's port. */
  public static final String SERVER_PORT = "server.port";

  // --- connection fields

  /** How the attempt ended: {@link Outcome#label()}. */
  public static final String CONNECT_OUTCOME = "lanthorn.connect.outcome";

  /** The socket error of a failed attempt, 0 otherwise. */
  public static final String CONNECT_ERRNO = "lanthorn.connect.errno";

  /** {@code SYN_SENT} to outcome in nanoseconds; absent when pending. */
  public static final String CONNECT_HANDSHAKE_NANOS = "lanthorn.connect.handshake_nanos";

  // --- connection close fields

  /** {@code inbound} (an accepted connection) or {@code outbound}. */
  public static final String NETWORK_DIRECTION = "lanthorn.network.direction";

  /** The opening event's kernel time, which the close refers to. */
  public static final String CLOSE_OPENED_KERNEL_TIME_NANOS =
      "lanthorn.close.opened_kernel_time_nanos";

  /** From the handshake's end to the close, in nanoseconds. */
  public static final String CLOSE_DURATION_NANOS = "lanthorn.close.duration_nanos";

  /** Bytes sent and acknowledged by the peer. */
  public static final String CLOSE_BYTES_SENT = "lanthorn.close.bytes_sent";

  /** Bytes received. */
  public static final String CLOSE_BYTES_RECEIVED = "lanthorn.close.bytes_received";

  /** The direction as {@link #NETWORK_DIRECTION} writes it. */
  public static String direction(boolean inbound) {
    return inbound ? "inbound" : "outbound";
  }

  // --- UDP flow fields

  /** Datagrams sent in the interval. */
  public static final String UDP_DATAGRAMS = "lanthorn.udp.datagrams";

  /** Payload bytes sent in the interval. */
  public static final String UDP_BYTES = "lanthorn.udp.bytes";

  /** First to last datagram of the interval, in nanoseconds. */
  public static final String UDP_DURATION_NANOS = "lanthorn.udp.duration_nanos";

  // --- DNS fields

  /** The name asked for. */
  public static final String DNS_QUESTION_NAME = "dns.question.name";

  /** The record type asked for, as {@link DnsEvent#typeName(int)} writes it. */
  public static final String DNS_QUESTION_TYPE = "dns.question.type";

  /** The response code, as {@link DnsEvent#responseCodeName(int)} writes it. */
  public static final String DNS_RESPONSE_CODE = "dns.response_code";

  /** The addresses of the A and AAAA answers. */
  public static final String DNS_ANSWERS = "dns.answers";

  /** Every answer record: name, type, ttl, and address or canonical name. */
  public static final String DNS_RECORDS = "lanthorn.dns.records";

  // --- encodings

  /**
   * The address family as OpenTelemetry's {@code network.type} writes it: {@code ipv4} or {@code
   * ipv6} (IPv4-mapped IPv6 connections are {@code ipv4}, as the family says).
   */
  public static String networkType(AddressFamily family) {
    return switch (family) {
      case INET -> "ipv4";
      case INET6 -> "ipv6";
    };
  }

  /** The family for a {@link #networkType} value. */
  public static AddressFamily ofNetworkType(String text) {
    return switch (text) {
      case "ipv4" -> AddressFamily.INET;
      case "ipv6" -> AddressFamily.INET6;
      default -> throw new IllegalArgumentException("unknown network type " + text);
    };
  }

  /**
   * A user or group id as the kernel means it: unsigned 32-bit, so {@code -1} in an {@code int} is
   * 4294967295 ({@code nobody}'s overflow id is 65534, {@code (uid_t) -1} means "none").
   */
  public static long unsignedId(int id) {
    return Integer.toUnsignedLong(id);
  }

  /** The handshake time, or {@code null} for a pending attempt (it has none yet). */
  public static Long handshakeNanos(ConnectionEvent event) {
    return event.outcome() == Outcome.PENDING || event.handshakeNanos() < 0
        ? null
        : event.handshakeNanos();
  }

  /** The event's time as ISO-8601 UTC text, e.g. {@code 2026-12-02T04:00:00.123456789Z}. */
  public static String timeText(long timestampNanos) {
    return Instant.ofEpochSecond(0, timestampNanos).toString();
  }
}
